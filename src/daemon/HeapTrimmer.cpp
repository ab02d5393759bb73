#include "rtcgate/daemon/HeapTrimmer.hpp"

#include <spdlog/spdlog.h>

#include <malloc.h>

namespace rtcgate::daemon {

HeapTrimmer::HeapTrimmer(boost::asio::io_context& io, std::chrono::milliseconds interval, std::size_t threshold)
    : timer_(io), interval_(interval), threshold_(threshold) {}

void HeapTrimmer::start() {
    freeAfterTrim_ = mallinfo2().fordblks;
    schedule();
}

void HeapTrimmer::stop() {
    timer_.cancel();
}

void HeapTrimmer::schedule() {
    timer_.expires_after(interval_);
    timer_.async_wait([this](const boost::system::error_code& error) {
        if (!error) {
            check();
            schedule();
        }
    });
}

void HeapTrimmer::check() {
    // fordblks counts free chunks whether or not their pages are still resident, so it does not fall after a trim:
    // what is compared is how much more became free since.
    const std::size_t free = mallinfo2().fordblks;
    if (free < freeAfterTrim_) {
        freeAfterTrim_ = free; // reused since
        return;
    }
    if (free - freeAfterTrim_ < threshold_) {
        return;
    }
    const auto started = std::chrono::steady_clock::now();
    malloc_trim(0);
    freeAfterTrim_ = mallinfo2().fordblks;
    spdlog::debug(
        "heap: {} MB free in the arenas, trimmed in {} us", free >> 20U,
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count());
}

} // namespace rtcgate::daemon
