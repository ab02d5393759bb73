// The ICE-lite side of one component (RFC 8445 section 2.5): it never sends
// connectivity checks, it answers the peer's Binding requests, takes the
// address the peer nominates as the path to send to, and tracks consent
// freshness (RFC 7675) on that path. Pure logic on buffers: the media layer
// feeds it the STUN packets its socket receives and sends what it returns.
//
// STUN parsing, MESSAGE-INTEGRITY and FINGERPRINT are libnice's STUN library.
#pragma once

#include "rtcgate/ice/IceCredentials.hpp"
#include "rtcgate/net/Endpoint.hpp"

#include <stun/stunagent.h>

#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace rtcgate::ice {

using Clock = std::chrono::steady_clock;

class IceLiteResponder {
public:
    // RFC 7675 section 5.1: consent expires 30 s after the last valid check.
    static constexpr Clock::duration kConsentTimeout = std::chrono::seconds(30);
    // Large enough for any response handle() builds to a request with a
    // USERNAME of the 513 bytes RFC 8489 allows.
    static constexpr std::size_t kMaxResponseSize = 640;
    // Sources of valid checks remembered at once: a browser checks from a few candidates (host IPv4 and IPv6,
    // server reflexive, relay); beyond this the one checked longest ago is forgotten.
    static constexpr std::size_t kMaxCheckedSources = 8;

    enum class Outcome {
        Answered,          // valid Binding request: responseSize bytes of success response to send back
        NotStun,           // first byte outside 0-3 (RFC 7983): not for this module
        NotARequest,       // a STUN response or indication: nothing to answer
        Malformed,         // truncated, no cookie, no FINGERPRINT or USERNAME/MESSAGE-INTEGRITY; not Binding: 400
        BadIntegrity,      // MESSAGE-INTEGRITY does not verify: 401; FINGERPRINT does not: no answer
        WrongUsername,     // USERNAME is not "localUfrag:remoteUfrag": 401
        UnknownAttributes, // authenticated, but with a comprehension-required attribute we do not know: 420
        RoleConflict,      // the peer claims to be controlled too: 487 (RFC 8445 section 7.3.1.1)
        BufferTooSmall,    // the response does not fit responseBuffer
    };

    struct Result {
        Outcome outcome = Outcome::NotStun;
        // Bytes of responseBuffer to send back to the source; 0: send nothing.
        std::size_t responseSize = 0;
        // The request carried USE-CANDIDATE: its source is now the selected address.
        bool nominated = false;
    };

    struct Counters {
        std::uint64_t answered = 0;
        std::uint64_t badIntegrity = 0;
        std::uint64_t wrongUsername = 0;
        std::uint64_t malformed = 0; // Malformed and UnknownAttributes
    };

    // Copyable and movable: the agent keeps no transaction state (a lite
    // responder sends no requests) and the validater sees `this` only inside
    // handle().
    explicit IceLiteResponder(IceCredentials local);

    // Until they are set (a check can arrive before the peer's SDP, RFC 8445
    // section 7.3), any remote part of USERNAME is accepted.
    void setRemoteCredentials(std::string ufrag, std::string pwd);

    // Handles one packet received from `source`. Allocates nothing.
    Result handle(std::span<const std::uint8_t> request, const sockaddr* source, socklen_t sourceLength,
                  Clock::time_point now, std::span<std::uint8_t> responseBuffer);

    // ICE restart (RFC 8445 section 9): checks must use the new credentials
    // from now on; the selected address stays until the peer nominates again.
    // The remote credentials are forgotten until setRemoteCredentials().
    void restart(IceCredentials newLocal);

    // RFC 7675: true once the selected address has gone kConsentTimeout
    // without a valid check from it. Before the first nomination there is no
    // path to send on, so no consent to lose: false.
    bool consentExpired(Clock::time_point now) const;

    const IceCredentials& localCredentials() const { return local_; }
    const std::optional<IceCredentials>& remoteCredentials() const { return remote_; }
    const std::optional<net::Endpoint>& selectedAddress() const { return selected_; }
    // Whether `source` sent a check with the right credentials: the peer itself, which alone knows our ice-pwd
    // from the SDP. Only such a source may speak DTLS or SRTP to the leg; it stays one when its consent expires
    // (RFC 7675 section 5.1 stops sending toward it, not receiving).
    bool hasChecked(const net::Endpoint& source) const;
    std::optional<Clock::time_point> lastValidCheck() const { return lastValidCheck_; }
    const Counters& counters() const { return counters_; }

private:
    static bool validateCredentials(StunAgent* agent, StunMessage* message, std::uint8_t* username,
                                    std::uint16_t usernameLength, std::uint8_t** password, std::size_t* passwordLength,
                                    void* self);
    bool usernameMatches(std::span<const std::uint8_t> username) const;
    void rememberChecked(const net::Endpoint& source, Clock::time_point now);
    Result reject(Outcome outcome, std::size_t responseSize = 0);

    IceCredentials local_;
    std::optional<IceCredentials> remote_;
    StunAgent agent_{};
    bool wrongUsername_ = false; // set by validateCredentials during one handle()
    std::optional<net::Endpoint> selected_;
    std::optional<Clock::time_point> lastValidCheck_;
    std::optional<Clock::time_point> lastSelectedCheck_;
    struct CheckedSource {
        net::Endpoint address;
        Clock::time_point at;
    };
    std::array<CheckedSource, kMaxCheckedSources> checked_{};
    std::size_t checkedCount_ = 0;
    Counters counters_;
};

} // namespace rtcgate::ice
