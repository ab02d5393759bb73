#include "rtcgate/jitter/TransitWindow.hpp"

#include <algorithm>
#include <cmath>

namespace rtcgate::jitter {

TransitWindow::TransitWindow(std::size_t capacity)
    : samples_(std::max<std::size_t>(capacity, 1)), scratch_(samples_.size()), length_(samples_.size()) {}

void TransitWindow::setLength(std::size_t length) {
    length_ = std::clamp<std::size_t>(length, 1, samples_.size());
    clear();
}

void TransitWindow::add(std::int64_t transitUs) {
    samples_[next_] = transitUs;
    next_ = (next_ + 1) % length_;
    count_ = std::min(count_ + 1, length_);
}

void TransitWindow::clear() {
    next_ = 0;
    count_ = 0;
}

std::int64_t TransitWindow::minimum() const {
    return *std::min_element(samples_.begin(), samples_.begin() + static_cast<std::ptrdiff_t>(count_));
}

std::int64_t TransitWindow::spread(double percentile) {
    if (count_ == 0) {
        return 0;
    }
    auto end = std::copy_n(samples_.begin(), count_, scratch_.begin());
    auto rank = static_cast<std::ptrdiff_t>(std::ceil(percentile * static_cast<double>(count_))) - 1;
    auto at = scratch_.begin() + std::clamp<std::ptrdiff_t>(rank, 0, static_cast<std::ptrdiff_t>(count_) - 1);
    std::nth_element(scratch_.begin(), at, end);
    return *at - *std::min_element(scratch_.begin(), end);
}

} // namespace rtcgate::jitter
