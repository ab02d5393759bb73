#include "rtcgate/engine/Shard.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>

namespace rtcgate::engine {

namespace {
// The shard tick: transcoded playout (each transcoder paces itself on its own 20 ms clock,
// within one tick) and, every kTicksPerHousekeeping, timeouts, DTLS and ICE consent.
constexpr auto kTickInterval = media::kMediaTickInterval;
constexpr unsigned kTicksPerHousekeeping = 10;
constexpr auto kLoadInterval = std::chrono::seconds(1);
// Calls freed by one housekeeping run at most (every 100 ms): a few ms of work.
constexpr std::size_t kFreedPerHousekeeping = 64;

std::chrono::nanoseconds threadCpuTime() {
    timespec used{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &used);
    return std::chrono::seconds(used.tv_sec) + std::chrono::nanoseconds(used.tv_nsec);
}
} // namespace

Shard::Shard(unsigned index, net::PortPool ports, const EngineConfig& config, LoadLimits& limits)
    : index_(index),
      config_(config),
      work_(io_.get_executor()),
      ports_(std::move(ports)),
      dtls_(*config_.certificate),
      context_(io_, ports_, config.mediaAddress,
               config.advertisedAddress.empty() ? config.mediaAddress.to_string() : config.advertisedAddress),
      tick_(io_),
      limits_(limits),
      complexity_({.configured = config.transcoding.opus.complexity, .aboveCpuPercent = config.opusComplexityCpu}) {
    context_.dtls = &dtls_;
    context_.instanceId = config.instanceId;
    std::vector<boost::asio::ip::address> own{config.mediaAddress};
    boost::system::error_code error;
    if (auto advertised = boost::asio::ip::make_address(config.advertisedAddress, error); !error) {
        own.push_back(advertised);
    }
    context_.ownSockets = net::OwnSockets(std::move(own), config.portMin, config.portMax);
    context_.transcoding = config.transcoding;
    context_.learning = config.learning;
    context_.dtmfLog = config.dtmfLog.get();
    reserveSocketStates();
}

void Shard::reserveSocketStates() {
    // Asio's reactor keeps the state of every socket it has had in a pool that never shrinks. Left to grow, the
    // pool's objects land between a flood's calls and pin their pages after the calls are freed (a flood of 2,000
    // calls of 40 KB SDPs left 19 MB resident). Sized here, once, for every socket the port range can have, they lie
    // together, and calls reuse them.
    std::vector<boost::asio::ip::udp::socket> sockets;
    sockets.reserve(2 * ports_.capacity());
    for (std::size_t i = 0; i < 2 * ports_.capacity(); ++i) {
        boost::system::error_code error;
        boost::asio::ip::udp::socket socket(io_);
        socket.open(config_.mediaAddress.is_v6() ? boost::asio::ip::udp::v6() : boost::asio::ip::udp::v4(), error);
        if (error) {
            break; // the open-file limit: the rest grows as calls need it
        }
        sockets.push_back(std::move(socket));
    }
}

Shard::~Shard() {
    try {
        stop();
    } catch (const std::exception& e) {
        spdlog::critical("shard {}: stopping failed: {}", index_, e.what());
    }
}

void Shard::start() {
    scheduleTick();
    thread_ = std::thread([this] {
        try {
            io_.run();
        } catch (const std::exception& e) {
            spdlog::critical("shard {}: {}", index_, e.what());
            throw;
        }
    });
}

void Shard::stop() {
    if (!thread_.joinable()) {
        return;
    }
    post([this] {
        stopping_ = true;
        calls_.clear();
        tick_.cancel();
        work_.reset(); // run() returns once the streams' last handlers have run
    });
    thread_.join();
}

void Shard::scheduleTick() {
    // From the previous expiry, not from now: the tick does not drift behind the wall clock.
    const auto now = media::Clock::now();
    const auto next = tick_.expiry() + kTickInterval;
    tick_.expires_at(next > now ? next : now + kTickInterval);
    tick_.async_wait([this](const boost::system::error_code& error) {
        if (error || stopping_) {
            return;
        }
        const auto now = media::Clock::now();
        for (auto& [id, entry] : calls_) {
            entry.call->onMediaTick(now);
        }
        if (++ticks_ % kTicksPerHousekeeping == 0) {
            housekeeping(now);
        }
        scheduleTick();
    });
}

media::Call* Shard::findCall(std::string_view id) {
    auto it = calls_.find(std::string(id));
    return it == calls_.end() ? nullptr : it->second.call.get();
}

std::optional<Refusal> Shard::admitCall(bool transcodes) {
    auto refusal = limits_.admit(index_, transcodes);
    if (refusal) {
        ++rejectedOffers_;
        ++refusedByLimit_.at(static_cast<std::size_t>(refusal->limit));
    } else {
        ++admitted_;
    }
    return refusal;
}

media::Call& Shard::createCall(const std::string& id) {
    if (admitted_ > 0) {
        --admitted_;
    } else {
        limits_.add();
    }
    if (auto old = calls_.find(id); old != calls_.end()) {
        eraseCall(old); // deleted, waiting for --delete-delay
    }
    auto call = std::make_unique<media::Call>(id, context_);
    auto& entry = calls_[id];
    entry.call = std::move(call);
    ++managedCalls_;
    return *entry.call;
}

void Shard::deleteCall(const std::string& id, std::chrono::seconds delay) {
    auto it = calls_.find(id);
    if (it == calls_.end()) {
        return;
    }
    if (endCall(*it->second.call)) {
        ++deletedCalls_;
    }
    if (delay.count() <= 0) {
        eraseCall(it);
    } else {
        it->second.freeAt = media::Clock::now() + delay;
    }
}

void Shard::discardCall(const std::string& id) {
    if (auto it = calls_.find(id); it != calls_.end()) {
        eraseCall(it);
        --managedCalls_;
    }
}

bool Shard::endCall(media::Call& call) {
    if (call.deleted()) {
        return false;
    }
    limits_.release(); // its session ends
    call.markDeleted();
    return true;
}

Shard::CallMap::iterator Shard::eraseCall(CallMap::iterator it) {
    if (!it->second.call->deleted()) {
        limits_.release(); // its session ends
    }
    bytesOfEndedCalls_ += it->second.call->totals().bytes;
    return calls_.erase(it);
}

std::vector<std::string> Shard::callIds() const {
    std::vector<std::string> ids;
    ids.reserve(calls_.size());
    for (const auto& [id, entry] : calls_) {
        ids.push_back(id);
    }
    return ids;
}

ShardStatistics Shard::statistics() const {
    ShardStatistics s;
    s.index = index_;
    s.calls = calls_.size();
    s.managedCalls = managedCalls_;
    s.timedOutCalls = timedOutCalls_;
    s.deletedCalls = deletedCalls_;
    s.rejectedOffers = rejectedOffers_;
    s.refusedByLimit = refusedByLimit_;
    s.cpuPercent = limits_.cpuPercent(index_);
    s.opusComplexity = complexity_.complexity();
    s.opusComplexityLowered = complexity_.lowered();
    s.opusComplexityRaised = complexity_.raised();
    s.portsAvailable = ports_.available();
    s.portsCapacity = ports_.capacity();
    for (const auto& [id, entry] : calls_) {
        if (!entry.call->deleted()) {
            ++s.activeCalls;
            s.transcodedMedia += entry.call->transcodedLines();
        }
        const media::StreamStats totals = entry.call->totals();
        s.packets += totals.packets;
        s.bytes += totals.bytes;
        s.errors += totals.errors;
    }
    return s;
}

void Shard::housekeeping(media::Clock::time_point now) {
    std::size_t freed = 0;
    for (auto it = calls_.begin(); it != calls_.end();) {
        Entry& entry = it->second;
        if (!entry.call->deleted()) {
            entry.call->onTick(now);
            if (now - entry.call->lastActivity() >= config_.timeout) {
                ++timedOutCalls_;
                spdlog::info("[{}] no media for {} s: call torn down", it->first, config_.timeout.count());
                endCall(*entry.call);
                entry.freeAt = now;
            }
        }
        // Calls that end together (a proxy's restart, a network gone) are freed a slice per run: freeing
        // thousands at once would hold up the shard's media.
        if (entry.freeAt && now >= *entry.freeAt && freed < kFreedPerHousekeeping) {
            ++freed;
            it = eraseCall(it);
        } else {
            ++it;
        }
    }
    measureLoad(now);
}

void Shard::adaptOpusComplexity(double cpuPercent) {
    const auto complexity = complexity_.update(cpuPercent);
    if (!complexity) {
        return;
    }
    spdlog::info("shard {}: {:.0f} % CPU: Opus complexity {} for its calls", index_, cpuPercent, *complexity);
    context_.transcoding.opus.complexity = *complexity; // for the calls to come
    for (auto& [id, entry] : calls_) {
        entry.call->setOpusComplexity(*complexity);
    }
}

void Shard::measureLoad(media::Clock::time_point now) {
    if (lastMeasure_ && now - *lastMeasure_ < kLoadInterval) {
        return;
    }
    const auto cpu = threadCpuTime();
    std::uint64_t bytes = bytesOfEndedCalls_;
    for (const auto& [id, entry] : calls_) {
        bytes += entry.call->totals().bytes;
    }
    if (lastMeasure_) {
        const double seconds = std::chrono::duration<double>(now - *lastMeasure_).count();
        const double cpuPercent = 100 * std::chrono::duration<double>(cpu - lastCpu_).count() / seconds;
        limits_.publish(index_, cpuPercent,
                        static_cast<std::uint64_t>(static_cast<double>(bytes - lastBytes_) / seconds));
        adaptOpusComplexity(cpuPercent);
    }
    lastMeasure_ = now;
    lastCpu_ = cpu;
    lastBytes_ = bytes;
}

} // namespace rtcgate::engine
