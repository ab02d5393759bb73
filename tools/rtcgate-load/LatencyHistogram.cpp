#include "LatencyHistogram.hpp"

#include <algorithm>
#include <cmath>

namespace rtcgate::load {

namespace {

constexpr unsigned kBins = 700;
constexpr double kLowestMicros = 1.0;
constexpr double kHighestMicros = 1e7;

} // namespace

LatencyHistogram::LatencyHistogram()
    : histogram_(boost::histogram::make_histogram_with(boost::histogram::dense_storage<std::uint64_t>(),
                                                       Axis(kBins, kLowestMicros, kHighestMicros))) {}

void LatencyHistogram::record(std::int64_t nanoseconds) {
    nanoseconds = std::max<std::int64_t>(nanoseconds, 0);
    histogram_(static_cast<double>(nanoseconds) / 1000.0);
    ++count_;
    maxNs_ = std::max(maxNs_, nanoseconds);
}

LatencyHistogram& LatencyHistogram::operator+=(const LatencyHistogram& other) {
    histogram_ += other.histogram_;
    count_ += other.count_;
    maxNs_ = std::max(maxNs_, other.maxNs_);
    return *this;
}

double LatencyHistogram::percentileMicros(double q) const {
    if (count_ == 0) {
        return 0;
    }
    const auto wanted = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
    std::uint64_t seen = 0;
    for (auto&& bin : boost::histogram::indexed(histogram_, boost::histogram::coverage::all)) {
        seen += static_cast<std::uint64_t>(*bin);
        if (seen >= std::max<std::uint64_t>(wanted, 1)) {
            if (bin.index() < 0) {
                return std::min(kLowestMicros, maxMicros()); // underflow: below 1 µs
            }
            if (bin.index() >= static_cast<int>(kBins)) {
                return maxMicros(); // overflow: above 10 s
            }
            return std::min(bin.bin().upper(), maxMicros());
        }
    }
    return maxMicros();
}

} // namespace rtcgate::load
