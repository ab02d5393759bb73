#include "rtcgate/srtp/SrtpProfile.hpp"

#include <algorithm>
#include <array>

namespace rtcgate::srtp {

namespace {

struct ProfileNames {
    SrtpProfile profile;
    std::string_view dtls; // as OpenSSL's SSL_CTX_set_tlsext_use_srtp spells it
    std::string_view sdes;
};

constexpr std::array kProfiles{
    ProfileNames{SrtpProfile::AesCm128HmacSha1_80, "SRTP_AES128_CM_SHA1_80", "AES_CM_128_HMAC_SHA1_80"},
    ProfileNames{SrtpProfile::AesCm128HmacSha1_32, "SRTP_AES128_CM_SHA1_32", "AES_CM_128_HMAC_SHA1_32"},
    ProfileNames{SrtpProfile::AeadAes128Gcm, "SRTP_AEAD_AES_128_GCM", "AEAD_AES_128_GCM"},
    ProfileNames{SrtpProfile::AeadAes256Gcm, "SRTP_AEAD_AES_256_GCM", "AEAD_AES_256_GCM"},
    ProfileNames{SrtpProfile::AesCm256HmacSha1_80, "", "AES_256_CM_HMAC_SHA1_80"},
    ProfileNames{SrtpProfile::AesCm256HmacSha1_32, "", "AES_256_CM_HMAC_SHA1_32"},
    ProfileNames{SrtpProfile::AesCm192HmacSha1_80, "", "AES_192_CM_HMAC_SHA1_80"},
    ProfileNames{SrtpProfile::AesCm192HmacSha1_32, "", "AES_192_CM_HMAC_SHA1_32"},
};

const ProfileNames& namesOf(SrtpProfile profile) {
    return *std::find_if(kProfiles.begin(), kProfiles.end(), [&](const auto& p) { return p.profile == profile; });
}

template <typename Field>
std::optional<SrtpProfile> profileNamed(std::string_view name, Field field) {
    if (name.empty()) {
        return std::nullopt;
    }
    for (const auto& p : kProfiles) {
        if (p.*field == name) {
            return p.profile;
        }
    }
    return std::nullopt;
}

} // namespace

std::string_view dtlsProfileName(SrtpProfile profile) {
    return namesOf(profile).dtls;
}

std::optional<SrtpProfile> srtpProfileFromDtlsName(std::string_view name) {
    return profileNamed(name, &ProfileNames::dtls);
}

std::string_view sdesSuiteName(SrtpProfile profile) {
    return namesOf(profile).sdes;
}

std::optional<SrtpProfile> srtpProfileFromSdesSuite(std::string_view suite) {
    return profileNamed(suite, &ProfileNames::sdes);
}

bool isUnusableSdesSuite(std::string_view suite) {
    constexpr std::array<std::string_view, 4> kUnusable{"F8_128_HMAC_SHA1_80", "F8_128_HMAC_SHA1_32",
                                                        "NULL_HMAC_SHA1_80", "NULL_HMAC_SHA1_32"};
    return std::find(kUnusable.begin(), kUnusable.end(), suite) != kUnusable.end();
}

} // namespace rtcgate::srtp
