#include "AllocationCounter.hpp"

#include <openssl/crypto.h>

#include <cstdio>
#include <cstdlib>
#include <new>

namespace rtcgate::testing {
std::atomic<bool> countingAllocations{false};
std::atomic<std::size_t> allocationCount{0};
} // namespace rtcgate::testing

namespace {

void countAllocation() {
    if (rtcgate::testing::countingAllocations.load(std::memory_order_relaxed)) {
        rtcgate::testing::allocationCount.fetch_add(1, std::memory_order_relaxed);
    }
}

void* countingOpenSslMalloc(std::size_t size, const char*, int) {
    countAllocation();
    return std::malloc(size);
}

void* countingOpenSslRealloc(void* pointer, std::size_t size, const char*, int) {
    if (size != 0) { // a realloc to 0 bytes is OpenSSL's way to free
        countAllocation();
    }
    return std::realloc(pointer, size);
}

void countingOpenSslFree(void* pointer, const char*, int) {
    std::free(pointer);
}

// OpenSSL takes a replacement allocator only before its first allocation, so this runs ahead
// of every ordinary static initializer of the test binary (priority 101, the first one free).
[[gnu::constructor(101)]] void countOpenSslAllocations() {
    if (CRYPTO_set_mem_functions(countingOpenSslMalloc, countingOpenSslRealloc, countingOpenSslFree) == 0) {
        std::fputs("AllocationCounter: OpenSSL allocated before its allocator could be replaced\n", stderr);
        std::abort();
    }
}

} // namespace

void* operator new(std::size_t size) {
    countAllocation();
    if (void* p = std::malloc(size == 0 ? 1 : size)) {
        return p;
    }
    throw std::bad_alloc();
}

// The nothrow form too (std::stable_sort's temporary buffer uses it): left to
// the sanitizer's runtime, its memory would reach the free() below.
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    countAllocation();
    return std::malloc(size == 0 ? 1 : size);
}

void operator delete(void* p) noexcept {
    std::free(p);
}

void operator delete(void* p, const std::nothrow_t&) noexcept {
    std::free(p);
}

void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}
