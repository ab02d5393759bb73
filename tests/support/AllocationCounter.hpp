// Counts heap allocations made by any thread while a scope is open: every operator new,
// and every allocation OpenSSL makes (its allocator is replaced before its first one, see
// AllocationCounter.cpp), so also those of libsrtp2 and the DTLS stack below rtcgate. The
// proof that the media hot path allocates nothing per packet.
#pragma once

#include <atomic>
#include <cstddef>

namespace rtcgate::testing {

extern std::atomic<bool> countingAllocations;
extern std::atomic<std::size_t> allocationCount;

class AllocationScope {
public:
    AllocationScope() {
        allocationCount = 0;
        countingAllocations = true;
    }
    ~AllocationScope() { countingAllocations = false; }
    AllocationScope(const AllocationScope&) = delete;
    AllocationScope& operator=(const AllocationScope&) = delete;

    std::size_t count() const { return allocationCount.load(); }
};

} // namespace rtcgate::testing
