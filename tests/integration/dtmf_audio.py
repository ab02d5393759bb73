"""DTMF as tones (ITU-T Q.23) and as RFC 4733 events, for tests that check what rtcgated makes of each: tone pairs
synthesized at 8 kHz, a detector of its own (Goertzel filters, independent of the spandsp code rtcgated uses), and
the events of a telephone-event stream grouped by their timestamp."""

import collections

import numpy as np

RATE = 8000
DIGITS = "0123456789*#ABCD"
_ROWS = (697.0, 770.0, 852.0, 941.0)
_COLUMNS = (1209.0, 1336.0, 1477.0, 1633.0)
_KEYPAD = ("123A", "456B", "789C", "*0#D")
EVENT_OF = {digit: index for index, digit in enumerate(DIGITS)}  # RFC 4733 section 3.2

# Goertzel block: 205 samples resolve the 73 Hz between rows at 8 kHz (the classic choice); a block every 10 ms.
_BLOCK = 205
_HOP = 80


def frequencies_of(digit):
    for row, keys in enumerate(_KEYPAD):
        if digit in keys:
            return _ROWS[row], _COLUMNS[keys.index(digit)]
    raise ValueError(digit)


def tone_pair(digit, milliseconds, level=0.25):
    """`digit` as its two tones for `milliseconds`, each at `level` of full scale, as int16 samples."""
    low, high = frequencies_of(digit)
    t = np.arange(RATE * milliseconds // 1000) / RATE
    return np.round(level * 32767 * (np.sin(2 * np.pi * low * t) + np.sin(2 * np.pi * high * t))).astype(np.int16)


def dialed(digits, tone_ms=100, gap_ms=100, lead_ms=300):
    """Silence, then each digit's tones followed by a gap: int16 samples."""
    parts = [np.zeros(RATE * lead_ms // 1000, dtype=np.int16)]
    for digit in digits:
        parts.append(tone_pair(digit, tone_ms))
        parts.append(np.zeros(RATE * gap_ms // 1000, dtype=np.int16))
    parts.append(np.zeros(RATE * lead_ms // 1000, dtype=np.int16))
    return np.concatenate(parts)


def _power(block, frequency):
    n = np.arange(len(block))
    return abs(np.dot(block, np.exp(-2j * np.pi * frequency * n / RATE))) ** 2


def detect_digits(samples):
    """The digits sounding in 8 kHz `samples`: [(digit, milliseconds)], each run of blocks where one row and one
    column tone dominate (twist and the other tones of each group at least 8 dB below) counted once."""
    samples = np.asarray(samples, dtype=np.float64)
    found = []
    current, blocks = None, 0
    for start in range(0, max(len(samples) - _BLOCK, 0) + 1, _HOP):
        block = samples[start:start + _BLOCK]
        energy = float(np.dot(block, block)) * len(block)
        digit = None
        if energy > 0:
            rows = [_power(block, f) for f in _ROWS]
            columns = [_power(block, f) for f in _COLUMNS]
            row, column = int(np.argmax(rows)), int(np.argmax(columns))
            others = sorted(rows)[-2], sorted(columns)[-2]
            # A pure tone of amplitude A over N samples has |X|^2 = (A N / 2)^2 = energy * N / 2 for one tone of two.
            strong = rows[row] + columns[column] > 0.5 * energy / 2
            clean = rows[row] > 6.3 * others[0] and columns[column] > 6.3 * others[1]
            if strong and clean:
                digit = _KEYPAD[row][column]
        if digit != current:
            if current is not None:
                found.append((current, blocks * _HOP * 1000 // RATE))
            current, blocks = digit, 0
        blocks += 1
    if current is not None:
        found.append((current, blocks * _HOP * 1000 // RATE))
    return found


def audio_of(packets, first_timestamp=None):
    """The 8 kHz audio of G.711 packets [(timestamp, int16 samples)], each at its place on the RTP clock (silence
    where nothing was sent)."""
    if not packets:
        return np.zeros(0, dtype=np.int16)
    base = packets[0][0] if first_timestamp is None else first_timestamp
    end = max(((timestamp - base) & 0xFFFFFFFF) + len(samples) for timestamp, samples in packets)
    audio = np.zeros(end, dtype=np.int16)
    for timestamp, samples in packets:
        offset = (timestamp - base) & 0xFFFFFFFF
        audio[offset:offset + len(samples)] = samples
    return audio


Event = collections.namedtuple("Event", "digit timestamp duration markers ends packets")


def events_of(packets):
    """RFC 4733 packets (rtp.parse_rtp results) grouped by timestamp, in order: one Event per event."""
    grouped = collections.OrderedDict()
    for packet in packets:
        grouped.setdefault(packet.timestamp, []).append(packet)
    events = []
    for timestamp, group in grouped.items():
        codes = {p.payload[0] for p in group}
        assert len(codes) == 1, f"one timestamp, several events: {codes}"
        durations = [int.from_bytes(p.payload[2:4], "big") for p in group]
        events.append(Event(DIGITS[codes.pop()], timestamp, max(durations), sum(p.marker for p in group),
                            sum(bool(p.payload[1] & 0x80) for p in group), group))
    return events


class Opus8k:
    """libopus (the system's, through ctypes) at 8 kHz mono: 20 ms of 8 kHz samples to an Opus packet and back, as
    a browser's Opus stream carries them (RTP timestamps at 48 kHz whatever the rate inside, RFC 7587). The encoder
    runs libopus's "audio" application at 32 kbit/s, as browsers send Opus; its "voip" default at this rate (SILK,
    narrowband) smears a tone's edges by a block of the detector."""

    _APPLICATION_AUDIO = 2049
    _SET_BITRATE = 4002

    def __init__(self):
        import ctypes
        self._ctypes = ctypes
        library = self._library = ctypes.CDLL("libopus.so.0")
        library.opus_encoder_create.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        library.opus_encoder_create.restype = ctypes.c_void_p
        library.opus_encode.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int16), ctypes.c_int, ctypes.c_char_p,
                                        ctypes.c_int32]
        library.opus_encode.restype = ctypes.c_int32
        library.opus_encoder_destroy.argtypes = [ctypes.c_void_p]
        library.opus_decoder_create.argtypes = [ctypes.c_int32, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        library.opus_decoder_create.restype = ctypes.c_void_p
        library.opus_decode.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int16),
                                        ctypes.c_int, ctypes.c_int]
        library.opus_decode.restype = ctypes.c_int
        library.opus_decoder_destroy.argtypes = [ctypes.c_void_p]
        error = ctypes.c_int()
        self._encoder = library.opus_encoder_create(RATE, 1, self._APPLICATION_AUDIO, ctypes.byref(error))
        assert self._encoder and error.value == 0, error.value
        library.opus_encoder_ctl.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
        assert library.opus_encoder_ctl(self._encoder, self._SET_BITRATE, 32000) == 0
        self._decoder = library.opus_decoder_create(RATE, 1, ctypes.byref(error))
        assert self._decoder and error.value == 0, error.value

    def encode(self, samples):
        ctypes = self._ctypes
        pcm = np.ascontiguousarray(samples, dtype=np.int16)
        out = ctypes.create_string_buffer(1500)
        length = self._library.opus_encode(self._encoder, pcm.ctypes.data_as(ctypes.POINTER(ctypes.c_int16)),
                                           len(pcm), out, len(out))
        assert length > 0, length
        return out.raw[:length]

    def decode(self, payload):
        ctypes = self._ctypes
        pcm = (ctypes.c_int16 * (RATE * 120 // 1000))()
        count = self._library.opus_decode(self._decoder, payload, len(payload), pcm, len(pcm), 0)
        assert count > 0, count
        return np.frombuffer(pcm, dtype=np.int16, count=count).copy()

    def packets_audio(self, packets):
        """The 8 kHz audio of Opus RTP packets as audio_of takes it: [(timestamp at 8 kHz, int16 samples)]."""
        return [(p.timestamp // (48000 // RATE), self.decode(p.payload)) for p in packets]

    def close(self):
        self._library.opus_encoder_destroy(self._encoder)
        self._library.opus_decoder_destroy(self._decoder)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
