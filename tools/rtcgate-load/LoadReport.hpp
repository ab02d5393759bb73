// What a run measured, and its two renderings: a human-readable summary and
// one JSON object.
#pragma once

#include "CallSetup.hpp"
#include "LoadConfig.hpp"
#include "TrafficRun.hpp"
#include "UdpCounters.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <ostream>
#include <string>

namespace rtcgate::load {

struct LoadReport {
    SetupSummary setup;
    TrafficResult traffic;
    DeleteSummary deletion;
    std::chrono::nanoseconds window{0};                  // the measurement window: sending and drain
    std::optional<std::chrono::nanoseconds> daemonCpu;   // over the window
    std::chrono::nanoseconds ownCpu{0};                  // over the window
    std::optional<std::chrono::nanoseconds> machineBusy; // every CPU, every process, over the window
    std::optional<UdpCounters> udp;                      // change over the window
    std::string error;                                   // why the run stopped early, if it did
};

boost::json::object toJson(const LoadConfig& config, const LoadReport& report);
void printSummary(std::ostream& os, const LoadConfig& config, const LoadReport& report);

} // namespace rtcgate::load
