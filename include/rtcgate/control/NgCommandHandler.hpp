// What each ng command does to the engine, and the reply it gets.
#pragma once

#include "rtcgate/control/Bencode.hpp"
#include "rtcgate/control/NgRequest.hpp"
#include "rtcgate/engine/Shard.hpp"
#include "rtcgate/media/CallSnapshot.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::control {

struct NgServerCounters {
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;          // requests answered with an error
    std::uint64_t retransmits = 0;     // answered from the reply cache or dropped while in flight
    std::uint64_t undecodable = 0;     // datagrams with no cookie: dropped, no reply possible
    std::uint64_t acceptBackoffs = 0;  // TCP connections left waiting: out of file descriptors
    std::uint64_t delayedCommands = 0; // a client's commands that waited for its earlier ones (ClientGate)
    std::uint64_t refusedCommands = 0; // and those refused: too many waiting
};

struct NgHandlerConfig {
    std::chrono::seconds deleteDelay{30};
    sdp::ParseLimits sdpLimits{}; // of the SDP of an offer or answer
};

// Adds `text` to the reply's "warning", after what it already says ("; " between).
void appendWarning(bencode::Dict& reply, std::string text);

// What a command's work on the shard that owns the call gives back: its reply, and for query and delete the call's
// figures, which the control thread formats into the reply (finishReply): the reply of a call of hundreds of media
// lines is costly to build, and the shard that relays the call's media only copies the figures.
struct ShardOutcome {
    bencode::Dict reply;
    std::optional<media::CallSnapshot> call;
};

// offer, answer, delete and query, run on the shard that owns the call.
ShardOutcome executeOnShard(const NgRequest& request, engine::Shard& shard, const NgHandlerConfig& config);
// On the control thread: the reply, with the call's statistics when the shard took them; without the per-party
// ones when they would make it longer than `maxBytes` for sure (a UDP reply), instead of building them in vain.
bencode::Dict finishReply(ShardOutcome outcome, std::size_t maxBytes = SIZE_MAX);
// Says in the reply's warning that its per-party statistics ("tags", "SSRC") were left out, for a reply of `size`.
void warnPartiesLeftOut(bencode::Dict& reply, std::string_view size);

// The per-call statistics of query and delete, in rtpengine's shape.
bencode::Dict callStatistics(const media::CallSnapshot& call, bool perParty = true);
bencode::Dict listReply(const std::vector<std::string>& callIds, std::optional<long long> limit);
// Daemon-wide figures: the shards' sums and the control socket's counters.
bencode::Dict statisticsReply(const std::vector<engine::ShardStatistics>& shards, std::chrono::seconds uptime,
                              const NgServerCounters& control);
bencode::Dict errorReply(std::string_view reason);
// Adds a request's ignored keys and flags (NgRequest::ignored) to `reply` as its "warning".
void addIgnored(const std::vector<std::string>& ignored, bencode::Dict& reply);

} // namespace rtcgate::control
