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
    AeadAes256Gcm,       // RFC 7714
    AesCm256HmacSha1_80, // NOLINT(readability-identifier-naming) RFC 6188, SDES only
    AesCm256HmacSha1_32, // NOLINT(readability-identifier-naming)
    AesCm192HmacSha1_80, // NOLINT(readability-identifier-naming)
    AesCm192HmacSha1_32, // NOLINT(readability-identifier-naming)
};

constexpr bool isAead(SrtpProfile profile) {
    return profile == SrtpProfile::AeadAes128Gcm || profile == SrtpProfile::AeadAes256Gcm;
}

// The master key is as long as the AES key; the master salt is 112 bits for AES-CM
// (RFC 3711 section 8.2, RFC 6188 section 7) and 96 bits for AEAD (RFC 7714 section 12).
constexpr std::size_t masterKeyLength(SrtpProfile profile) {
    switch (profile) {
    case SrtpProfile::AeadAes256Gcm:
    case SrtpProfile::AesCm256HmacSha1_80:
    case SrtpProfile::AesCm256HmacSha1_32:
        return 32;
    case SrtpProfile::AesCm192HmacSha1_80:
    case SrtpProfile::AesCm192HmacSha1_32:
        return 24;
    default:
        return 16;
    }
}
constexpr std::size_t masterSaltLength(SrtpProfile profile) {
    return isAead(profile) ? 12 : 14;
}
inline constexpr std::size_t kMaxMasterKeyAndSaltLength = 32 + 14;
// Length of the DTLS-SRTP exporter output for the profile: two keys and two salts
// (RFC 5764 section 4.2).
constexpr std::size_t keyingMaterialLength(SrtpProfile profile) {
    return 2 * (masterKeyLength(profile) + masterSaltLength(profile));
}

// The DTLS-SRTP protection profile names (RFC 5764 section 4.1.2, RFC 7714 section 14.2),
// as OpenSSL's SSL_CTX_set_tlsext_use_srtp and SSL_get_selected_srtp_profile spell them;
// empty for the AES-192/256-CM suites, which DTLS-SRTP does not define.
std::string_view dtlsProfileName(SrtpProfile profile);
std::optional<SrtpProfile> srtpProfileFromDtlsName(std::string_view name);

// The SDES crypto-suite names (RFC 4568 section 6.2, RFC 6188 section 7, RFC 7714 section 14.2).
std::string_view sdesSuiteName(SrtpProfile profile);
std::optional<SrtpProfile> srtpProfileFromSdesSuite(std::string_view suite);
// SDES suites rtcgate knows by name and cannot use: F8 (libsrtp2 has no F8) and NULL (no encryption, never
// offered). rtpengine offers them; ng "SDES-no-..." and "SDES-only-..." may name them.
bool isUnusableSdesSuite(std::string_view suite);

} // namespace rtcgate::srtp
