// The measured phase: every party sends one packet per ptime for the
// configured duration, paced by a 1 ms timer (the parties are spread over the
// ptime's slots so the load is even), while everything the daemon sends is
// read back with recvmmsg from all parties' sockets (epoll). Then a short
// drain. What the packets are and how they are checked is the
// TrafficPattern's. Nothing is allocated per packet.
#pragma once

#include "AudioCheck.hpp"
#include "LatencyHistogram.hpp"
#include "LoadConfig.hpp"
#include "PartySocket.hpp"
#include "TrafficPattern.hpp"

#include "rtcgate/net/PacketBatch.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace rtcgate::load {

enum Direction : std::size_t {
    CallerToCallee = 0, // sent by party 2i (A), received by 2i+1 (B)
    CalleeToCaller = 1,
};

struct DirectionStatistics {
    std::uint64_t sent = 0;
    std::uint64_t received = 0; // first arrivals (transcoded: every RTP packet of the expected codec)
    std::uint64_t duplicates = 0;
    std::uint64_t reordered = 0;
    // Relay: of first arrivals, from the probe's send time to the kernel's
    // receive time. Transcoded: of the audio, marker to marker.
    LatencyHistogram latency;
    AudioStatistics audio; // transcoded calls only

    std::uint64_t lost() const { return sent > received ? sent - received : 0; }
};

struct TrafficResult {
    std::array<DirectionStatistics, 2> directions;
    std::uint64_t misrouted = 0;  // one of ours, at a party that is not the sender's partner
    std::uint64_t foreign = 0;    // not one of ours (or truncated, or failing SRTP)
    std::uint64_t rtcp = 0;       // the daemon's own RTCP (transcoded calls), not checked
    std::uint64_t sendErrors = 0; // sendto() refused (e.g. a full socket buffer)
    std::uint64_t lateTicks = 0;  // ticks run more than 1 ms after their time
    std::chrono::nanoseconds maxTickLateness{0};
    // Wake-ups a ptime or more late (this tool was stalled, and sent that
    // long a gap and then a burst), and their lateness added up.
    std::uint64_t stalls = 0;
    std::chrono::nanoseconds stalled{0};
    std::chrono::nanoseconds sending{0}; // first tick to last send
    std::chrono::nanoseconds drained{0}; // last send to the end of the drain
};

class TrafficRun {
public:
    // Creates the epoll set and the timer; throws std::system_error on failure.
    TrafficRun(const LoadConfig& config, std::vector<PartySocket>& parties, TrafficPattern& pattern);
    TrafficRun(const TrafficRun&) = delete;
    TrafficRun& operator=(const TrafficRun&) = delete;
    ~TrafficRun();

    // Sends and receives until everything sent arrived after the last tick,
    // or the drain time is over.
    TrafficResult run();

private:
    void sendTick(std::uint64_t tick, TrafficResult& result);
    void receiveFrom(std::size_t party, TrafficResult& result);
    std::uint64_t receivedTotal(const TrafficResult& result) const;

    const LoadConfig& config_;
    std::vector<PartySocket>& parties_;
    TrafficPattern& pattern_;
    net::ReceiveBatch batch_;
    int epoll_ = -1;
    int timer_ = -1;
};

} // namespace rtcgate::load
