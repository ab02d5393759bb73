// Where a party without ICE really sends from (symmetric RTP, RFC 4961: behind a NAT that is not its SDP's
// address), learnt from its packets without letting a stranger who sends first take the party's media. The
// modes are rtpengine's --endpoint-learning; rtcgated's heuristic sends to another address than the SDP's only
// once it has been learnt (README, "Endpoint learning").
#pragma once

#include "rtcgate/media/Clock.hpp"
#include "rtcgate/net/Endpoint.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <string_view>

namespace rtcgate::media {

enum class LearningMode {
    // A source with the SDP's address and port is the party at once. Other sources are candidates, ranked: the
    // SDP's address on another port, then the SDP's port on another address, then any; until the delay has
    // passed since the last signal, media goes to the SDP's address, or to a candidate with that address, and
    // the best candidate (the latest of its rank) is learnt with the first packet after it.
    Heuristic,
    // rtpengine's default: until the delay, media goes wherever the last packet came from; the first packet
    // after it is the party.
    Delayed,
    Immediate, // the first packet is the party
    Off,       // the SDP's address only
};

std::optional<LearningMode> parseLearningMode(std::string_view name);
std::string_view toString(LearningMode mode);

struct LearningPolicy {
    LearningMode mode = LearningMode::Heuristic;
    // rtpengine's, after the last signal.
    Clock::duration delay = std::chrono::seconds(3);
};

// What a call's streams do with sources: the daemon's policy, and the ng flags of the call, kept once given.
struct SourceRules {
    LearningPolicy learning;
    bool strictSource = false;  // once learnt, other sources are dropped
    bool mediaHandover = false; // once learnt, another source takes over at its first packet
};

class EndpointLearning {
public:
    enum class Verdict {
        FromParty, // media of the party (or, before it is learnt, of whoever might be): keeps the call alive
        FromOther, // relayed, but from another source than the learnt one: it neither steers nor keeps the call
        Refused,   // strict source: another source than the learnt one
    };

    explicit EndpointLearning(SourceRules rules = {}) : rules_(rules) {}

    void setRules(const SourceRules& rules) { rules_ = rules; }

    // What the party's SDP says, at its offer or answer; a change forgets what was learnt.
    void setAdvertised(const std::optional<net::Endpoint>& advertised, Clock::time_point now);
    // An offer or answer of the call: while nothing is learnt, the delay runs again from `now`.
    void signalled(Clock::time_point now);

    // A packet from `source`; allocates nothing.
    Verdict onPacket(const net::Endpoint& source, Clock::time_point now);

    // Where media to the party goes: what was learnt, else (Heuristic, Delayed) the candidate of the moment,
    // else the SDP's address.
    const std::optional<net::Endpoint>& destination() const { return destination_; }
    const std::optional<net::Endpoint>& learnt() const { return learnt_; }
    const std::optional<net::Endpoint>& advertised() const { return advertised_; }

private:
    Verdict learnOrFollow(const net::Endpoint& source, Clock::time_point now);
    // 1: the SDP's address, another port; 2: the SDP's port, another address; 3: anything else.
    std::size_t rankOf(const net::Endpoint& source) const;
    void learn(const net::Endpoint& source);
    void forget();
    void follow(const std::optional<net::Endpoint>& provisional);

    SourceRules rules_;
    std::optional<net::Endpoint> advertised_;
    std::optional<net::Endpoint> learnt_;
    std::optional<net::Endpoint> destination_;
    std::array<std::optional<net::Endpoint>, 4> candidates_{}; // by rank; 0 is learnt at once
    Clock::time_point since_{};
};

} // namespace rtcgate::media
