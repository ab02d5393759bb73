// rtcgated's settings, from the command line and an INI config file. Option names, short letters and value forms
// follow rtpengine's where the meaning is the same, so that an operator's rtpengine options carry over.
#pragma once

#include "rtcgate/media/EndpointLearning.hpp"
#include "rtcgate/net/Endpoint.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace rtcgate::daemon {

inline constexpr const char* kDefaultConfigFile = "/etc/rtcgate/rtcgate.conf";
inline constexpr const char* kDefaultConfigSection = "rtcgate";

// Exit codes of OptionsExit.
inline constexpr int kExitOk = 0;       // --help, --version
inline constexpr int kExitBadValue = 1; // a value out of range or unparsable, a config file that cannot be used
inline constexpr int kExitUsage = 2;    // command line syntax: unknown option, missing argument, stray argument

// A control socket address, from rtpengine's "PORT", "ADDR:PORT" or "[IPV6]:PORT". A bare port binds all IPv4
// addresses ("0.0.0.0"). The address is an IP literal in canonical text form.
struct ListenAddress {
    std::string address;
    std::uint16_t port = 0;

    friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};

struct Options {
    // --interface: the media address, rtpengine's "[NAME/]ADDR[!ADVERTISED]" (NAME is accepted and ignored for now).
    std::string interface = "127.0.0.1";
    std::string advertisedAddress; // empty: the same as `interface`
    ListenAddress listenNg{"127.0.0.1", 2223};
    std::optional<ListenAddress> listenTcpNg;
    std::uint16_t portMin = 30000; // even: an RTP port is even, its RTCP port the next odd one (RFC 3550 11)
    std::uint16_t portMax = 40000;
    unsigned numThreads = 0;            // 0: one per core (std::thread::hardware_concurrency), resolved by the caller
    unsigned timeoutSeconds = 60;       // without media before a call is torn down
    unsigned deleteDelaySeconds = 30;   // a deleted call is kept this long
    unsigned portQuarantineSeconds = 5; // a freed port pair waits this long before a new call may use it
    std::string dtlsCert;               // empty: a certificate generated at start
    std::string dtlsKey;
    // --dtmf-log-dest: the UDP address a JSON datagram goes to for each DTMF digit (dtmf::DtmfEventLog); none: no log.
    std::optional<net::Endpoint> dtmfLogDest;
    // Transcoding: the bounds of the adaptive jitter buffer's delay, and the Opus encoder toward browsers.
    unsigned jitterMinDelayMs = 20;
    unsigned jitterMaxDelayMs = 200;
    int opusComplexity = 5;
    int opusBitrate = 24000;
    // --opus-complexity-cpu: above this percent of a core a shard lowers its Opus complexity step by step; 0: never.
    double opusComplexityCpu = 0;
    // Limits on new calls, rtpengine's (none when unset): sessions, 1-minute load average, percent of a core per
    // media thread, bytes per second received.
    std::optional<std::uint64_t> maxSessions;
    std::optional<double> maxLoad;
    std::optional<double> maxCpu;
    std::optional<std::uint64_t> maxBandwidth;
    int logLevel = 6;                                                      // syslog priority: 0 emerg .. 7 debug
    std::string pidfile;                                                   // empty: no pid file
    bool dtmfNoSuppress = false;                                           // --dtmf-no-suppress (rtpengine's)
    media::LearningMode endpointLearning = media::LearningMode::Heuristic; // --endpoint-learning
    // What an offer or answer may carry: a browser's SDP with audio, video and data is 5-10 KB, with some 10 m=
    // lines and 60 lines in its largest section.
    unsigned maxSdpBytes = 65536;    // --max-sdp-size
    unsigned maxMediaLines = 64;     // --max-media-lines
    unsigned maxSdpLines = 512;      // --max-sdp-lines
    bool foreground = false;         // accepted for rtpengine; rtcgated always runs in the foreground
    std::string configFile = "none"; // the file that was read, "none" if none
    std::string configSection = kDefaultConfigSection;
    // rtpengine options that were given and are ignored (rtcgated does not implement them yet).
    std::vector<std::string> ignoredRtpengineOptions;

    friend bool operator==(const Options&, const Options&) = default;
};

// Not options to run with: the text to print (help and version to stdout, errors to stderr, ready to print and
// ending in a newline) and the exit code (kExitOk, kExitBadValue or kExitUsage).
struct OptionsExit {
    int exitCode;
    std::string message;
};

// Reads the command line and then the config file: --config-file, else kDefaultConfigFile when it exists; "none"
// reads no file. The file's keys are the long option names in section [--config-section]; the command line wins
// over the file, other sections are ignored, an unknown key in the section is an error.
std::variant<Options, OptionsExit> parseOptions(int argc, const char* const argv[]);

// The same, with another default config file (tests).
std::variant<Options, OptionsExit> parseOptions(int argc, const char* const argv[],
                                                const std::string& defaultConfigFile);

} // namespace rtcgate::daemon
