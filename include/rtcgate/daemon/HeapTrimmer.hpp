// Gives the heap's freed memory back to the system after a flood: glibc keeps what calls, SDPs and cached replies
// freed in its arenas, and a daemon that once held 2,000 large calls would stay at that size for good.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>

namespace rtcgate::daemon {

class HeapTrimmer {
public:
    // Looks once per `interval` on the control thread; trims when at least `threshold` bytes more are free in the
    // arenas than at the last trim. The media threads allocate nothing per packet, so the arenas' locks that
    // malloc_trim takes in turn hold up none of them.
    HeapTrimmer(boost::asio::io_context& io, std::chrono::milliseconds interval, std::size_t threshold);
    void start();
    void stop();

private:
    void schedule();
    void check();

    boost::asio::steady_timer timer_;
    std::chrono::milliseconds interval_;
    std::size_t threshold_;
    std::size_t freeAfterTrim_ = 0;
};

} // namespace rtcgate::daemon
