#include "AllocationCounter.hpp"

#include <cstdlib>
#include <new>

namespace rtcgate::testing {
std::atomic<bool> countingAllocations{false};
std::atomic<std::size_t> allocationCount{0};
} // namespace rtcgate::testing

void* operator new(std::size_t size) {
    if (rtcgate::testing::countingAllocations.load(std::memory_order_relaxed)) {
        rtcgate::testing::allocationCount.fetch_add(1, std::memory_order_relaxed);
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}

void operator delete(void* p) noexcept {
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
