// What one rtcgate-load run does: the command line, checked.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace rtcgate::load {

enum class TrafficMode {
    Relay,     // PCMU both ways, relayed: probes in every payload
    Transcode, // Opus over SRTP <-> PCMU: real audio, checked by ear (AudioTraffic)
};

struct LoadConfig {
    TrafficMode mode = TrafficMode::Relay;
    boost::asio::ip::udp::endpoint ng;     // the daemon's ng address (loopback)
    std::size_t calls = 0;                 // calls set up, two parties each
    std::chrono::milliseconds duration{0}; // of the sending phase
    unsigned ptimeMs = 20;                 // one packet per party per ptime
    std::size_t payloadBytes = 160;        // RTP payload (PCMU 20 ms: 160)
    boost::asio::ip::address address;      // the parties' own address (loopback)
    double setupRate = 200;                // calls set up per second
    std::optional<pid_t> daemonPid;        // whose CPU time is measured
    bool json = false;
    std::chrono::milliseconds drain{1000};     // waiting for the last packets after sending stops
    std::chrono::milliseconds ngTimeout{1000}; // per ng attempt
    std::string callIdPrefix;                  // call-ids are PREFIX0, PREFIX1, ...

    // Packets each party sends: duration / ptime.
    std::size_t packetsPerParty() const { return static_cast<std::size_t>(duration.count()) / ptimeMs; }
};

enum class ParseOutcome {
    Run,
    Help, // --help was printed
    Usage // a usage error was printed
};

// Reads and checks the command line; prints --help or the error itself.
ParseOutcome parseLoadConfig(int argc, char** argv, LoadConfig& config);

} // namespace rtcgate::load
