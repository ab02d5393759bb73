// Sets up the load's calls over ng (offer from the caller, answer from the
// callee, at a bounded rate) and deletes them at the end.
#pragma once

#include "LoadConfig.hpp"
#include "PartySocket.hpp"

#include "rtcgate/control/NgClient.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rtcgate::load {

// Party 2i is call i's caller (A), party 2i+1 its callee (B).
constexpr std::size_t callerOf(std::size_t call) {
    return 2 * call;
}

struct SetupSummary {
    std::size_t established = 0;
    std::chrono::duration<double> elapsed{0};
    std::string error; // why the set-up stopped early; empty when every call is up
};

struct DeleteSummary {
    std::size_t deleted = 0;
    std::size_t failed = 0;
    std::string firstError;
    // Summed over each call's "totals" in a query just before its delete
    // (rtpengine's shape; rtcgated answers in it too): what the daemon counted.
    std::int64_t daemonRtpPackets = 0;
    std::int64_t daemonRtpErrors = 0;
    bool daemonTotalsSeen = false;
};

class CallSetup {
public:
    CallSetup(const LoadConfig& config, control::NgClient& client);

    // Opens both parties' sockets of each call and sets it up. On return,
    // `parties` holds 2 * established sockets with their destinations set.
    SetupSummary establish(std::vector<PartySocket>& parties);

    // Queries, then deletes every call that an offer created (also a half set-up one).
    DeleteSummary removeAll();

    std::string callId(std::size_t call) const { return config_.callIdPrefix + std::to_string(call); }

private:
    bool establishOne(std::size_t call, PartySocket& caller, PartySocket& callee, std::string& error);
    // The offer or answer, its reply's SDP read: where the other party sends to.
    bool negotiate(const bencode::Dict& request, boost::asio::ip::udp::endpoint& daemonSide, std::string& error);
    std::string partySdp(std::uint16_t port) const;

    const LoadConfig& config_;
    control::NgClient& client_;
    std::size_t offered_ = 0; // calls 0..offered_-1 may exist in the daemon
};

} // namespace rtcgate::load
