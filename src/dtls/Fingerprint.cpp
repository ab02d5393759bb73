#include "rtcgate/dtls/Fingerprint.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>
#include <utility>

namespace rtcgate::dtls {

namespace {

struct HashName {
    HashAlgorithm algorithm;
    std::string_view sdpName;
};

// RFC 8122 section 5 hash function textual names, as in the IANA registry.
constexpr std::array<HashName, 4> kHashNames{{
    {HashAlgorithm::Sha1, "sha-1"},
    {HashAlgorithm::Sha256, "sha-256"},
    {HashAlgorithm::Sha384, "sha-384"},
    {HashAlgorithm::Sha512, "sha-512"},
}};

const EVP_MD* messageDigest(HashAlgorithm algorithm) {
    switch (algorithm) {
    case HashAlgorithm::Sha1:
        return EVP_sha1();
    case HashAlgorithm::Sha256:
        return EVP_sha256();
    case HashAlgorithm::Sha384:
        return EVP_sha384();
    case HashAlgorithm::Sha512:
        return EVP_sha512();
    }
    return EVP_sha256();
}

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
    return std::ranges::equal(a, b, [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string_view trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

} // namespace

Fingerprint::Fingerprint(HashAlgorithm algorithm, std::vector<std::uint8_t> digest)
    : algorithm_(algorithm), digest_(std::move(digest)) {}

std::optional<Fingerprint> Fingerprint::parse(std::string_view value) {
    value = trim(value);
    const auto space = value.find_first_of(" \t");
    if (space == std::string_view::npos) {
        return std::nullopt;
    }
    const auto name = value.substr(0, space);
    const auto hex = trim(value.substr(space));
    const auto* hash = std::ranges::find_if(
        kHashNames, [&](const HashName& known) { return equalsIgnoringCase(known.sdpName, name); });
    if (hash == kHashNames.end() || hex.empty()) {
        return std::nullopt;
    }
    // RFC 8122: pairs of hex digits separated by colons.
    for (std::size_t i = 0; i < hex.size(); ++i) {
        const bool separator = i % 3 == 2;
        if (separator ? hex[i] != ':' : !std::isxdigit(static_cast<unsigned char>(hex[i]))) {
            return std::nullopt;
        }
    }
    const auto digestSize = static_cast<std::size_t>(EVP_MD_get_size(messageDigest(hash->algorithm)));
    const std::string hexText(hex);
    std::vector<std::uint8_t> digest(digestSize);
    std::size_t length = 0;
    if (hex.size() != digestSize * 3 - 1 ||
        OPENSSL_hexstr2buf_ex(digest.data(), digest.size(), &length, hexText.c_str(), ':') != 1 ||
        length != digestSize) {
        return std::nullopt;
    }
    return Fingerprint(hash->algorithm, std::move(digest));
}

Fingerprint Fingerprint::of(const X509& cert, HashAlgorithm algorithm) {
    std::vector<std::uint8_t> digest(EVP_MAX_MD_SIZE);
    unsigned int length = 0;
    if (X509_digest(&cert, messageDigest(algorithm), digest.data(), &length) != 1) {
        throw std::runtime_error("X509_digest failed");
    }
    digest.resize(length);
    return {algorithm, std::move(digest)};
}

std::string Fingerprint::toSdp() const {
    const auto* hash =
        std::ranges::find_if(kHashNames, [&](const HashName& known) { return known.algorithm == algorithm_; });
    std::string hex(digest_.size() * 3 + 1, '\0');
    std::size_t length = 0;
    if (OPENSSL_buf2hexstr_ex(hex.data(), hex.size(), &length, digest_.data(), digest_.size(), ':') != 1) {
        throw std::runtime_error("OPENSSL_buf2hexstr_ex failed");
    }
    hex.resize(length - 1); // length counts the terminating NUL
    return std::string(hash->sdpName) + ' ' + hex;
}

bool Fingerprint::matches(const X509& cert) const {
    return of(cert, algorithm_) == *this;
}

} // namespace rtcgate::dtls
