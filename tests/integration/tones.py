"""Test tones: generate a sine, and tell whether received audio carries it (FFT band energy against the rest)."""

import numpy as np

# Measured with this module: a 1 kHz tone through PCMU scores ~34 dB (PCMA ~43 dB); one lost or silent 20 ms
# packet in a 1-2 s capture (phase jump or gap) brings it down to ~17-19 dB. White noise scores ~-19 dB (the
# band holds ~1 % of it), a tone of another frequency below -80 dB, two equal tones ~0 dB.
DEFAULT_MIN_SNR_DB = 10.0


def tone(frequency, seconds, rate=8000, amplitude=0.5):
    """`seconds` of a sine at `frequency` Hz as int16 samples; `amplitude` is a fraction of full scale."""
    count = int(round(seconds * rate))
    phase = 2.0 * np.pi * frequency * np.arange(count) / rate
    return np.round(amplitude * 32767.0 * np.sin(phase)).astype(np.int16)


def tone_snr(samples, rate, frequency, band_hz=None):
    """Energy within `band_hz` of `frequency` over the energy everywhere else, in dB.

    The spectrum is that of the samples with their DC removed and a Hann window applied; leading and trailing
    near-silence (a few ms before the first packet arrives, a tail after the last) is trimmed first so it does not
    count as signal-free time. -inf when there is nothing but silence.
    """
    signal = _trimmed(np.asarray(samples, dtype=np.float64))
    if signal.size < 16:
        return float("-inf")
    signal = signal - signal.mean()
    power = np.abs(np.fft.rfft(signal * np.hanning(signal.size))) ** 2
    bin_hz = rate / signal.size
    # The Hann main lobe is 4 bins wide; a fixed floor keeps short captures from splitting a tone.
    half_width = max(band_hz / 2 if band_hz else 20.0, 3 * bin_hz)
    frequencies = np.arange(power.size) * bin_hz
    in_band = np.abs(frequencies - frequency) <= half_width
    in_band[0] = False  # DC leakage of the window is neither tone nor noise
    out_band = ~in_band
    out_band[0] = False
    tone_energy = power[in_band].sum()
    other_energy = power[out_band].sum()
    if tone_energy <= 0.0:
        return float("-inf")
    if other_energy <= 0.0:
        return float("inf")
    return float(10.0 * np.log10(tone_energy / other_energy))


def dominant_frequency(samples, rate):
    """The frequency (Hz) of the strongest spectral peak, refined between bins by a parabola on log power."""
    signal = _trimmed(np.asarray(samples, dtype=np.float64))
    if signal.size < 16:
        return 0.0
    signal = signal - signal.mean()
    power = np.abs(np.fft.rfft(signal * np.hanning(signal.size))) ** 2
    power[0] = 0.0
    peak = int(np.argmax(power))
    offset = 0.0
    if 0 < peak < power.size - 1 and power[peak] > 0.0:
        left, centre, right = np.log(power[peak - 1 : peak + 2] + 1e-300)
        curvature = left - 2.0 * centre + right
        if curvature < 0.0:
            offset = 0.5 * (left - right) / curvature
    return float((peak + offset) * rate / signal.size)


def detect_tone(samples, rate, frequency, min_snr_db=DEFAULT_MIN_SNR_DB):
    """Whether `samples` carry a tone at `frequency` at least `min_snr_db` above everything else."""
    return tone_snr(samples, rate, frequency) >= min_snr_db


def _trimmed(signal, relative_level=0.02):
    """`signal` without the leading and trailing samples quieter than `relative_level` of its peak."""
    if signal.size == 0:
        return signal
    peak = np.max(np.abs(signal))
    if peak == 0.0:
        return signal[:0]
    loud = np.flatnonzero(np.abs(signal) >= relative_level * peak)
    return signal[loud[0] : loud[-1] + 1]
