// The RTP/RTCP port pairs one shard may hand out: RTP on an even port, RTCP
// on the odd port above it (RFC 3550 section 11).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace rtcgate::net {

class PortPool {
public:
    using Clock = std::chrono::steady_clock;

    // Pairs whose even port lies in [min, max - 1]; min is rounded up to even.
    PortPool(std::uint16_t min, std::uint16_t max);

    // A released pair is handed out again only after this long: late packets of the old call (or a stranger
    // who knew its ports) must not reach a new one, whatever the delete delay was.
    void setQuarantine(Clock::duration quarantine) { quarantine_ = quarantine; }

    // Hands out the next free pair out of quarantine for which `bind(evenPort)`
    // succeeds, starting after the pair handed out last, so that pairs are used
    // in turn. A pair whose bind fails (another process holds it) stays free.
    std::optional<std::uint16_t> acquire(const std::function<bool(std::uint16_t)>& bind, Clock::time_point now);
    void release(std::uint16_t evenPort, Clock::time_point now);

    std::size_t capacity() const { return used_.size(); }
    // Free pairs, in quarantine or not.
    std::size_t available() const { return available_; }
    // Free pairs still in quarantine at `now`.
    std::size_t quarantined(Clock::time_point now) const;
    std::uint16_t first() const { return first_; }

    // The pools of `shards` shards, each a contiguous slice of [min, max].
    static std::vector<PortPool> split(std::uint16_t min, std::uint16_t max, unsigned shards);

private:
    bool inQuarantine(std::size_t index, Clock::time_point now) const;

    std::uint16_t first_ = 0;
    std::vector<bool> used_;
    std::vector<Clock::time_point> freeFrom_; // when each pair may be handed out again
    std::size_t available_ = 0;
    std::size_t cursor_ = 0;
    Clock::duration quarantine_{};
};

} // namespace rtcgate::net
