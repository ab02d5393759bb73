// Transcoded calls: the caller plays a browser (Opus over SDES-SRTP), the
// callee a carrier (PCMU over RTP); each sends its AudioLoop and checks what
// it hears (AudioCheck). Latency runs from the sender's marker packet to the
// marker's onset in the receiver's audio.
#pragma once

#include "AudioCheck.hpp"
#include "AudioLoop.hpp"
#include "TrafficPattern.hpp"

#include "rtcgate/rtp/RtpStreamWriter.hpp"
#include "rtcgate/srtp/SrtpSession.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace rtcgate::load {

class AudioTraffic final : public TrafficPattern {
public:
    // `srtp` holds the callers' sessions (for the parties the set-up keyed):
    // one entry per party, nullopt for the callees.
    explicit AudioTraffic(std::vector<std::optional<srtp::SrtpSession>> srtp);

    std::span<const std::uint8_t> packet(std::size_t party, std::uint32_t sequence, std::int64_t nowNs) override;
    void receive(std::size_t party, std::span<std::uint8_t> buffer, std::size_t length, std::int64_t arrivalNs,
                 TrafficResult& result) override;

    static LoopCodec codecOf(std::size_t party) { return party % 2 == 0 ? LoopCodec::Opus : LoopCodec::Pcmu; }

private:
    const AudioLoop& loopOf(std::size_t party) const { return party % 2 == 0 ? opus_ : pcmu_; }

    AudioLoop opus_{LoopCodec::Opus};
    AudioLoop pcmu_{LoopCodec::Pcmu};
    std::vector<std::optional<srtp::SrtpSession>> srtp_;
    std::vector<rtp::RtpStreamWriter> writers_;
    std::vector<AudioCheck> checks_;
    std::vector<std::int64_t> markerSentNs_; // each party's last marker packet, 0 before the first
    std::array<std::uint8_t, 1500> packet_{};
};

} // namespace rtcgate::load
