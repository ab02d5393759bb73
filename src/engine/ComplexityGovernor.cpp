#include "rtcgate/engine/ComplexityGovernor.hpp"

namespace rtcgate::engine {

ComplexityGovernor::ComplexityGovernor(const ComplexityGovernorConfig& config)
    : config_(config), complexity_(config.configured) {}

std::optional<int> ComplexityGovernor::update(double cpuPercent) {
    if (config_.aboveCpuPercent <= 0) {
        return std::nullopt;
    }
    if (cpuPercent > config_.aboveCpuPercent && complexity_ > 0) {
        ++lowered_;
        return --complexity_;
    }
    if (cpuPercent < config_.aboveCpuPercent - config_.hysteresisPercent && complexity_ < config_.configured) {
        ++raised_;
        return ++complexity_;
    }
    return std::nullopt;
}

} // namespace rtcgate::engine
