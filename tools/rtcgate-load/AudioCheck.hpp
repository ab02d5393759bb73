// What one party of a transcoded call hears: it decodes every packet the
// daemon sends it (Opus or PCMU, to 8 kHz) and checks the audio for
// TestSignal. A hole is audio without the signal (silence, noise, a wrecked
// tone) or audio never sent (a jump of the RTP timestamp); a marker heard is
// timed to the sample. Nothing is allocated per packet.
#pragma once

#include "AudioLoop.hpp"

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
    std::uint64_t heardSamples = 0;   // audio checked that carries the signal
    std::uint64_t silentSamples = 0;  // audio checked that does not
    std::uint64_t missingSamples = 0; // timestamp jumps: audio the daemon never sent
    std::uint64_t longestHoleSamples = 0;
    std::uint64_t warmUpSamples = 0; // the first packets of each party: not checked
    std::uint64_t markers = 0;

    std::uint64_t holeSamples() const { return silentSamples + missingSamples; }
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

    LoopCodec codec_;
    codec::OpusDecoder opus_;
    codec::G711 pcmu_{codec::G711Law::MuLaw};
    bool started_ = false;
    std::uint16_t nextSequence_ = 0;
    std::uint32_t nextTimestamp_ = 0;
    std::uint64_t packets_ = 0;
    std::uint64_t currentHole_ = 0;
    bool markerOn_ = false;
    // The last frame decoded and the one before it, back to back: the marker's
    // onset may lie in the earlier one.
    std::array<std::int16_t, 2 * codec::kOpusMaxPacketSamples> frames_{};
    std::size_t previousSamples_ = 0; // 0: the previous frame is not just before this one
    std::int64_t previousArrivalNs_ = 0;
};

} // namespace rtcgate::load
