// One engine thread: its io_context, its slice of the port range, and the
// calls pinned to it. Everything it owns is touched only from its thread.
#pragma once

#include "rtcgate/dtls/DtlsContext.hpp"
#include "rtcgate/engine/ComplexityGovernor.hpp"
#include "rtcgate/engine/EngineConfig.hpp"
#include "rtcgate/engine/LoadLimits.hpp"
#include "rtcgate/media/Call.hpp"
#include "rtcgate/media/MediaContext.hpp"
#include "rtcgate/net/PortPool.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace rtcgate::engine {

struct ShardStatistics {
    unsigned index = 0;
    std::size_t calls = 0;           // in the registry, deleted ones waiting for --delete-delay included
    std::size_t activeCalls = 0;     // not deleted
    std::size_t transcodedMedia = 0; // media lines of those that decode and re-encode
    std::uint64_t managedCalls = 0;  // created since start
    std::uint64_t timedOutCalls = 0;
    std::uint64_t deletedCalls = 0;
    std::uint64_t rejectedOffers = 0;                            // no ports left, or a load limit
    std::array<std::uint64_t, kLoadLimitCount> refusedByLimit{}; // of those, by LoadLimit
    double cpuPercent = 0;                                       // of its media thread, over the last second
    int opusComplexity = 0;                                      // what its calls encode Opus at now
    std::uint64_t opusComplexityLowered = 0;                     // steps down under load since start
    std::uint64_t opusComplexityRaised = 0;
    std::size_t portsAvailable = 0;
    std::size_t portsCapacity = 0;
    std::uint64_t packets = 0; // received on every stream of the calls still in the registry
    std::uint64_t bytes = 0;
    std::uint64_t errors = 0;
};

class Shard {
public:
    Shard(unsigned index, net::PortPool ports, const EngineConfig& config, LoadLimits& limits);
    ~Shard();
    Shard(const Shard&) = delete;
    Shard& operator=(const Shard&) = delete;

    void start();
    // Tears down every call and joins the thread.
    void stop();

    unsigned index() const { return index_; }
    boost::asio::io_context& io() { return io_; }
    const media::MediaContext& context() const { return context_; }

    template <typename Function>
    void post(Function&& function) {
        boost::asio::post(io_, std::forward<Function>(function));
    }

    // --- on the shard's thread only ---
    media::Call* findCall(std::string_view id);
    // Whether a new call may be created here now (the load limits); an admitted one is counted as a session by
    // the createCall that follows, a refused one in the statistics.
    std::optional<Refusal> admitCall(bool transcodes);
    // A new call; one of that id still waiting for --delete-delay is dropped first.
    media::Call& createCall(const std::string& id);
    // Stops media now, frees the call after `delay`.
    void deleteCall(const std::string& id, std::chrono::seconds delay);
    // A call whose offer failed leaves no trace.
    void discardCall(const std::string& id);
    void countRejectedOffer() { ++rejectedOffers_; }
    std::vector<std::string> callIds() const;
    ShardStatistics statistics() const;
    // Timeouts and expired delete delays; runs from the periodic tick.
    void housekeeping(media::Clock::time_point now);

private:
    void reserveSocketStates();
    struct Entry {
        std::unique_ptr<media::Call> call;
        std::optional<media::Clock::time_point> freeAt;
    };

    using CallMap = std::unordered_map<std::string, Entry>;

    void scheduleTick();
    // Stops a call's media and ends its session (the load limits); false when it had ended already. Freed later.
    bool endCall(media::Call& call);
    // Removes a call: its session ends if it was running, and what it received stays in the shard's byte count.
    CallMap::iterator eraseCall(CallMap::iterator it);
    // Once a second: the media thread's CPU and the bytes received, for the load limits.
    // Lowers or raises the Opus complexity of its calls by the load (--opus-complexity-cpu).
    void adaptOpusComplexity(double cpuPercent);
    void measureLoad(media::Clock::time_point now);

    unsigned index_;
    EngineConfig config_;
    boost::asio::io_context io_{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    net::PortPool ports_;
    dtls::DtlsContext dtls_; // the shard's own SSL_CTX, of the engine's certificate
    media::MediaContext context_;
    boost::asio::steady_timer tick_;
    unsigned ticks_ = 0;
    bool stopping_ = false;
    CallMap calls_;
    std::uint64_t managedCalls_ = 0;
    std::uint64_t timedOutCalls_ = 0;
    std::uint64_t deletedCalls_ = 0;
    std::uint64_t rejectedOffers_ = 0;
    std::array<std::uint64_t, kLoadLimitCount> refusedByLimit_{};
    LoadLimits& limits_;
    std::size_t admitted_ = 0; // admitted by admitCall, not created yet
    std::uint64_t bytesOfEndedCalls_ = 0;
    std::optional<media::Clock::time_point> lastMeasure_;
    std::chrono::nanoseconds lastCpu_{0};
    std::uint64_t lastBytes_ = 0;
    ComplexityGovernor complexity_;
    std::thread thread_;
};

} // namespace rtcgate::engine
