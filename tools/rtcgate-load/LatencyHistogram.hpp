// Latencies of received packets, in log-spaced bins (1 µs .. 10 s, 2.3 %
// wide): recording allocates nothing, percentiles come from the bins.
#pragma once

#include <boost/histogram.hpp>

#include <cstdint>
#include <vector>

namespace rtcgate::load {

class LatencyHistogram {
public:
    LatencyHistogram();

    void record(std::int64_t nanoseconds);
    LatencyHistogram& operator+=(const LatencyHistogram& other);

    std::uint64_t count() const { return count_; }
    // The upper edge of the bin that holds the q-quantile (0 < q <= 1), in µs,
    // at most max(); 0 when nothing was recorded.
    double percentileMicros(double q) const;
    double maxMicros() const { return static_cast<double>(maxNs_) / 1000.0; }

private:
    using Axis = boost::histogram::axis::regular<double, boost::histogram::axis::transform::log>;
    using Histogram = boost::histogram::histogram<std::tuple<Axis>, boost::histogram::dense_storage<std::uint64_t>>;

    Histogram histogram_;
    std::uint64_t count_ = 0;
    std::int64_t maxNs_ = 0;
};

} // namespace rtcgate::load
