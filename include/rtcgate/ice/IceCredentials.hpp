// The ICE username fragment and password of one side of a session
// (RFC 8445 section 5.3, RFC 8839 section 5.4: a=ice-ufrag, a=ice-pwd).
#pragma once

#include <string>

namespace rtcgate::ice {

struct IceCredentials {
    // RFC 8839 section 5.4: at least 4 and 22 ice-chars, with at least 24 and
    // 128 bits of randomness.
    static constexpr std::size_t kUfragLength = 8;
    static constexpr std::size_t kPwdLength = 24;

    std::string ufrag;
    std::string pwd;

    // Fresh random credentials from OpenSSL's CSPRNG; throws std::runtime_error
    // when it cannot deliver.
    static IceCredentials generate();

    bool operator==(const IceCredentials&) const = default;
};

} // namespace rtcgate::ice
