// Which packets of each flow (one sending party) arrived: first arrivals,
// duplicates, and first arrivals after a later packet of the same flow
// (reordered). One bit per expected packet, allocated up front.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rtcgate::load {

class ReceiveTracker {
public:
    enum class Arrival {
        First,
        FirstReordered, // a later packet of the flow came before it
        Duplicate,
    };

    ReceiveTracker(std::size_t flows, std::size_t packetsPerFlow);

    // Precondition: flow < flows, sequence < packetsPerFlow.
    Arrival note(std::size_t flow, std::uint32_t sequence);

private:
    std::size_t wordsPerFlow_;
    std::vector<std::uint64_t> received_;
    std::vector<std::uint32_t> nextAfterHighest_; // highest sequence seen + 1; 0: none yet
};

} // namespace rtcgate::load
