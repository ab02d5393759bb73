// The RTP/RTCP port pairs one shard may hand out: RTP on an even port, RTCP
// on the odd port above it (RFC 3550 section 11).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace rtcgate::net {

class PortPool {
public:
    // Pairs whose even port lies in [min, max - 1]; min is rounded up to even.
    PortPool(std::uint16_t min, std::uint16_t max);

    // Hands out the next free pair for which `bind(evenPort)` succeeds,
    // starting after the pair handed out last so that a freed pair is not
    // reused at once (late packets of the old call must not reach a new one).
    // A pair whose bind fails (another process holds it) stays free.
    std::optional<std::uint16_t> acquire(const std::function<bool(std::uint16_t)>& bind);
    void release(std::uint16_t evenPort);

    std::size_t capacity() const { return used_.size(); }
    std::size_t available() const { return available_; }
    std::uint16_t first() const { return first_; }

    // The pools of `shards` shards, each a contiguous slice of [min, max].
    static std::vector<PortPool> split(std::uint16_t min, std::uint16_t max, unsigned shards);

private:
    std::uint16_t first_ = 0;
    std::vector<bool> used_;
    std::size_t available_ = 0;
    std::size_t cursor_ = 0;
};

} // namespace rtcgate::net
