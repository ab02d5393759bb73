#include "rtcgate/media/EndpointLearning.hpp"

#include <algorithm>

namespace rtcgate::media {

std::optional<LearningMode> parseLearningMode(std::string_view name) {
    for (auto mode : {LearningMode::Heuristic, LearningMode::Delayed, LearningMode::Immediate, LearningMode::Off}) {
        if (toString(mode) == name) {
            return mode;
        }
    }
    return std::nullopt;
}

std::string_view toString(LearningMode mode) {
    switch (mode) {
    case LearningMode::Heuristic:
        return "heuristic";
    case LearningMode::Delayed:
        return "delayed";
    case LearningMode::Immediate:
        return "immediate";
    case LearningMode::Off:
        return "off";
    }
    return "?";
}

void EndpointLearning::setAdvertised(const std::optional<net::Endpoint>& advertised, Clock::time_point now) {
    if (advertised != advertised_) {
        advertised_ = advertised;
        forget();
    }
    signalled(now);
}

void EndpointLearning::signalled(Clock::time_point now) {
    if (!learnt_) {
        since_ = now;
    }
}

void EndpointLearning::forget() {
    learnt_.reset();
    candidates_ = {};
    destination_ = advertised_;
}

void EndpointLearning::learn(const net::Endpoint& source) {
    learnt_ = source;
    candidates_ = {};
    destination_ = source;
}

void EndpointLearning::follow(const std::optional<net::Endpoint>& provisional) {
    destination_ = provisional ? provisional : advertised_;
}

std::size_t EndpointLearning::rankOf(const net::Endpoint& source) const {
    if (!advertised_) {
        return 3;
    }
    if (source.address() == advertised_->address()) {
        return 1;
    }
    return source.port() == advertised_->port() ? 2 : 3;
}

EndpointLearning::Verdict EndpointLearning::onPacket(const net::Endpoint& source, Clock::time_point now) {
    if (!learnt_) {
        return learnOrFollow(source, now);
    }
    if (source == *learnt_) {
        return Verdict::FromParty;
    }
    if (rules_.mediaHandover) {
        learn(source); // rtpengine's "media handover": the party moved
        return Verdict::FromParty;
    }
    return rules_.strictSource ? Verdict::Refused : Verdict::FromOther;
}

EndpointLearning::Verdict EndpointLearning::learnOrFollow(const net::Endpoint& source, Clock::time_point now) {
    const bool delayOver = now - since_ >= rules_.learning.delay;
    switch (rules_.learning.mode) {
    case LearningMode::Off:
        break;
    case LearningMode::Immediate:
        learn(source);
        break;
    case LearningMode::Delayed:
        if (delayOver) {
            learn(source);
        } else {
            follow(source);
        }
        break;
    case LearningMode::Heuristic: {
        if (source == advertised_) {
            learn(source);
            break;
        }
        candidates_[rankOf(source)] = source;
        if (delayOver) {
            learn(**std::find_if(candidates_.begin() + 1, candidates_.end(),
                                 [](const auto& candidate) { return candidate.has_value(); }));
        } else {
            follow(candidates_[1]); // the SDP's address is the party's host (or its NAT's, as the proxy saw it)
        }
        break;
    }
    }
    return Verdict::FromParty;
}

} // namespace rtcgate::media
