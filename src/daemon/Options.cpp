#include "rtcgate/daemon/Options.hpp"

#include "rtcgate/net/Endpoint.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/program_options.hpp>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

namespace rtcgate::daemon {
namespace {

namespace po = boost::program_options;

#ifdef RTCGATE_VERSION
constexpr const char* kVersion = RTCGATE_VERSION;
#else
constexpr const char* kVersion = "0.1.0";
#endif

constexpr const char* kProgram = "rtcgated";
constexpr int kMinMediaPort = 1024;
constexpr int kMaxMediaPort = 65535;
constexpr int kMinMediaPorts = 4; // two RTP/RTCP pairs: the two legs of one call
constexpr int kMaxThreads = 256;
constexpr int kMinLogLevel = 0; // LOG_EMERG
constexpr int kMaxLogLevel = 7; // LOG_DEBUG

// A value that fails validation, or a config file that cannot be used: OptionsExit{kExitBadValue}.
class BadValue : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

std::string inQuotes(std::string_view text) {
    return "'" + std::string(text) + "'";
}

po::options_description commandLineOnlyOptions(const std::string& defaultConfigFile) {
    po::options_description options("Command line only");
    // clang-format off
    options.add_options()
        ("help,h", "print this help and exit")
        ("version,v", "print the version and exit")
        ("config-file", po::value<std::string>()->value_name("FILE")
            ->default_value(defaultConfigFile, defaultConfigFile + " if it exists"),
            "INI file to read settings from; \"none\": no file")
        ("config-section", po::value<std::string>()->value_name("NAME")->default_value(kDefaultConfigSection),
            "section of the config file that holds the settings");
    // clang-format on
    return options;
}

po::options_description settingOptions() {
    const Options defaults;
    const std::string defaultListenNg = defaults.listenNg.address + ":" + std::to_string(defaults.listenNg.port);
    po::options_description options("Settings (command line, or \"key = value\" in the config file section)");
    // clang-format off
    options.add_options()
        ("interface,i", po::value<std::string>()->value_name("[NAME/]ADDR[!ADV]")->default_value(defaults.interface),
            "media address, IPv4 or IPv6; ADV: the address to put in SDP instead (behind NAT)")
        ("listen-ng,n", po::value<std::string>()->value_name("[ADDR:]PORT")->default_value(defaultListenNg),
            "UDP address for the ng control protocol; a bare PORT listens on 0.0.0.0")
        ("listen-tcp-ng,N", po::value<std::string>()->value_name("[ADDR:]PORT"),
            "TCP address for the ng control protocol (default: none)")
        ("port-min,m", po::value<int>()->value_name("PORT")->default_value(defaults.portMin),
            "lowest media port, 1024..65535 (rounded up to even)")
        ("port-max,M", po::value<int>()->value_name("PORT")->default_value(defaults.portMax),
            "highest media port, 1024..65535")
        ("num-threads", po::value<int>()->value_name("N")->default_value(static_cast<int>(defaults.numThreads)),
            "media worker threads, 0..256; 0: one per CPU core")
        ("timeout,o", po::value<int>()->value_name("SECS")
            ->default_value(static_cast<int>(defaults.timeoutSeconds)),
            "seconds without media before a call is torn down")
        ("delete-delay,d", po::value<int>()->value_name("SECS")
            ->default_value(static_cast<int>(defaults.deleteDelaySeconds)),
            "seconds a deleted call is kept before it is removed from memory")
        ("port-quarantine", po::value<int>()->value_name("SECS")
            ->default_value(static_cast<int>(defaults.portQuarantineSeconds)),
            "seconds a freed port pair waits before a new call may use it, 0..3600")
        ("dtmf-log-dest", po::value<std::string>()->value_name("ADDR:PORT"),
            "send a JSON datagram per DTMF digit to this UDP address, as rtpengine does (default: none)")
        ("dtls-cert", po::value<std::string>()->value_name("FILE"),
            "PEM certificate for DTLS-SRTP (default: a fresh ECDSA P-256 certificate at every start)")
        ("dtls-key", po::value<std::string>()->value_name("FILE"),
            "PEM private key of --dtls-cert")
        ("jitter-min-delay", po::value<int>()->value_name("MS")->default_value(static_cast<int>(defaults.jitterMinDelayMs)),
            "transcoding: lowest delay of the adaptive jitter buffer, 20..1000 ms")
        ("jitter-max-delay", po::value<int>()->value_name("MS")->default_value(static_cast<int>(defaults.jitterMaxDelayMs)),
            "transcoding: highest delay of the adaptive jitter buffer, 20..1000 ms")
        ("opus-complexity", po::value<int>()->value_name("N")->default_value(defaults.opusComplexity),
            "transcoding: Opus encoder complexity toward browsers, 0..10 (CPU against quality)")
        ("opus-complexity-cpu", po::value<double>()->value_name("PERCENT")->default_value(defaults.opusComplexityCpu),
            "transcoding: a media thread above this share of a core lowers its calls' Opus complexity a step a second, "
            "down to 0, and raises it back a step a second below PERCENT - 15 (set it under --max-cpu); 0: never "
            "(default)")
        ("opus-bitrate", po::value<int>()->value_name("BPS")->default_value(defaults.opusBitrate),
            "transcoding: Opus bitrate toward browsers, 6000..510000 bit/s (in-band FEC needs 20000 and up)")
        ("max-sessions", po::value<long long>()->value_name("INT"),
            "refuse new calls past this many running ones; -1: no limit (default)")
        ("max-load", po::value<double>()->value_name("FLOAT"),
            "refuse new calls while the 1-minute load average is above this; 0: no limit (default)")
        ("max-cpu", po::value<double>()->value_name("PERCENT"),
            "refuse new calls on a media thread above this share of a core (a transcoded call already at 90 % of it); "
            "0: no limit (default)")
        ("max-bandwidth", po::value<long long>()->value_name("BYTES/S"),
            "refuse new calls while more than this many bytes per second are received; 0: no limit (default)")
        ("max-sdp-size", po::value<int>()->value_name("BYTES")->default_value(static_cast<int>(defaults.maxSdpBytes)),
            "refuse an offer or answer whose SDP is larger (an error reply)")
        ("max-media-lines", po::value<int>()->value_name("INT")->default_value(static_cast<int>(defaults.maxMediaLines)),
            "refuse an offer or answer whose SDP has more m= lines")
        ("max-sdp-lines", po::value<int>()->value_name("INT")->default_value(static_cast<int>(defaults.maxSdpLines)),
            "refuse an offer or answer whose SDP has more lines in its session or in one media section")
        ("endpoint-learning", po::value<std::string>()->value_name("MODE")->default_value("heuristic"),
            "where a party without ICE is taken to send from: heuristic (its SDP's address and port at once, "
            "another source only 3 s after the last offer or answer), delayed, immediate or off, as rtpengine's")
        ("dtmf-no-suppress", po::bool_switch(),
            "transcoding: keep a direction's audio while a DTMF event or tone passes in it (default: the event replaces it)")
        ("log-level,L", po::value<std::string>()->value_name("LEVEL")->default_value(std::to_string(defaults.logLevel)),
            "syslog level 0 (emerg) .. 7 (debug), or a name: emerg, alert, crit, error, warning, notice, info, debug")
        ("pidfile,p", po::value<std::string>()->value_name("FILE"),
            "write the process id to FILE (default: none)")
        ("foreground,f", po::bool_switch(),
            "accepted for rtpengine; rtcgated always runs in the foreground (default: off)");
    // clang-format on
    return options;
}

// rtpengine 10.5's options that rtcgated does not implement (yet): an operator's rtpengine command line or
// rtpengine.conf (--config-section=rtpengine) is accepted, and each of these is ignored with a warning.
constexpr std::array kRtpengineOnlyOptions{
    "active-switchover",
    "amr-dtx",
    "b2b-url",
    "cn-payload",
    "codecs",
    "control-tos",
    "debug-srtp",
    "dtls-cert-cipher",
    "dtls-ciphers",
    "dtls-mtu",
    "dtls-passive",
    "dtls-rsa-key-size",
    "dtls-signature",
    "dtmf-digit-delay",
    "dtmf-log-ng-tcp",
    "dtx-buffer",
    "dtx-cn-params",
    "dtx-delay",
    "dtx-lag",
    "dtx-shift",
    "final-timeout",
    "graphite",
    "graphite-interval",
    "graphite-prefix",
    "graphite-timeout",
    "homer",
    "homer-id",
    "homer-protocol",
    "http-threads",
    "https-cert",
    "https-key",
    "idle-priority",
    "idle-scheduling",
    "iptables-chain",
    "janus-secret",
    "jb-clock-drift",
    "jitter-buffer",
    "listen-cli",
    "listen-http",
    "listen-https",
    "listen-tcp",
    "listen-udp",
    "log-facility",
    "log-facility-cdr",
    "log-facility-dtmf",
    "log-facility-rtcp",
    "log-format",
    "log-level-codec",
    "log-level-control",
    "log-level-core",
    "log-level-crypto",
    "log-level-dtx",
    "log-level-ffmpeg",
    "log-level-http",
    "log-level-ice",
    "log-level-internals",
    "log-level-rtcp",
    "log-level-spandsp",
    "log-level-srtp",
    "log-level-transcoding",
    "log-mark-prefix",
    "log-mark-suffix",
    "log-srtp-keys",
    "log-stderr",
    "max-dtx",
    "max-log-line-length",
    "media-num-threads",
    "mos",
    "mqtt-cafile",
    "mqtt-capath",
    "mqtt-certfile",
    "mqtt-host",
    "mqtt-id",
    "mqtt-keepalive",
    "mqtt-keyfile",
    "mqtt-pass",
    "mqtt-port",
    "mqtt-publish-interval",
    "mqtt-publish-qos",
    "mqtt-publish-scope",
    "mqtt-publish-topic",
    "mqtt-user",
    "mysql-host",
    "mysql-pass",
    "mysql-port",
    "mysql-query",
    "mysql-user",
    "no-fallback",
    "no-log-timestamps",
    "no-redis-required",
    "offer-timeout",
    "poller-per-thread",
    "priority",
    "recording-dir",
    "recording-format",
    "recording-method",
    "redis",
    "redis-allowed-errors",
    "redis-cmd-timeout",
    "redis-connect-timeout",
    "redis-delete-async",
    "redis-delete-async-interval",
    "redis-disable-time",
    "redis-expires",
    "redis-num-threads",
    "redis-write",
    "reject-invalid-sdp",
    "save-interface-ports",
    "scheduling",
    "silence-detect",
    "silent-timeout",
    "sip-source",
    "socket-cpu-affinity",
    "software-id",
    "split-logs",
    "subscribe-keyspace",
    "table",
    "thread-stack",
    "tos",
    "xmlrpc-format",
};

po::options_description rtpengineOnlyOptions() {
    po::options_description options("rtpengine options rtcgated ignores");
    for (const char* name : kRtpengineOnlyOptions) {
        // A flag (--no-fallback) or a value given with '=' (--table=-1); repeatable, as rtpengine's lists are.
        options.add_options()(name, po::value<std::vector<std::string>>()->implicit_value({""}, "")->composing());
    }
    return options;
}

std::string helpText(const po::options_description& options) {
    std::ostringstream text;
    text << "Usage: " << kProgram << " [OPTIONS]\n"
         << "Media gateway between WebRTC and SIP, driven over rtpengine's ng protocol.\n"
         << "Settings are also read as \"key = value\" lines (the long option name without dashes) from the\n"
         << "config file's section; the command line wins over the file.\n"
         << options;
    return text.str();
}

// rtpengine takes several values separated by ';' in its config file; rtcgated takes one for now.
void rejectList(const char* option, const std::string& value) {
    if (value.find(';') != std::string::npos) {
        throw BadValue("--" + std::string(option) + " " + inQuotes(value) + ": takes a single value for now");
    }
}

std::optional<boost::asio::ip::address> parseIpLiteral(std::string_view text) {
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
    }
    boost::system::error_code error;
    auto address = boost::asio::ip::make_address(std::string(text), error);
    if (error) {
        return std::nullopt;
    }
    return address;
}

std::string parseMediaAddress(const std::string& value, std::string_view text) {
    const auto address = parseIpLiteral(text);
    if (!address) {
        throw BadValue("--interface " + inQuotes(value) + ": " + inQuotes(text) +
                       " is not an IPv4 or IPv6 address (interface and host names are not supported)");
    }
    if (address->is_unspecified()) {
        throw BadValue("--interface " + inQuotes(value) + ": " + inQuotes(text) +
                       " is the unspecified address; give the address media is sent from and to");
    }
    return address->to_string();
}

// rtpengine's "[NAME/]ADDR[!ADVERTISED]".
void parseInterface(const std::string& value, Options& options) {
    rejectList("interface", value);
    std::string_view rest = value;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
        rest.remove_prefix(slash + 1); // the logical interface name: one interface for now, so unused
    }
    const auto bang = rest.find('!');
    const std::string_view advertised = bang == std::string_view::npos ? std::string_view() : rest.substr(bang + 1);
    options.interface = parseMediaAddress(value, rest.substr(0, bang));
    options.advertisedAddress = bang == std::string_view::npos ? std::string() : parseMediaAddress(value, advertised);
}

