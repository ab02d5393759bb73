#include "ProbeTraffic.hpp"

#include "PacketFormat.hpp"
#include "TrafficRun.hpp"

#include <random>

namespace rtcgate::load {

ProbeTraffic::ProbeTraffic(const LoadConfig& config, std::size_t parties)
    : config_(config),
      ssrcs_(parties),
      firstRtpSequence_(parties),
      tracker_(parties, config.packetsPerParty()),
      packet_(kRtpHeaderSize + config.payloadBytes, 0) {
    std::mt19937 random{std::random_device{}()};
    for (std::size_t p = 0; p < parties; ++p) {
        ssrcs_[p] = static_cast<std::uint32_t>(random());
        firstRtpSequence_[p] = static_cast<std::uint16_t>(random());
    }
}

std::span<const std::uint8_t> ProbeTraffic::packet(std::size_t party, std::uint32_t sequence, std::int64_t nowNs) {
    const auto rtpTimestamp = static_cast<std::uint32_t>(sequence * config_.ptimeMs * 8); // PCMU: 8 kHz clock
    const Probe probe{static_cast<std::uint32_t>(party), sequence, nowNs};
    writePacket(packet_.data(), static_cast<std::uint16_t>(firstRtpSequence_[party] + sequence), rtpTimestamp,
                ssrcs_[party], probe);
    return packet_;
}

void ProbeTraffic::receive(std::size_t party, std::span<std::uint8_t> buffer, std::size_t length,
                           std::int64_t arrivalNs, TrafficResult& result) {
    const auto probe = readProbe(buffer.first(length));
    if (!probe || probe->flow >= ssrcs_.size() || probe->sequence >= config_.packetsPerParty()) {
        ++result.foreign;
        return;
    }
    if ((probe->flow ^ 1U) != party) {
        ++result.misrouted;
        return;
    }
    DirectionStatistics& direction = result.directions[probe->flow % 2];
    switch (tracker_.note(probe->flow, probe->sequence)) {
    case ReceiveTracker::Arrival::Duplicate:
        ++direction.duplicates;
        return;
    case ReceiveTracker::Arrival::FirstReordered:
        ++direction.reordered;
        break;
    case ReceiveTracker::Arrival::First:
        break;
    }
    ++direction.received;
    direction.latency.record(arrivalNs - probe->sentNs);
}

} // namespace rtcgate::load
