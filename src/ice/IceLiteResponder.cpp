#include "rtcgate/ice/IceLiteResponder.hpp"

#include "rtcgate/ice/StunDemux.hpp"

#include <stun/stunmessage.h>
#include <stun/usages/ice.h>

#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <string_view>
#include <utility>

namespace rtcgate::ice {

namespace {

// The comprehension-required attributes an ICE connectivity check may carry
// (RFC 8445 section 7.1.1); any other one gets a 420 (RFC 8489 section 6.3.1).
const std::array<std::uint16_t, 8> kKnownAttributes = {
    STUN_ATTRIBUTE_USERNAME,        STUN_ATTRIBUTE_MESSAGE_INTEGRITY,
    STUN_ATTRIBUTE_FINGERPRINT,     STUN_ATTRIBUTE_PRIORITY,
    STUN_ATTRIBUTE_USE_CANDIDATE,   STUN_ATTRIBUTE_ICE_CONTROLLED,
    STUN_ATTRIBUTE_ICE_CONTROLLING, 0,
};

bool isIpSource(const sockaddr* source, socklen_t length) {
    if (source == nullptr) {
        return false;
    }
    return (source->sa_family == AF_INET && length >= static_cast<socklen_t>(sizeof(sockaddr_in))) ||
           (source->sa_family == AF_INET6 && length >= static_cast<socklen_t>(sizeof(sockaddr_in6)));
}

} // namespace

IceLiteResponder::IceLiteResponder(IceCredentials local) : local_(std::move(local)) {
    stun_agent_init(
        &agent_, kKnownAttributes.data(), STUN_COMPATIBILITY_RFC5389,
        static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS | STUN_AGENT_USAGE_USE_FINGERPRINT));
}

void IceLiteResponder::setRemoteCredentials(std::string ufrag, std::string pwd) {
    remote_ = IceCredentials{std::move(ufrag), std::move(pwd)};
}

void IceLiteResponder::restart(IceCredentials newLocal) {
    local_ = std::move(newLocal);
    remote_.reset();
}

bool IceLiteResponder::consentExpired(Clock::time_point now) const {
    return selected_.has_value() && lastSelectedCheck_.has_value() && now - *lastSelectedCheck_ >= kConsentTimeout;
}

bool IceLiteResponder::hasChecked(const net::Endpoint& source) const {
    const auto end = checked_.begin() + static_cast<std::ptrdiff_t>(checkedCount_);
    return std::any_of(checked_.begin(), end, [&](const CheckedSource& c) { return c.address == source; });
}

void IceLiteResponder::rememberChecked(const net::Endpoint& source, Clock::time_point now) {
    const auto end = checked_.begin() + static_cast<std::ptrdiff_t>(checkedCount_);
    auto slot = std::find_if(checked_.begin(), end, [&](const CheckedSource& c) { return c.address == source; });
    if (slot == end) {
        slot = checkedCount_ < checked_.size()
                   ? checked_.begin() + static_cast<std::ptrdiff_t>(checkedCount_++)
                   : std::min_element(checked_.begin(), checked_.end(),
                                      [](const CheckedSource& a, const CheckedSource& b) { return a.at < b.at; });
    }
    *slot = CheckedSource{source, now};
}

// RFC 8445 section 7.3: USERNAME is "<local ufrag>:<remote ufrag>" from the
// responder's point of view; its MESSAGE-INTEGRITY is keyed by the local pwd.
bool IceLiteResponder::usernameMatches(std::span<const std::uint8_t> username) const {
    std::string_view text(reinterpret_cast<const char*>(username.data()), username.size());
    if (text.size() <= local_.ufrag.size() || !text.starts_with(local_.ufrag) || text[local_.ufrag.size()] != ':') {
        return false;
    }
    auto remote = text.substr(local_.ufrag.size() + 1);
    return remote_.has_value() ? remote == remote_->ufrag : !remote.empty();
}

bool IceLiteResponder::validateCredentials(StunAgent* /*agent*/, StunMessage* /*message*/, std::uint8_t* username,
                                           std::uint16_t usernameLength, std::uint8_t** password,
                                           std::size_t* passwordLength, void* self) {
    auto* responder = static_cast<IceLiteResponder*>(self);
    if (username == nullptr || !responder->usernameMatches({username, usernameLength})) {
        responder->wrongUsername_ = true;
        return false;
    }
    // libnice only reads the key.
    *password = reinterpret_cast<std::uint8_t*>(responder->local_.pwd.data());
    *passwordLength = responder->local_.pwd.size();
    return true;
}

IceLiteResponder::Result IceLiteResponder::reject(Outcome outcome, std::size_t responseSize) {
    switch (outcome) {
    case Outcome::BadIntegrity:
        ++counters_.badIntegrity;
        break;
    case Outcome::WrongUsername:
        ++counters_.wrongUsername;
        break;
    case Outcome::Malformed:
    case Outcome::UnknownAttributes:
        ++counters_.malformed;
        break;
    default:
        break;
    }
    return Result{outcome, responseSize, false};
}

