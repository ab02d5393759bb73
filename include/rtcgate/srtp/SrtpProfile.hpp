// The SRTP protection profiles rtcgate supports, their key sizes, and their
// names in DTLS-SRTP and in SDES.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace rtcgate::srtp {

// The _80 and _32 keep the tag lengths of the RFC names apart.
enum class SrtpProfile {
    AesCm128HmacSha1_80, // NOLINT(readability-identifier-naming)
    AesCm128HmacSha1_32, // NOLINT(readability-identifier-naming)
    AeadAes128Gcm,
};

// All profiles use a 128-bit master key; the master salt is 112 bits for AES-CM
// (RFC 3711 section 8.2) and 96 bits for AEAD (RFC 7714 section 12).
constexpr std::size_t masterKeyLength(SrtpProfile) {
    return 16;
}
constexpr std::size_t masterSaltLength(SrtpProfile profile) {
    return profile == SrtpProfile::AeadAes128Gcm ? 12 : 14;
}
// Length of the DTLS-SRTP exporter output for the profile: two keys and two salts
// (RFC 5764 section 4.2).
constexpr std::size_t keyingMaterialLength(SrtpProfile profile) {
    return 2 * (masterKeyLength(profile) + masterSaltLength(profile));
}

// The DTLS-SRTP protection profile names (RFC 5764 section 4.1.2, RFC 7714 section 14.2),
// as OpenSSL's SSL_CTX_set_tlsext_use_srtp and SSL_get_selected_srtp_profile spell them.
std::string_view dtlsProfileName(SrtpProfile profile);
std::optional<SrtpProfile> srtpProfileFromDtlsName(std::string_view name);

// The SDES crypto-suite names (RFC 4568 section 6.2, RFC 7714 section 14.2).
std::string_view sdesSuiteName(SrtpProfile profile);
std::optional<SrtpProfile> srtpProfileFromSdesSuite(std::string_view suite);

} // namespace rtcgate::srtp
