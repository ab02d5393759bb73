// What one party of a transcoded call hears: it decodes every packet the
// daemon sends it (Opus or PCMU, to 8 kHz) and checks the audio for
// TestSignal. A hole is audio without the signal (silence, noise, a wrecked
// tone), audio never sent that the RTP timestamp skips, or audio dropped
// without a trace: less audio between two markers than the time between
// them (a daemon may number and time its packets on, whatever it lost). A
// marker heard is timed to the sample. Nothing is allocated per packet.
#pragma once

#include "AudioLoop.hpp"
#include "ToneDetector.hpp"

#include "rtcgate/codec/G711.hpp"
#include "rtcgate/codec/OpusDecoder.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace rtcgate::load {

// Per direction; audio counted in 8 kHz samples.
struct AudioStatistics {
    std::uint64_t packets = 0;     // in order and decoded
    std::uint64_t late = 0;        // older than one already heard: not played
    std::uint64_t undecodable = 0; // the codec refused the payload
    std::uint64_t sequenceGaps = 0;
    std::uint64_t heardSamples = 0;       // audio checked that carries the signal
    std::uint64_t silentSamples = 0;      // audio checked that does not
    std::uint64_t missingSamples = 0;     // timestamp jumps: audio the daemon never sent
    std::uint64_t droppedSamples = 0;     // short between two markers, no timestamp jump to show
    std::uint64_t extraSamples = 0;       // more between two markers than the time between them
    std::uint64_t longestHoleSamples = 0; // of silence and timestamp jumps in a row
    std::uint64_t warmUpSamples = 0;      // the first packets of each party: not checked
    std::uint64_t markers = 0;

    std::uint64_t holeSamples() const { return silentSamples + missingSamples + droppedSamples; }
    AudioStatistics& operator+=(const AudioStatistics& other);
};

class AudioCheck {
public:
    // The first packets a party receives are not checked: a decoder's and an
    // encoder's first frames ramp up from silence.
    static constexpr std::uint64_t kWarmUpPackets = 5;

    explicit AudioCheck(LoopCodec codec) : codec_(codec) {}

    // One RTP packet of the daemon's stream, arrived at `arrivalNs`
    // (CLOCK_REALTIME); returns when the marker's onset was heard, if it was.
    std::optional<std::int64_t> receive(const rtp::RtpPacket& packet, std::int64_t arrivalNs,
                                        AudioStatistics& statistics);

private:
    void countHole(std::uint64_t samples, AudioStatistics& statistics);
    // Compares the audio since the last marker with the periods that passed.
    void followSteadyLevel(const FrameTones& tones);
    void accountSinceLastMarker(std::uint64_t onset, std::int64_t heardAt, AudioStatistics& statistics);

    LoopCodec codec_;
    codec::OpusDecoder opus_;
    codec::G711 pcmu_{codec::G711Law::MuLaw};
    bool started_ = false;
    std::uint16_t nextSequence_ = 0;
    std::uint32_t nextTimestamp_ = 0;
    std::uint64_t packets_ = 0;
    std::uint64_t currentHole_ = 0;
    bool markerOn_ = false;
    double steadyAmplitude_ = 0; // of the tone between markers, as heard; 0 until a frame is heard
    std::uint64_t position_ = 0; // samples heard or skipped before this packet
    std::optional<std::uint64_t> lastMarkerPosition_;
    std::int64_t lastMarkerNs_ = 0;
    // The last frame decoded and the one before it, back to back: the marker's
    // onset may lie in the earlier one.
    std::array<std::int16_t, 2 * codec::kOpusMaxPacketSamples> frames_{};
    std::size_t previousSamples_ = 0; // 0: the previous frame is not just before this one
    std::int64_t previousArrivalNs_ = 0;
};

} // namespace rtcgate::load
