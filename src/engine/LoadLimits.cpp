#include "rtcgate/engine/LoadLimits.hpp"

#include <spdlog/fmt/fmt.h>

#include <cstdlib>

namespace rtcgate::engine {

std::string_view describe(LoadLimit limit) {
    switch (limit) {
    case LoadLimit::Sessions:
        return "Parallel session limit reached";
    case LoadLimit::Cpu:
        return "CPU usage limit exceeded";
    case LoadLimit::Load:
        return "Load limit exceeded";
    case LoadLimit::Bandwidth:
        return "Bandwidth limit exceeded";
    }
    return "Load limit exceeded";
}

LoadLimits::LoadLimits(const LoadLimitsConfig& config, std::size_t shards) : config_(config), shards_(shards) {}

std::optional<Refusal> LoadLimits::admit(std::size_t shard, bool transcodes) {
    if (config_.maxCpu) {
        const double limit = *config_.maxCpu * (transcodes ? kTranscodedShareOfMaxCpu : 1.0);
        const double used = cpuPercent(shard);
        if (used > limit) {
            return Refusal{LoadLimit::Cpu, fmt::format("shard {} at {:.1f} % of a core, limit {:.1f} %{}", shard, used,
                                                       limit, transcodes ? " for a transcoded call" : "")};
        }
    }
    if (config_.maxLoad) {
        double load = 0;
        if (getloadavg(&load, 1) == 1 && load > *config_.maxLoad) {
            return Refusal{LoadLimit::Load, fmt::format("load average {:.2f} > {:.2f}", load, *config_.maxLoad)};
        }
    }
    if (config_.maxBandwidth) {
        const auto used = bytesPerSecond();
        if (used > *config_.maxBandwidth) {
            return Refusal{LoadLimit::Bandwidth, fmt::format("{} bytes/s received > {}", used, *config_.maxBandwidth)};
        }
    }
    // Last, so that a refusal for another reason reserves nothing; the reservation is atomic, so two shards
    // admitting at once cannot both take the last session.
    const auto before = sessions_.fetch_add(1, std::memory_order_relaxed);
    if (config_.maxSessions && before >= *config_.maxSessions) {
        sessions_.fetch_sub(1, std::memory_order_relaxed);
        return Refusal{LoadLimit::Sessions, fmt::format("{} sessions", *config_.maxSessions)};
    }
    return std::nullopt;
}

void LoadLimits::release() {
    sessions_.fetch_sub(1, std::memory_order_relaxed);
}

void LoadLimits::publish(std::size_t shard, double cpuPercent, std::uint64_t bytesPerSecond) {
    shards_[shard].cpuPermille.store(static_cast<std::uint32_t>(cpuPercent * 10), std::memory_order_relaxed);
    shards_[shard].bytesPerSecond.store(bytesPerSecond, std::memory_order_relaxed);
}

double LoadLimits::cpuPercent(std::size_t shard) const {
    return static_cast<double>(shards_[shard].cpuPermille.load(std::memory_order_relaxed)) / 10;
}

std::uint64_t LoadLimits::bytesPerSecond() const {
    std::uint64_t sum = 0;
    for (const auto& shard : shards_) {
        sum += shard.bytesPerSecond.load(std::memory_order_relaxed);
    }
    return sum;
}

} // namespace rtcgate::engine
