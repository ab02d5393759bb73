// A certificate fingerprint as carried by SDP a=fingerprint (RFC 8122 section 5).
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::dtls {

enum class HashAlgorithm {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
};

class Fingerprint {
public:
    Fingerprint(HashAlgorithm algorithm, std::vector<std::uint8_t> digest);

    // Parses the value of an a=fingerprint attribute, e.g. "sha-256 AB:CD:...": hash names and hex digits are
    // case-insensitive; the digest must have the hash's length.
    static std::optional<Fingerprint> parse(std::string_view value);
    // The fingerprint of `cert` with `algorithm`.
    static Fingerprint of(const X509& cert, HashAlgorithm algorithm = HashAlgorithm::Sha256);

    HashAlgorithm algorithm() const { return algorithm_; }
    const std::vector<std::uint8_t>& digest() const { return digest_; }

    // "sha-256 AB:CD:..." with uppercase hex (RFC 8122 section 5).
    std::string toSdp() const;
    // Whether `cert` hashes to this fingerprint with this fingerprint's algorithm.
    bool matches(const X509& cert) const;

    bool operator==(const Fingerprint&) const = default;

private:
    HashAlgorithm algorithm_;
    std::vector<std::uint8_t> digest_;
};

} // namespace rtcgate::dtls