std::optional<std::uint16_t> parsePort(std::string_view text) {
    unsigned port = 0;
    const auto* end = text.data() + text.size();
    const auto [next, error] = std::from_chars(text.data(), end, port);
    if (text.empty() || error != std::errc() || next != end || port < 1 || port > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(port);
}

// rtpengine's "PORT", "ADDR:PORT" or "[IPV6]:PORT".
ListenAddress parseListenAddress(const char* option, const std::string& value) {
    rejectList(option, value);
    const std::string prefix = "--" + std::string(option) + " " + inQuotes(value) + ": ";
    const bool bare = !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
    const auto colon = value.rfind(':');
    if (!bare && colon == std::string::npos) {
        throw BadValue(prefix + "expected PORT, ADDR:PORT or [IPV6]:PORT");
    }
    const std::string_view portText = bare ? std::string_view(value) : std::string_view(value).substr(colon + 1);
    const auto port = parsePort(portText);
    if (!port) {
        throw BadValue(prefix + inQuotes(portText) + " is not a port number 1..65535");
    }
    if (bare) {
        return {"0.0.0.0", *port};
    }
    const std::string_view host = std::string_view(value).substr(0, colon);
    const bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
    if (!bracketed && host.find(':') != std::string_view::npos) {
        throw BadValue(prefix + "an IPv6 address needs brackets: [ADDR]:PORT");
    }
    const auto address = parseIpLiteral(host);
    if (!address || (bracketed && !address->is_v6())) {
        throw BadValue(prefix + inQuotes(host) + " is not an IPv4 or [IPv6] address (host names are not supported)");
    }
    return {address->to_string(), *port};
}

// rtpengine's "ADDR:PORT" or "[IPV6]:PORT" of a destination: an address is needed, and one that is not unspecified.
net::Endpoint parseDestination(const char* option, const std::string& value) {
    const std::string prefix = "--" + std::string(option) + " " + inQuotes(value) + ": ";
    if (!value.empty() && value.find_first_not_of("0123456789") == std::string::npos) {
        throw BadValue(prefix + "no address; expected ADDR:PORT or [IPV6]:PORT");
    }
    if (value.find(':') == std::string::npos || value.ends_with(']')) {
        throw BadValue(prefix + "no port; expected ADDR:PORT or [IPV6]:PORT");
    }
    const ListenAddress parsed = parseListenAddress(option, value);
    const auto endpoint = net::makeEndpoint(parsed.address, parsed.port);
    if (!endpoint || endpoint->address().is_unspecified()) {
        throw BadValue(prefix + inQuotes(parsed.address) + " is not an address to send to");
    }
    return *endpoint;
}

int parseLogLevel(const std::string& value) {
    static constexpr std::array<std::pair<std::string_view, int>, 10> names{{
        {"emerg", 0},
        {"alert", 1},
        {"crit", 2},
        {"error", 3},
        {"err", 3},
        {"warning", 4},
        {"warn", 4},
        {"notice", 5},
        {"info", 6},
        {"debug", 7},
    }};
    for (const auto& [name, level] : names) {
        if (boost::algorithm::iequals(name, value)) {
            return level;
        }
    }
    int level = -1;
    const auto* end = value.data() + value.size();
    const auto [next, error] = std::from_chars(value.data(), end, level);
    if (value.empty() || error != std::errc() || next != end || level < kMinLogLevel || level > kMaxLogLevel) {
        throw BadValue("--log-level " + inQuotes(value) +
                       ": expected 0..7 or emerg, alert, crit, error, warning, notice, info, debug");
    }
    return level;
}

int intInRange(const po::variables_map& values, const char* option, int min, int max) {
    const int value = values[option].as<int>();
    if (value < min) {
        throw BadValue("--" + std::string(option) + " " + std::to_string(value) + ": must be at least " +
                       std::to_string(min));
    }
    if (value > max) {
        throw BadValue("--" + std::string(option) + " " + std::to_string(value) + ": must be at most " +
                       std::to_string(max));
    }
    return value;
}

// rtpengine's: -1 (sessions) or 0 (the others) is no limit.
void readLoadLimits(const po::variables_map& values, Options& options) {
    const auto positive = [&](const char* option) -> std::optional<double> {
        if (values.count(option) == 0) {
            return std::nullopt;
        }
        const double value = values[option].as<double>();
        if (!(value >= 0)) {
            throw BadValue("--" + std::string(option) + " " + std::to_string(value) + ": must be 0 or more");
        }
        return value > 0 ? std::optional(value) : std::nullopt;
    };
    options.maxLoad = positive("max-load");
    options.maxCpu = positive("max-cpu");
    if (values.count("max-sessions") != 0) {
        const long long sessions = values["max-sessions"].as<long long>();
        if (sessions < -1) {
            throw BadValue("--max-sessions " + std::to_string(sessions) + ": -1 (no limit) or more");
        }
        if (sessions >= 0) {
            options.maxSessions = static_cast<std::uint64_t>(sessions);
        }
    }
    if (values.count("max-bandwidth") != 0) {
        const long long bandwidth = values["max-bandwidth"].as<long long>();
        if (bandwidth < 0) {
            throw BadValue("--max-bandwidth " + std::to_string(bandwidth) + ": must be 0 or more");
        }
        if (bandwidth > 0) {
            options.maxBandwidth = static_cast<std::uint64_t>(bandwidth);
        }
    }
}

void readPortRange(const po::variables_map& values, Options& options) {
    int portMin = intInRange(values, "port-min", kMinMediaPort, kMaxMediaPort);
    const int portMax = intInRange(values, "port-max", kMinMediaPort, kMaxMediaPort);
    if (portMin > portMax) {
        throw BadValue("--port-min " + std::to_string(portMin) + " is above --port-max " + std::to_string(portMax));
    }
    portMin += portMin % 2; // RTP takes even ports, RTCP the next odd one (RFC 3550 section 11)
    if (portMax - portMin + 1 < kMinMediaPorts) {
        throw BadValue("media port range " + std::to_string(portMin) + ".." + std::to_string(portMax) +
                       " (--port-min rounded up to even) holds fewer than " + std::to_string(kMinMediaPorts) +
                       " ports");
    }
    options.portMin = static_cast<std::uint16_t>(portMin);
    options.portMax = static_cast<std::uint16_t>(portMax);
}

// The file's options are named "section.key" by program_options; the keys of `section` are stored under the long
// option names, after the command line so that the command line wins.
void storeConfigFile(const std::string& path, const std::string& section, const po::options_description& all,
                     const po::options_description& commandLineOnly, po::variables_map& values) {
    std::error_code fsError;
    if (!std::filesystem::exists(path, fsError)) {
        throw BadValue("config file " + inQuotes(path) +
                       (fsError ? " cannot be read: " + fsError.message() : std::string(" does not exist")));
    }
    if (std::filesystem::is_directory(path, fsError)) {
        throw BadValue("config file " + inQuotes(path) + " is a directory");
    }
    std::ifstream in(path);
    if (!in) {
        throw BadValue("config file " + inQuotes(path) +
                       " cannot be read: " + std::error_code(errno, std::generic_category()).message());
    }
    const po::options_description noOptions; // every key comes back unregistered, named "section.key"
    po::parsed_options fileOptions(&noOptions);
    try {
        fileOptions = po::parse_config_file(in, noOptions, true);
    } catch (const po::error& error) {
        throw BadValue("config file " + inQuotes(path) + ": " + error.what());
    }

    const std::string prefix = section + ".";
    po::parsed_options sectionOptions(&all);
    for (auto& option : fileOptions.options) {
        const std::string& name = option.string_key;
        if (!name.starts_with(prefix)) {
            if (name.find('.') == std::string::npos) {
                throw BadValue("config file " + inQuotes(path) + ": " + inQuotes(name) +
                               " is outside any section; put it under [" + section + "]");
            }
            continue; // another program's section, e.g. [rtpengine] in a shared file
        }
        const std::string key = name.substr(prefix.size());
        if (commandLineOnly.find_nothrow(key, false) != nullptr) {
            throw BadValue("config file " + inQuotes(path) + ": " + inQuotes(key) + " in [" + section +
                           "] is a command line option only");
        }
        if (all.find_nothrow(key, false) == nullptr) {
            throw BadValue("config file " + inQuotes(path) + ": unknown key " + inQuotes(key) + " in [" + section +
                           "]");
        }
        option.string_key = key;
        option.unregistered = false;
        sectionOptions.options.push_back(std::move(option));
    }
    try {
        po::store(sectionOptions, values);
    } catch (const po::error& error) {
        throw BadValue("config file " + inQuotes(path) + ": " + error.what());
    }
}

Options readOptions(const po::variables_map& values) {
    Options options;
    options.configSection = values["config-section"].as<std::string>();
    parseInterface(values["interface"].as<std::string>(), options);
    options.listenNg = parseListenAddress("listen-ng", values["listen-ng"].as<std::string>());
    if (values.count("listen-tcp-ng") != 0) {
        options.listenTcpNg = parseListenAddress("listen-tcp-ng", values["listen-tcp-ng"].as<std::string>());
    }
    readPortRange(values, options);
    options.numThreads = static_cast<unsigned>(intInRange(values, "num-threads", 0, kMaxThreads));
    options.timeoutSeconds = static_cast<unsigned>(intInRange(values, "timeout", 1, std::numeric_limits<int>::max()));
    options.deleteDelaySeconds =
        static_cast<unsigned>(intInRange(values, "delete-delay", 0, std::numeric_limits<int>::max()));
    options.portQuarantineSeconds = static_cast<unsigned>(intInRange(values, "port-quarantine", 0, 3600));
    options.logLevel = parseLogLevel(values["log-level"].as<std::string>());
    constexpr int kMaxJitterDelayMs = 1000;
    options.jitterMinDelayMs = static_cast<unsigned>(intInRange(values, "jitter-min-delay", 20, kMaxJitterDelayMs));
    options.jitterMaxDelayMs = static_cast<unsigned>(
        intInRange(values, "jitter-max-delay", static_cast<int>(options.jitterMinDelayMs), kMaxJitterDelayMs));
    options.opusComplexity = intInRange(values, "opus-complexity", 0, 10);
    options.opusBitrate = intInRange(values, "opus-bitrate", 6000, 510000);
    options.opusComplexityCpu = values["opus-complexity-cpu"].as<double>();
    if (!(options.opusComplexityCpu >= 0 && options.opusComplexityCpu <= 100)) {
        throw BadValue("--opus-complexity-cpu " + std::to_string(options.opusComplexityCpu) + ": 0..100");
    }
    readLoadLimits(values, options);
    if (values.count("dtmf-log-dest") != 0) {
        options.dtmfLogDest = parseDestination("dtmf-log-dest", values["dtmf-log-dest"].as<std::string>());
    }
    if ((values.count("dtls-cert") != 0) != (values.count("dtls-key") != 0)) {
        throw BadValue("--dtls-cert and --dtls-key go together");
    }
    if (values.count("dtls-cert") != 0) {
        options.dtlsCert = values["dtls-cert"].as<std::string>();
        options.dtlsKey = values["dtls-key"].as<std::string>();
    }
    if (values.count("pidfile") != 0) {
        options.pidfile = values["pidfile"].as<std::string>();
    }
    options.foreground = values["foreground"].as<bool>();
    options.dtmfNoSuppress = values["dtmf-no-suppress"].as<bool>();
    options.maxSdpBytes = static_cast<unsigned>(intInRange(values, "max-sdp-size", 100, 1 << 24));
    options.maxMediaLines = static_cast<unsigned>(intInRange(values, "max-media-lines", 1, 100000));
    options.maxSdpLines = static_cast<unsigned>(intInRange(values, "max-sdp-lines", 4, 1000000));
    const auto& learning = values["endpoint-learning"].as<std::string>();
    if (auto mode = media::parseLearningMode(learning)) {
        options.endpointLearning = *mode;
    } else {
        throw BadValue("--endpoint-learning " + learning + ": heuristic, delayed, immediate or off");
    }
    for (const char* name : kRtpengineOnlyOptions) {
        if (values.count(name) != 0) {
            options.ignoredRtpengineOptions.emplace_back(name);
        }
    }
    return options;
}

OptionsExit usageError(const std::string& reason) {
    return {kExitUsage,
            std::string(kProgram) + ": " + reason + "\nTry '" + kProgram + " --help' for more information.\n"};
}

OptionsExit badValue(const std::string& reason) {
    return {kExitBadValue, std::string(kProgram) + ": " + reason + "\n"};
}

} // namespace

