// Relays packets through a Call in process and counts the allocations made
// while it does: the hot path's "nothing allocated per packet" check.
#pragma once

#include "AllocationCounter.hpp"
#include "LoopbackPeer.hpp"

#include <boost/asio/io_context.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace rtcgate::testing {

struct RelayAllocations {
    int warmedUp = 0; // of kWarmUpPackets, relayed before counting
    int relayed = 0;  // of kCountedPackets, relayed while counting
    std::size_t allocations = 0;
};

// `sender` sends nextPacket() to rtcgated's `port`; `receiver` should get each
// one. Asio's handler memory is recycled after the warm-up, so the counted
// rounds (20 bursts of 50) show what each packet costs.
inline RelayAllocations
countAllocationsWhileRelaying(boost::asio::io_context& io, const LoopbackPeer& sender, std::uint16_t port,
                              const LoopbackPeer& receiver,
                              const std::function<std::span<const std::uint8_t>()>& nextPacket) {
    constexpr int kWarmUpPackets = 64;
    const auto destination = LoopbackPeer::to(port);
    std::array<std::uint8_t, 2048> sink{};
    auto pump = [&](int count) {
        int received = 0;
        for (int i = 0; i < count; ++i) {
            auto packet = nextPacket();
            ::sendto(sender.fd(), packet.data(), packet.size(), 0, reinterpret_cast<const sockaddr*>(&destination),
                     sizeof destination);
        }
        for (int spins = 0; received < count && spins < 2000; ++spins) {
            io.poll();
            while (::recv(receiver.fd(), sink.data(), sink.size(), MSG_DONTWAIT) > 0) {
                ++received;
            }
        }
        return received;
    };
    RelayAllocations result;
    result.warmedUp = pump(kWarmUpPackets);
    AllocationScope scope;
    for (int round = 0; round < 20; ++round) {
        result.relayed += pump(50);
    }
    result.allocations = scope.count();
    return result;
}

} // namespace rtcgate::testing
