// Adaptive Opus complexity (beyond rtpengine): a shard whose media thread passes a CPU threshold lowers the
// Opus encoder complexity of its calls a step at a time, before --max-cpu would refuse new calls, and raises it
// back a step at a time once the load has fallen well below. The encoder is most of a transcoded call's cost
// (docs/performance.md): each step down buys calls, at some quality.
#pragma once

#include <cstdint>
#include <optional>

namespace rtcgate::engine {

struct ComplexityGovernorConfig {
    int configured = 5;            // --opus-complexity: where it starts and what it returns to
    double aboveCpuPercent = 0;    // --opus-complexity-cpu; 0: the complexity never changes
    double hysteresisPercent = 15; // raised again only below aboveCpuPercent minus this
};

class ComplexityGovernor {
public:
    explicit ComplexityGovernor(const ComplexityGovernorConfig& config);

    // The shard's CPU over the last second: the new complexity when it changes, else nullopt.
    std::optional<int> update(double cpuPercent);

    int complexity() const { return complexity_; }
    std::uint64_t lowered() const { return lowered_; } // steps down since start
    std::uint64_t raised() const { return raised_; }

private:
    ComplexityGovernorConfig config_;
    int complexity_;
    std::uint64_t lowered_ = 0;
    std::uint64_t raised_ = 0;
};

} // namespace rtcgate::engine
