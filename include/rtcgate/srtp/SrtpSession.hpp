// One leg's pair of SRTP contexts (RFC 3711): outbound packets are protected with the
// local master key, inbound packets unprotected with the remote one. libsrtp2, built on
// OpenSSL (subprojects/libsrtp2), does the work.
#pragma once

#include "rtcgate/srtp/SrtpProfile.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

struct srtp_ctx_t_; // libsrtp2's context: srtp_t points to one

namespace rtcgate::srtp {

// How many bytes protection may append, so how much room past the packet a caller's
// buffer must have: SRTP adds the authentication tag (10 or 4 bytes, 16 for AEAD);
// SRTCP adds the 4-byte E flag + SRTCP index and a tag of 10 bytes (also for the
// _32 profile, RFC 5764 section 4.1.2) or 16 bytes (AEAD). No MKI is ever used.
constexpr std::size_t kSrtpMaxOverhead = 16;
constexpr std::size_t kSrtcpMaxOverhead = 4 + 16;

struct SrtpMasterKey {
    std::vector<std::uint8_t> key;
    std::vector<std::uint8_t> salt;

    bool operator==(const SrtpMasterKey&) const = default;
};

struct SrtpKeyPair {
    SrtpMasterKey local;  // protects what this side sends
    SrtpMasterKey remote; // unprotects what the peer sends
};

enum class SrtpStatus {
    Ok,
    AuthFailed,     // authentication tag (or AEAD tag) did not verify
    ReplayFailed,   // index already seen or older than the replay window
    Malformed,      // too short, bad header, bad length
    BufferTooSmall, // the caller's buffer lacks the room protection needs
    Failed,         // any other libsrtp2 error
};

std::string_view toString(SrtpStatus status);

// The implementation behind libsrtp2's AES-CM cipher, e.g. "AES-128 counter mode using
// openssl": tells which crypto library the linked libsrtp2 was built on.
std::string_view srtpCipherImplementation();

class SrtpSession {
public:
    // Any SSRC is accepted both ways (ssrc_any_outbound / ssrc_any_inbound); libsrtp2
    // clones a stream context on the first packet of each new SSRC. Throws
    // std::invalid_argument for key or salt lengths that do not fit the profile and
    // std::runtime_error when libsrtp2 refuses the session.
    SrtpSession(SrtpProfile profile, const SrtpMasterKey& local, const SrtpMasterKey& remote);
    SrtpSession(SrtpProfile profile, const SrtpKeyPair& keys) : SrtpSession(profile, keys.local, keys.remote) {}
    ~SrtpSession();

    SrtpSession(SrtpSession&& other) noexcept;
    SrtpSession& operator=(SrtpSession&& other) noexcept;
    SrtpSession(const SrtpSession&) = delete;
    SrtpSession& operator=(const SrtpSession&) = delete;

    SrtpProfile profile() const { return profile_; }

    // All four work in place: `buffer` holds the packet in its first `length` bytes, and
    // on Ok `length` is the new packet length. Protection needs buffer.size() >= length +
    // kSrtpMaxOverhead (kSrtcpMaxOverhead for RTCP), else BufferTooSmall.
    // On any status but Ok, `length` is unchanged and the packet must be dropped: its
    // bytes are unspecified (AES-CM verifies the tag before decrypting and leaves them
    // untouched, but AEAD decrypts in place before the tag check fails).
    // Never throws. Nothing allocates per packet (only libsrtp2's clone of a new SSRC's stream),
    // OpenSSL included: libsrtp2's HMAC-SHA1 is patched (subprojects/packagefiles/libsrtp2) not to
    // re-initialize an OpenSSL 3 MAC context, 2 mallocs, for every AES-CM packet.
    SrtpStatus protectRtp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;
    SrtpStatus unprotectRtp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;
    SrtpStatus protectRtcp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;
    SrtpStatus unprotectRtcp(std::span<std::uint8_t> buffer, std::size_t& length) noexcept;

private:
    SrtpProfile profile_;
    srtp_ctx_t_* outbound_ = nullptr;
    srtp_ctx_t_* inbound_ = nullptr;
};

} // namespace rtcgate::srtp
