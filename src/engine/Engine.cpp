#include "rtcgate/engine/Engine.hpp"

#include "rtcgate/net/PortPool.hpp"

#include <openssl/rand.h>
#include <spdlog/fmt/fmt.h>

#include <algorithm>
#include <array>
#include <stdexcept>

namespace rtcgate::engine {

namespace {

std::string randomInstanceId() {
    std::array<unsigned char, 6> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed: cannot make the instance id");
    }
    return fmt::format("{:02x}", fmt::join(bytes, ""));
}

} // namespace

Engine::Engine(const EngineConfig& configuration) : limits_(configuration.limits, std::max(1U, configuration.shards)) {
    EngineConfig config = configuration;
    if (!config.certificate) {
        config.certificate = std::make_shared<const dtls::Certificate>(dtls::Certificate::generate());
    }
    if (config.instanceId.empty()) {
        config.instanceId = randomInstanceId();
    }
    unsigned count = std::max(1U, config.shards);
    auto pools = net::PortPool::split(config.portMin, config.portMax, count);
    for (unsigned i = 0; i < count; ++i) {
        pools[i].setQuarantine(config.portQuarantine);
        shards_.push_back(std::make_unique<Shard>(i, std::move(pools[i]), config, limits_));
    }
}

Engine::~Engine() {
    stop();
}

void Engine::start() {
    for (auto& shard : shards_) {
        shard->start();
    }
}

void Engine::stop() {
    for (auto& shard : shards_) {
        shard->stop();
    }
}

std::size_t Engine::shardIndexFor(std::string_view callId, std::size_t shardCount) {
    std::uint64_t hash = 14695981039346656037ULL;
    for (unsigned char c : callId) {
        hash = (hash ^ c) * 1099511628211ULL;
    }
    return shardCount == 0 ? 0 : static_cast<std::size_t>(hash % shardCount);
}

} // namespace rtcgate::engine
