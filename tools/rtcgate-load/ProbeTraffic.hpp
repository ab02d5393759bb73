// Plain relay: every packet carries a probe (PacketFormat.hpp) that the
// receiving party reads back: which flow, which packet, when it was sent.
#pragma once

#include "LoadConfig.hpp"
#include "ReceiveTracker.hpp"
#include "TrafficPattern.hpp"

#include <cstdint>
#include <vector>

namespace rtcgate::load {

class ProbeTraffic final : public TrafficPattern {
public:
    ProbeTraffic(const LoadConfig& config, std::size_t parties);

    std::span<const std::uint8_t> packet(std::size_t party, std::uint32_t sequence, std::int64_t nowNs) override;
    void receive(std::size_t party, std::span<std::uint8_t> buffer, std::size_t length, std::int64_t arrivalNs,
                 TrafficResult& result) override;

private:
    const LoadConfig& config_;
    std::vector<std::uint32_t> ssrcs_;
    std::vector<std::uint16_t> firstRtpSequence_;
    ReceiveTracker tracker_;
    std::vector<std::uint8_t> packet_;
};

} // namespace rtcgate::load
