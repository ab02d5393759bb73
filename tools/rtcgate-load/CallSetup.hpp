// Sets up the load's calls over ng (offer from the caller, answer from the
// callee, at a bounded rate) and deletes them at the end. Relayed calls are
// PCMU on both sides. Transcoded calls are what a WebRTC gateway sees from a
// proxy like Kamailio: the caller offers Opus over SDES-SRTP (RTP/SAVP), the
// offer asks for plain RTP with PCMU toward the callee (`transport-protocol`,
// `codec: {mask: [opus], transcode: [PCMU]}`), and the callee answers PCMU.
#pragma once

#include "LoadConfig.hpp"
#include "PartySocket.hpp"

#include "rtcgate/control/NgClient.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"
#include "rtcgate/srtp/CryptoAttribute.hpp"
#include "rtcgate/srtp/SrtpSession.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
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

    // Each established party's SRTP session (transcoded calls: the callers),
    // in the order of `parties`; nullopt for a party that sends plain RTP.
    std::vector<std::optional<srtp::SrtpSession>> srtpSessions() const;

private:
    bool establishOne(std::size_t call, PartySocket& caller, PartySocket& callee, std::string& error);
    // The offer or answer, its reply's SDP read: where the other party sends
    // to, and the SDP itself.
    bool negotiate(const bencode::Dict& request, boost::asio::ip::udp::endpoint& daemonSide,
                   sdp::SessionDescription& reply, std::string& error);
    std::string partySdp(std::uint16_t port, const srtp::CryptoAttribute* crypto) const;

    const LoadConfig& config_;
    control::NgClient& client_;
    std::size_t offered_ = 0; // calls 0..offered_-1 may exist in the daemon
    std::vector<std::optional<srtp::SrtpKeyPair>> keys_;
};

} // namespace rtcgate::load
