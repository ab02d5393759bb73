// The shards, and which of them owns a call.
#pragma once

#include "rtcgate/engine/EngineConfig.hpp"
#include "rtcgate/engine/Shard.hpp"

#include <boost/asio/post.hpp>

#include <cstddef>
#include <memory>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace rtcgate::engine {

class Engine {
public:
    explicit Engine(const EngineConfig& config);
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    void start();
    void stop();

    std::size_t shardCount() const { return shards_.size(); }
    Shard& shard(std::size_t index) { return *shards_[index]; }
    Shard& shardFor(std::string_view callId) { return *shards_[shardIndexFor(callId, shards_.size())]; }

    // A call-id always maps to the same shard (FNV-1a: stable across runs and builds).
    static std::size_t shardIndexFor(std::string_view callId, std::size_t shardCount);

    // Runs work(shard) on the shard's thread, then done(result) through `replies` (the caller's
    // executor). Nothing is shared between the threads but the result, which is moved.
    template <typename Executor, typename Work, typename Done>
    void invokeOn(Shard& shard, const Executor& replies, Work work, Done done) {
        shard.post([&shard, replies, work = std::move(work), done = std::move(done)]() mutable {
            auto result = work(shard);
            boost::asio::post(
                replies, [done = std::move(done), result = std::move(result)]() mutable { done(std::move(result)); });
        });
    }

    // Runs work(shard) on every shard; done gets the results, in shard order, through `replies`
    // once the last shard has answered.
    template <typename Executor, typename Work, typename Done>
    void mapShards(const Executor& replies, Work work, Done done) {
        using Result = std::invoke_result_t<Work&, Shard&>;
        struct Gather {
            std::vector<Result> results;
            std::size_t pending = 0;
            Done done;
        };
        auto gather =
            std::make_shared<Gather>(Gather{std::vector<Result>(shards_.size()), shards_.size(), std::move(done)});
        for (std::size_t i = 0; i < shards_.size(); ++i) {
            invokeOn(*shards_[i], replies, work, [gather, i](Result result) {
                gather->results[i] = std::move(result);
                if (--gather->pending == 0) {
                    gather->done(std::move(gather->results));
                }
            });
        }
    }

private:
    LoadLimits limits_; // before the shards, which use it until they are gone
    std::vector<std::unique_ptr<Shard>> shards_;
};

} // namespace rtcgate::engine
