// rtpengine's limits on new calls (--max-sessions, --max-load, --max-cpu, --max-bandwidth): past one, an offer that
// would create a call is refused, so that the proxy tries another media server, and the running calls keep their
// quality. Shared by every shard; atomics only, nothing on the media path.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::engine {

struct LoadLimitsConfig {
    std::optional<std::size_t> maxSessions{};    // calls not deleted, all shards
    std::optional<double> maxLoad{};             // the 1-minute load average
    std::optional<double> maxCpu{};              // percent of one core, the shard's own media thread
    std::optional<std::uint64_t> maxBandwidth{}; // bytes per second received, all shards

    bool operator==(const LoadLimitsConfig&) const = default;
};

enum class LoadLimit {
    Sessions,
    Cpu,
    Load,
    Bandwidth
};
inline constexpr std::size_t kLoadLimitCount = 4;

// rtpengine's words for it, as a proxy reads them (its reply's "message", or its error reason).
std::string_view describe(LoadLimit limit);

// A call refused: which limit, and what was measured against it (for the log).
struct Refusal {
    LoadLimit limit;
    std::string detail;
};

class LoadLimits {
public:
    LoadLimits(const LoadLimitsConfig& config, std::size_t shards);

    // On the shard's thread, before it creates a call: nullopt admits it and counts it as a session until
    // release(). A call that will be transcoded costs a multiple of a relayed one: it is refused at
    // kTranscodedShareOfMaxCpu of --max-cpu already.
    std::optional<Refusal> admit(std::size_t shard, bool transcodes);
    // A session that was not asked for (admitted without a check) starts.
    void add() { sessions_.fetch_add(1, std::memory_order_relaxed); }
    // A session ended (deleted, timed out, its offer failed).
    void release();
    // Each shard, about once a second: its media thread's CPU (percent of a core) and the bytes per second it
    // received.
    void publish(std::size_t shard, double cpuPercent, std::uint64_t bytesPerSecond);

    std::size_t sessions() const { return sessions_.load(std::memory_order_relaxed); }
    double cpuPercent(std::size_t shard) const;
    std::uint64_t bytesPerSecond() const;

    static constexpr double kTranscodedShareOfMaxCpu = 0.9;

private:
    struct ShardLoad {
        std::atomic<std::uint32_t> cpuPermille{0}; // of a core, ×10 percent
        std::atomic<std::uint64_t> bytesPerSecond{0};
    };

    LoadLimitsConfig config_;
    std::atomic<std::size_t> sessions_{0};
    std::vector<ShardLoad> shards_; // sized at construction: atomics do not move
};

} // namespace rtcgate::engine
