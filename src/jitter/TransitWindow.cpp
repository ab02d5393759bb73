#include "rtcgate/jitter/TransitWindow.hpp"

#include <algorithm>
#include <cmath>

namespace rtcgate::jitter {

TransitWindow::TransitWindow(std::size_t capacity)
    : samples_(std::max<std::size_t>(capacity, 1)), sorted_(samples_.size()), length_(samples_.size()) {}

void TransitWindow::setLength(std::size_t length) {
    length_ = std::clamp<std::size_t>(length, 1, samples_.size());
    clear();
}

void TransitWindow::add(std::int64_t transitUs) {
    auto end = sorted_.begin() + static_cast<std::ptrdiff_t>(count_);
    if (count_ == length_) { // the oldest leaves
        const auto leaving = std::lower_bound(sorted_.begin(), end, samples_[next_]);
        end = std::move(leaving + 1, end, leaving);
        --count_;
    }
    const auto at = std::upper_bound(sorted_.begin(), end, transitUs);
    std::move_backward(at, end, end + 1);
    *at = transitUs;
    ++count_;
    samples_[next_] = transitUs;
    next_ = (next_ + 1) % length_;
}

void TransitWindow::clear() {
    next_ = 0;
    count_ = 0;
}

std::int64_t TransitWindow::minimum() const {
    return count_ == 0 ? 0 : sorted_.front();
}

std::int64_t TransitWindow::spread(double percentile) const {
    if (count_ == 0) {
        return 0;
    }
    const auto rank = static_cast<std::ptrdiff_t>(std::ceil(percentile * static_cast<double>(count_))) - 1;
    return sorted_[static_cast<std::size_t>(
               std::clamp<std::ptrdiff_t>(rank, 0, static_cast<std::ptrdiff_t>(count_) - 1))] -
           sorted_.front();
}

} // namespace rtcgate::jitter
