#include "rtcgate/net/PortPool.hpp"

namespace rtcgate::net {

PortPool::PortPool(std::uint16_t min, std::uint16_t max) {
    unsigned even = min + (min % 2U);
    first_ = static_cast<std::uint16_t>(even);
    std::size_t pairs = (max > even) ? (static_cast<std::size_t>(max) - even + 1) / 2 : 0;
    used_.assign(pairs, false);
    freeFrom_.assign(pairs, Clock::time_point::min());
    available_ = pairs;
}

bool PortPool::inQuarantine(std::size_t index, Clock::time_point now) const {
    return now < freeFrom_[index];
}

std::size_t PortPool::quarantined(Clock::time_point now) const {
    std::size_t count = 0;
    for (std::size_t index = 0; index < used_.size(); ++index) {
        count += !used_[index] && inQuarantine(index, now) ? 1 : 0;
    }
    return count;
}

std::optional<std::uint16_t> PortPool::acquire(const std::function<bool(std::uint16_t)>& bind, Clock::time_point now) {
    for (std::size_t tried = 0; tried < used_.size(); ++tried) {
        std::size_t index = cursor_;
        cursor_ = (cursor_ + 1) % used_.size();
        if (used_[index] || inQuarantine(index, now)) {
            continue;
        }
        auto port = static_cast<std::uint16_t>(first_ + 2 * index);
        if (bind(port)) {
            used_[index] = true;
            --available_;
            return port;
        }
    }
    return std::nullopt;
}

void PortPool::release(std::uint16_t evenPort, Clock::time_point now) {
    if (evenPort < first_ || (evenPort - first_) % 2 != 0) {
        return;
    }
    std::size_t index = (evenPort - first_) / 2U;
    if (index < used_.size() && used_[index]) {
        used_[index] = false;
        freeFrom_[index] = now + quarantine_;
        ++available_;
    }
}

std::vector<PortPool> PortPool::split(std::uint16_t min, std::uint16_t max, unsigned shards) {
    PortPool whole(min, max);
    std::size_t pairs = whole.capacity();
    std::vector<PortPool> pools;
    pools.reserve(shards);
    std::size_t begin = 0;
    for (unsigned i = 0; i < shards; ++i) {
        std::size_t count = pairs / shards + (i < pairs % shards ? 1 : 0);
        auto lo = static_cast<std::uint16_t>(whole.first_ + 2 * begin);
        auto hi = static_cast<std::uint16_t>(count == 0 ? lo : lo + 2 * count - 1);
        PortPool pool(lo, hi);
        if (count == 0) {
            pool.used_.clear();
            pool.freeFrom_.clear();
            pool.available_ = 0;
        }
        pools.push_back(std::move(pool));
        begin += count;
    }
    return pools;
}

} // namespace rtcgate::net
