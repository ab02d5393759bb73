#include "ReceiveTracker.hpp"

namespace rtcgate::load {

ReceiveTracker::ReceiveTracker(std::size_t flows, std::size_t packetsPerFlow)
    : wordsPerFlow_((packetsPerFlow + 63) / 64), received_(flows * wordsPerFlow_, 0), nextAfterHighest_(flows, 0) {}

ReceiveTracker::Arrival ReceiveTracker::note(std::size_t flow, std::uint32_t sequence) {
    std::uint64_t& word = received_[flow * wordsPerFlow_ + sequence / 64];
    const std::uint64_t bit = std::uint64_t{1} << (sequence % 64);
    if ((word & bit) != 0) {
        return Arrival::Duplicate;
    }
    word |= bit;
    std::uint32_t& next = nextAfterHighest_[flow];
    if (sequence + 1 < next) {
        return Arrival::FirstReordered;
    }
    next = sequence + 1;
    return Arrival::First;
}

} // namespace rtcgate::load
