// The shards, and which of them owns a call.
#pragma once

#include "rtcgate/engine/EngineConfig.hpp"
#include "rtcgate/engine/Shard.hpp"

#include <memory>
#include <string_view>
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

private:
    std::vector<std::unique_ptr<Shard>> shards_;
};

} // namespace rtcgate::engine