std::variant<Options, OptionsExit> parseOptions(int argc, const char* const argv[]) {
    return parseOptions(argc, argv, kDefaultConfigFile);
}

std::variant<Options, OptionsExit> parseOptions(int argc, const char* const argv[],
                                                const std::string& defaultConfigFile) {
    const auto commandLineOnly = commandLineOnlyOptions(defaultConfigFile);
    const auto settings = settingOptions();
    po::options_description visible;
    visible.add(commandLineOnly).add(settings);
    po::options_description all;
    all.add(visible).add(rtpengineOnlyOptions());

    po::variables_map values;
    try {
        // No abbreviations: the option names are a contract, "--port" must not pick one of the port options.
        const int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        static const char* const noArguments[] = {kProgram};
        const bool hasArguments = argc >= 1 && argv != nullptr;
        const auto parsed = po::command_line_parser(hasArguments ? argc : 1, hasArguments ? argv : noArguments)
                                .options(all)
                                .style(style)
                                .run();
        if (const auto stray = po::collect_unrecognized(parsed.options, po::include_positional); !stray.empty()) {
            return usageError("unexpected argument " + inQuotes(stray.front()));
        }
        po::store(parsed, values);
    } catch (const po::validation_error& error) {
        return badValue(error.what());
    } catch (const po::error& error) {
        return usageError(error.what());
    }

    if (values.count("help") != 0) {
        return OptionsExit{kExitOk, helpText(visible)};
    }
    if (values.count("version") != 0) {
        return OptionsExit{kExitOk, std::string(kProgram) + " " + kVersion + "\n"};
    }

    try {
        const std::string section = values["config-section"].as<std::string>();
        if (section.empty()) {
            throw BadValue("--config-section must not be empty");
        }
        const bool explicitFile = !values["config-file"].defaulted();
        std::string configFile = values["config-file"].as<std::string>();
        std::error_code fsError;
        if (configFile == "none" || (!explicitFile && !std::filesystem::exists(configFile, fsError))) {
            configFile = "none";
        } else {
            storeConfigFile(configFile, section, all, commandLineOnly, values);
        }
        Options options = readOptions(values);
        options.configFile = configFile;
        return options;
    } catch (const BadValue& error) {
        return badValue(error.what());
    }
}

} // namespace rtcgate::daemon
