// Deterministic SRTP master keys for tests and benchmarks.
#pragma once

#include "rtcgate/srtp/SrtpSession.hpp"

#include <cstdint>
#include <numeric>
#include <vector>

namespace rtcgate::testing {

inline srtp::SrtpMasterKey makeKey(srtp::SrtpProfile profile, std::uint8_t seed) {
    srtp::SrtpMasterKey masterKey{std::vector<std::uint8_t>(srtp::masterKeyLength(profile)),
                                  std::vector<std::uint8_t>(srtp::masterSaltLength(profile))};
    std::iota(masterKey.key.begin(), masterKey.key.end(), seed);
    std::iota(masterKey.salt.begin(), masterKey.salt.end(), static_cast<std::uint8_t>(seed + 100));
    return masterKey;
}

} // namespace rtcgate::testing
