#include "rtcgate/srtp/SrtpSession.hpp"

#include <openssl/crypto.h>
#include <srtp2/cipher.h>
#include <srtp2/srtp.h>

#include <algorithm>
#include <array>
#include <climits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>

// Not in libsrtp2's public headers (crypto/include/cipher_types.h), but exported by the library.
extern "C" const srtp_cipher_type_t srtp_aes_icm_128; // NOLINT(readability-identifier-naming): libsrtp2 names it

namespace rtcgate::srtp {

namespace {

void initializeLibsrtp() {
    static std::once_flag once;
    static srtp_err_status_t status = srtp_err_status_ok;
    std::call_once(once, [] { status = srtp_init(); });
    if (status != srtp_err_status_ok) {
        throw std::runtime_error("srtp_init failed with status " + std::to_string(status));
    }
}

void checkLengths(SrtpProfile profile, const SrtpMasterKey& masterKey) {
    if (masterKey.key.size() != masterKeyLength(profile) || masterKey.salt.size() != masterSaltLength(profile)) {
        throw std::invalid_argument("SRTP master key or salt length does not fit the profile " +
                                    std::string(sdesSuiteName(profile)));
    }
}

// libsrtp2's crypto policy of each profile, for SRTP and SRTCP. The _32 suites keep an 80-bit tag for SRTCP
// (RFC 5764 section 4.1.2, RFC 6188 section 7).
struct CryptoPolicies {
    SrtpProfile profile;
    void (*rtp)(srtp_crypto_policy_t*);
    void (*rtcp)(srtp_crypto_policy_t*);
};
constexpr std::array kCryptoPolicies{
    // libsrtp2's default policy is AES_CM_128_HMAC_SHA1_80 (srtp.h defines the named setter as a macro of it).
    CryptoPolicies{SrtpProfile::AesCm128HmacSha1_80, srtp_crypto_policy_set_rtp_default,
                   srtp_crypto_policy_set_rtp_default},
    CryptoPolicies{SrtpProfile::AesCm128HmacSha1_32, srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32,
                   srtp_crypto_policy_set_rtp_default},
    CryptoPolicies{SrtpProfile::AeadAes128Gcm, srtp_crypto_policy_set_aes_gcm_128_16_auth,
                   srtp_crypto_policy_set_aes_gcm_128_16_auth},
    CryptoPolicies{SrtpProfile::AeadAes256Gcm, srtp_crypto_policy_set_aes_gcm_256_16_auth,
                   srtp_crypto_policy_set_aes_gcm_256_16_auth},
    CryptoPolicies{SrtpProfile::AesCm256HmacSha1_80, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80,
                   srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80},
    CryptoPolicies{SrtpProfile::AesCm256HmacSha1_32, srtp_crypto_policy_set_aes_cm_256_hmac_sha1_32,
                   srtp_crypto_policy_set_aes_cm_256_hmac_sha1_80},
    CryptoPolicies{SrtpProfile::AesCm192HmacSha1_80, srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80,
                   srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80},
    CryptoPolicies{SrtpProfile::AesCm192HmacSha1_32, srtp_crypto_policy_set_aes_cm_192_hmac_sha1_32,
                   srtp_crypto_policy_set_aes_cm_192_hmac_sha1_80},
};

void setCryptoPolicies(SrtpProfile profile, srtp_policy_t& policy) {
    const auto& policies = *std::find_if(kCryptoPolicies.begin(), kCryptoPolicies.end(),
                                         [&](const CryptoPolicies& p) { return p.profile == profile; });
    policies.rtp(&policy.rtp);
    policies.rtcp(&policy.rtcp);
}

srtp_t createContext(SrtpProfile profile, const SrtpMasterKey& masterKey, srtp_ssrc_type_t direction) {
    std::array<unsigned char, kMaxMasterKeyAndSaltLength> keyAndSalt{};
    std::copy(masterKey.key.begin(), masterKey.key.end(), keyAndSalt.begin());
    std::copy(masterKey.salt.begin(), masterKey.salt.end(), keyAndSalt.begin() + masterKey.key.size());

    srtp_policy_t policy{};
    setCryptoPolicies(profile, policy);
    policy.ssrc.type = direction;
    policy.ssrc.value = 0;
    policy.key = keyAndSalt.data();
    policy.window_size = 0; // libsrtp2's default, 128 packets
    policy.allow_repeat_tx = 0;
    policy.next = nullptr;

    srtp_t context = nullptr;
    // srtp_create derives the session keys right away: the master key is not kept.
    const srtp_err_status_t status = srtp_create(&context, &policy);
    OPENSSL_cleanse(keyAndSalt.data(), keyAndSalt.size());
    if (status != srtp_err_status_ok) {
        throw std::runtime_error("srtp_create failed with status " + std::to_string(status));
    }
    return context;
}

SrtpStatus fromLibsrtp(srtp_err_status_t status) {
    switch (status) {
    case srtp_err_status_ok:
        return SrtpStatus::Ok;
    case srtp_err_status_auth_fail:
        return SrtpStatus::AuthFailed;
    case srtp_err_status_replay_fail:
    case srtp_err_status_replay_old:
    case srtp_err_status_pkt_idx_old:
        return SrtpStatus::ReplayFailed;
    case srtp_err_status_bad_param:
    case srtp_err_status_parse_err:
    case srtp_err_status_bad_mki:
        return SrtpStatus::Malformed;
    default:
        return SrtpStatus::Failed;
    }
}

using LibsrtpOperation = srtp_err_status_t (*)(srtp_t, void*, int*);

SrtpStatus run(LibsrtpOperation operation, srtp_t context, std::span<std::uint8_t> buffer, std::size_t& length,
               std::size_t room) noexcept {
    if (context == nullptr) {
        return SrtpStatus::Failed; // a moved-from session
    }
    if (length > buffer.size() || length > static_cast<std::size_t>(INT_MAX) - room) {
        return SrtpStatus::Malformed;
    }
    if (buffer.size() - length < room) {
        return SrtpStatus::BufferTooSmall;
    }
    int libsrtpLength = static_cast<int>(length);
    const SrtpStatus status = fromLibsrtp(operation(context, buffer.data(), &libsrtpLength));
    if (status == SrtpStatus::Ok) {
        length = static_cast<std::size_t>(libsrtpLength);
    }
    return status;
}

} // namespace

std::string_view toString(SrtpStatus status) {
    switch (status) {
    case SrtpStatus::Ok:
        return "ok";
    case SrtpStatus::AuthFailed:
        return "authentication failed";
    case SrtpStatus::ReplayFailed:
        return "replay check failed";
    case SrtpStatus::Malformed:
        return "malformed packet";
    case SrtpStatus::BufferTooSmall:
        return "buffer too small";
    case SrtpStatus::Failed:
        return "failed";
    }
    return "unknown";
}

std::string_view srtpCipherImplementation() {
    return srtp_aes_icm_128.description != nullptr ? srtp_aes_icm_128.description : "";
}

SrtpSession::SrtpSession(SrtpProfile profile, const SrtpMasterKey& local, const SrtpMasterKey& remote)
    : profile_(profile) {
    checkLengths(profile, local);
    checkLengths(profile, remote);
    initializeLibsrtp();
    outbound_ = createContext(profile, local, ssrc_any_outbound);
    try {
        inbound_ = createContext(profile, remote, ssrc_any_inbound);
    } catch (...) {
        srtp_dealloc(outbound_);
        throw;
    }
}

SrtpSession::~SrtpSession() {
    if (outbound_ != nullptr) {
        srtp_dealloc(outbound_);
    }
    if (inbound_ != nullptr) {
        srtp_dealloc(inbound_);
    }
}

SrtpSession::SrtpSession(SrtpSession&& other) noexcept
    : profile_(other.profile_),
      outbound_(std::exchange(other.outbound_, nullptr)),
      inbound_(std::exchange(other.inbound_, nullptr)) {}

SrtpSession& SrtpSession::operator=(SrtpSession&& other) noexcept {
    if (this != &other) {
        std::swap(profile_, other.profile_);
        std::swap(outbound_, other.outbound_);
        std::swap(inbound_, other.inbound_);
    }
    return *this;
}

SrtpStatus SrtpSession::protectRtp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept {
    return run(srtp_protect, outbound_, buffer, length, kSrtpMaxOverhead);
}

SrtpStatus SrtpSession::unprotectRtp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept {
    return run(srtp_unprotect, inbound_, buffer, length, 0);
}

SrtpStatus SrtpSession::protectRtcp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept {
    return run(srtp_protect_rtcp, outbound_, buffer, length, kSrtcpMaxOverhead);
}

SrtpStatus SrtpSession::unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept {
    return run(srtp_unprotect_rtcp, inbound_, buffer, length, 0);
}

} // namespace rtcgate::srtp