IceLiteResponder::Result IceLiteResponder::handle(std::span<const std::uint8_t> request, const sockaddr* source,
                                                  socklen_t sourceLength, Clock::time_point now,
                                                  std::span<std::uint8_t> responseBuffer) {
    if (!isStun(request)) {
        return Result{Outcome::NotStun, 0, false};
    }
    wrongUsername_ = false;
    StunMessage message{};
    StunValidationStatus status =
        stun_agent_validate(&agent_, &message, request.data(), request.size(), &validateCredentials, this);
    if (status == STUN_VALIDATION_NOT_STUN || status == STUN_VALIDATION_INCOMPLETE_STUN) {
        return reject(Outcome::Malformed);
    }
    // From here on `message` is a parsed STUN message.
    if (stun_message_get_class(&message) != STUN_REQUEST) {
        return Result{Outcome::NotARequest, 0, false};
    }

    StunMessage response{};
    switch (status) {
    case STUN_VALIDATION_SUCCESS:
        break;
    case STUN_VALIDATION_UNAUTHORIZED: {
        // RFC 8445 section 7.3 defers to RFC 8489 section 9.1.3: a request
        // that fails authentication gets a 401, without MESSAGE-INTEGRITY since
        // there is no key to vouch for it. It is smaller than the request, so
        // it amplifies nothing, and it lets a peer holding stale credentials
        // (e.g. after an ICE restart) fail the pair at once.
        std::size_t size = 0;
        if (stun_agent_init_error(&agent_, &response, responseBuffer.data(), responseBuffer.size(), &message,
                                  STUN_ERROR_UNAUTHORIZED)) {
            size = stun_agent_finish_message(&agent_, &response, nullptr, 0);
        }
        return reject(wrongUsername_ ? Outcome::WrongUsername : Outcome::BadIntegrity, size);
    }
    case STUN_VALIDATION_BAD_REQUEST:
        // No magic cookie, or FINGERPRINT missing or wrong. A wrong FINGERPRINT
        // says the packet is not STUN at all (RFC 8489 section 14.7): no answer.
        if (stun_message_has_cookie(&message) && stun_message_has_attribute(&message, STUN_ATTRIBUTE_FINGERPRINT)) {
            return reject(Outcome::BadIntegrity);
        }
        return reject(Outcome::Malformed);
    case STUN_VALIDATION_UNKNOWN_REQUEST_ATTRIBUTE:
        return reject(Outcome::UnknownAttributes,
                      stun_agent_build_unknown_attributes_error(&agent_, &response, responseBuffer.data(),
                                                                responseBuffer.size(), &message));
    default:
        // A check without USERNAME or MESSAGE-INTEGRITY.
        return reject(Outcome::Malformed);
    }

    if (!isIpSource(source, sourceLength)) {
        return reject(Outcome::Malformed);
    }
    sockaddr_storage sourceStorage{};
    std::memcpy(&sourceStorage, source, std::min<std::size_t>(sourceLength, sizeof(sourceStorage)));

    // ICE-lite is always the controlled agent (RFC 8445 section 6.1.1), and a
    // tie-breaker of 0 loses every conflict: a peer that also claims to be
    // controlled gets a 487 and switches (RFC 8445 section 7.3.1.1).
    bool controlling = false;
    std::size_t size = responseBuffer.size();
    StunUsageIceReturn reply = stun_usage_ice_conncheck_create_reply(
        &agent_, &message, &response, responseBuffer.data(), &size, &sourceStorage, sourceLength, &controlling, 0,
        STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
    if (reply == STUN_USAGE_ICE_RETURN_MEMORY_ERROR) {
        return Result{Outcome::BufferTooSmall, 0, false};
    }
    if (reply == STUN_USAGE_ICE_RETURN_INVALID_METHOD) {
        return reject(Outcome::Malformed, size);
    }
    if (reply == STUN_USAGE_ICE_RETURN_ROLE_CONFLICT && !controlling) {
        return Result{Outcome::RoleConflict, size, false};
    }
    if ((reply != STUN_USAGE_ICE_RETURN_SUCCESS && reply != STUN_USAGE_ICE_RETURN_ROLE_CONFLICT) || size == 0) {
        return reject(Outcome::Malformed);
    }

    ++counters_.answered;
    lastValidCheck_ = now;
    net::Endpoint from = net::endpointFrom(source, sourceLength);
    rememberChecked(from, now);
    bool nominated = stun_usage_ice_conncheck_use_candidate(&message);
    if (nominated) {
        selected_ = from;
    }
    if (selected_ == from) {
        lastSelectedCheck_ = now;
    }
    return Result{Outcome::Answered, size, nominated};
}

} // namespace rtcgate::ice
