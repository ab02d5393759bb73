#include "rtcgate/rtp/NtpTime.hpp"

#include <limits>

namespace rtcgate::rtp {

namespace {
// 1970-01-01 minus 1900-01-01: 70 years, 17 of them leap years.
constexpr std::uint64_t kUnixEpochInNtpSeconds = 2'208'988'800ULL;
constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
constexpr std::uint64_t kCompactUnitsPerSecond = 65'536;
} // namespace

NtpTimestamp toNtp(std::chrono::system_clock::time_point time) {
    const auto sinceUnixEpoch = std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count();
    std::int64_t seconds = sinceUnixEpoch / kNanosecondsPerSecond;
    std::int64_t nanoseconds = sinceUnixEpoch % kNanosecondsPerSecond;
    if (nanoseconds < 0) {
        --seconds;
        nanoseconds += kNanosecondsPerSecond;
    }
    const std::uint64_t ntpSeconds = static_cast<std::uint64_t>(seconds) + kUnixEpochInNtpSeconds;
    const std::uint64_t fraction = (static_cast<std::uint64_t>(nanoseconds) << 32U) / kNanosecondsPerSecond;
    return (ntpSeconds << 32U) | fraction;
}

std::uint32_t toCompactNtp(std::chrono::nanoseconds duration) {
    if (duration.count() <= 0) {
        return 0;
    }
    const auto count = static_cast<std::uint64_t>(duration.count());
    const std::uint64_t seconds = count / kNanosecondsPerSecond;
    if (seconds >= kCompactUnitsPerSecond) {
        return std::numeric_limits<std::uint32_t>::max();
    }
    const std::uint64_t fraction = (count % kNanosecondsPerSecond) * kCompactUnitsPerSecond / kNanosecondsPerSecond;
    return static_cast<std::uint32_t>(seconds * kCompactUnitsPerSecond + fraction);
}

std::chrono::microseconds fromCompactNtp(std::uint32_t compact) {
    return std::chrono::microseconds{
        static_cast<std::int64_t>(std::uint64_t{compact} * 1'000'000U / kCompactUnitsPerSecond)};
}

std::optional<std::chrono::microseconds> roundTripTime(std::uint32_t arrivalMiddle32, std::uint32_t lastSenderReport,
                                                       std::uint32_t delaySinceLastSenderReport) {
    if (lastSenderReport == 0) {
        return std::nullopt;
    }
    // Modulo 2^32 like the 32-bit fields themselves, so a wrap of the 16-bit seconds is harmless.
    const auto rtt = static_cast<std::int32_t>(arrivalMiddle32 - lastSenderReport - delaySinceLastSenderReport);
    if (rtt < 0) {
        return std::nullopt;
    }
    return fromCompactNtp(static_cast<std::uint32_t>(rtt));
}

} // namespace rtcgate::rtp
