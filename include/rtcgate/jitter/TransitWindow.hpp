#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rtcgate::jitter {

// The relative transit times (arrival minus RTP send time, RFC 3550 section 6.4.1) of the last packets:
// the fastest one, and how much slower than it a given share of packets arrived. The window is also kept
// sorted, so that the jitter buffer's questions on every frame cost a look-up, not a pass over the window.
class TransitWindow {
public:
    explicit TransitWindow(std::size_t capacity);

    // Keeps the last `length` transits (at most the capacity, at least one) and forgets those it had.
    void setLength(std::size_t length);
    void add(std::int64_t transitUs);
    void clear();
    bool empty() const { return count_ == 0; }
    std::int64_t minimum() const;
    // The transit at the percentile minus the minimum.
    std::int64_t spread(double percentile) const;

private:
    std::vector<std::int64_t> samples_; // in arrival order, a ring
    std::vector<std::int64_t> sorted_;  // the same count_ values, ascending
    std::size_t length_;
    std::size_t next_ = 0;
    std::size_t count_ = 0;
};

} // namespace rtcgate::jitter
