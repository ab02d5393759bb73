#include "rtcgate/ice/IceCredentials.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace rtcgate::ice {

namespace {

// RFC 8445 section 5.3: ice-char = ALPHA / DIGIT / "+" / "/". 64 of them, so
// a random byte modulo 64 is unbiased.
constexpr std::string_view kIceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static_assert(kIceChars.size() == 64);

std::string randomIceString(std::size_t length) {
    std::array<std::uint8_t, 64> bytes{};
    if (length > bytes.size() || RAND_bytes(bytes.data(), static_cast<int>(length)) != 1) {
        throw std::runtime_error("RAND_bytes failed: cannot make ICE credentials");
    }
    std::string text(length, '\0');
    for (std::size_t i = 0; i < length; ++i) {
        text[i] = kIceChars[bytes[i] % kIceChars.size()];
    }
    return text;
}

} // namespace

IceCredentials IceCredentials::generate() {
    return IceCredentials{randomIceString(kUfragLength), randomIceString(kPwdLength)};
}

} // namespace rtcgate::ice
