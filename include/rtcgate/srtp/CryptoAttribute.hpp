// SDES: the SDP a=crypto attribute that carries SRTP master keys in the clear
// (RFC 4568 section 9.1, AEAD suite from RFC 7714 section 12):
//   a=crypto:<tag> <crypto-suite> inline:<base64 key||salt>[|<lifetime>][|<MKI>:<length>][;inline:...]
//   [<session-param>...]
#pragma once

#include "rtcgate/srtp/SrtpSession.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::srtp {

// RFC 4568 section 6.2 suite names of the profiles libsrtp2 runs here.

struct CryptoKeyParams {
    SrtpMasterKey masterKey;
    // As written: a decimal count or "2^<exponent>" (RFC 4568 section 6.1); empty when absent.
    std::string lifetime;
    // MKI value and its length in bytes (1-128), both as written; empty when absent.
    std::string mkiValue;
    std::string mkiLength;

    bool operator==(const CryptoKeyParams&) const = default;
};

struct CryptoAttribute {
    std::uint32_t tag = 1; // 1 to 9 digits
    SrtpProfile suite = SrtpProfile::AesCm128HmacSha1_80;
    std::vector<CryptoKeyParams> keys;      // at least one
    std::vector<std::string> sessionParams; // e.g. "KDR=1", "UNENCRYPTED_SRTCP", "WSH=64", kept as written

    // Parses the value of an a=crypto attribute (what follows "a=crypto:"). nullopt when it is
    // malformed, when a key's length does not fit the suite, or when the suite is not one of
    // sdesSuiteName's (an answerer skips such lines, RFC 4568 section 7.1.1).
    static std::optional<CryptoAttribute> parse(std::string_view value);
    // The attribute value, without "a=crypto:".
    std::string toString() const;

    // One inline key of fresh random bytes from OpenSSL's CSPRNG, no lifetime, no MKI;
    // throws std::runtime_error when the CSPRNG cannot deliver.
    static CryptoAttribute generate(std::uint32_t tag, SrtpProfile suite);

    bool operator==(const CryptoAttribute&) const = default;
};

} // namespace rtcgate::srtp
