// rtcgate-ctl: sends one ng command to rtcgated (or any rtpengine-compatible
// daemon) and prints the reply as JSON.
#include "PrettyJson.hpp"

#include "rtcgate/control/Bencode.hpp"
#include "rtcgate/control/BencodeJson.hpp"
#include "rtcgate/control/NgClient.hpp"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace po = boost::program_options;
namespace bencode = rtcgate::bencode;
namespace control = rtcgate::control;
namespace ctl = rtcgate::ctl;

constexpr int kExitOk = 0;
constexpr int kExitErrorReply = 1;
constexpr int kExitUsage = 2; // also: no (valid) reply

constexpr const char* kUsage = R"(Usage: rtcgate-ctl [OPTIONS] COMMAND [ARGS]

Sends one ng command ("<cookie> <bencoded dict>" over UDP) to rtcgated or any
rtpengine-compatible daemon and prints the reply dictionary as JSON.

Commands:
  ping                          liveness check; the reply is "pong"
  list                          the call-ids the daemon knows
  query CALLID                  state and statistics of one call
  delete CALLID [--from-tag T]  ends a call (or one of its dialogs)
  statistics                    daemon-wide counters
  raw JSON                      any ng dictionary written as a JSON object, e.g.
                                raw '{"command":"offer","call-id":"c1","from-tag":"a","sdp":"v=0..."}'
                                (JSON true/false become 1/0; null and fractions are refused)

Exit status: 0 when the result is ok or pong, 1 when the daemon answers with
another result (error, load limit...), 2 on a usage error or when no valid
reply arrives.
)";

// Builds the ng dictionary of a command; on failure, sets `error`.
std::optional<bencode::Dict> buildRequest(const std::string& command, const std::vector<std::string>& args,
                                          const po::variables_map& options, std::string& error) {
    auto expectArgs = [&](std::size_t count, const char* what) {
        if (args.size() != count) {
            error = command + " takes " + what;
            return false;
        }
        return true;
    };
    if (options.count("from-tag") != 0 && command != "delete") {
        error = "--from-tag goes with delete only";
        return std::nullopt;
    }
    if (command == "ping" || command == "list" || command == "statistics") {
        if (!expectArgs(0, "no argument")) {
            return std::nullopt;
        }
        return bencode::Dict{{"command", command}};
    }
    if (command == "query") {
        if (!expectArgs(1, "one argument: the call-id")) {
            return std::nullopt;
        }
        return bencode::Dict{{"command", "query"}, {"call-id", args[0]}};
    }
    if (command == "delete") {
        if (!expectArgs(1, "one argument: the call-id")) {
            return std::nullopt;
        }
        bencode::Dict dict{{"command", "delete"}, {"call-id", args[0]}};
        if (options.count("from-tag") != 0) {
            dict.emplace("from-tag", options["from-tag"].as<std::string>());
        }
        return dict;
    }
    if (command == "raw") {
        if (!expectArgs(1, "one argument: a JSON object")) {
            return std::nullopt;
        }
        boost::system::error_code parseError;
        boost::json::value json = boost::json::parse(args[0], parseError);
        if (parseError) {
            error = "raw: not JSON: " + parseError.message();
            return std::nullopt;
        }
        if (!json.is_object()) {
            error = "raw: the ng message must be a JSON object";
            return std::nullopt;
        }
        bencode::JsonConversion conversion = bencode::fromJson(json);
        if (!conversion.ok()) {
            error = "raw: " + conversion.error;
            return std::nullopt;
        }
        return std::move(conversion.value.asDict());
    }
    error = "unknown command \"" + command + "\"";
    return std::nullopt;
}

int run(int argc, char** argv) {
    po::options_description visible{"Options"};
    visible.add_options()("help,h", "this text");
    visible.add_options()("ng", po::value<std::string>()->default_value("127.0.0.1:2223"),
                          "the daemon's ng address: ADDRESS:PORT or [IPv6]:PORT");
    visible.add_options()("timeout-ms", po::value<int>()->default_value(1000),
                          "wait for a reply this long per attempt");
    visible.add_options()("retries", po::value<int>()->default_value(3),
                          "retransmissions of the same datagram on timeout");
    visible.add_options()("from-tag", po::value<std::string>(), "delete: end only the dialog of this tag");
    po::options_description hidden;
    hidden.add_options()("command", po::value<std::string>());
    hidden.add_options()("args", po::value<std::vector<std::string>>());
    po::options_description all;
    all.add(visible).add(hidden);
    po::positional_options_description positional;
    positional.add("command", 1).add("args", -1);

    po::variables_map options;
    try {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), options);
        po::notify(options);
    } catch (const po::error& e) {
        std::cerr << "rtcgate-ctl: " << e.what() << "\n(see rtcgate-ctl --help)\n";
        return kExitUsage;
    }
    if (options.count("help") != 0) {
        std::cout << kUsage << '\n' << visible;
        return kExitOk;
    }
    if (options.count("command") == 0) {
        std::cerr << "rtcgate-ctl: no command given\n(see rtcgate-ctl --help)\n";
        return kExitUsage;
    }

    std::string error;
    const auto command = options["command"].as<std::string>();
    const auto args =
        options.count("args") != 0 ? options["args"].as<std::vector<std::string>>() : std::vector<std::string>{};
    std::optional<bencode::Dict> request = buildRequest(command, args, options, error);
    if (!request) {
        std::cerr << "rtcgate-ctl: " << error << "\n(see rtcgate-ctl --help)\n";
        return kExitUsage;
    }

    control::NgClientConfig config;
    const auto address = options["ng"].as<std::string>();
    auto endpoint = control::parseNgAddress(address, error);
    if (!endpoint) {
        std::cerr << "rtcgate-ctl: --ng: " << error << '\n';
        return kExitUsage;
    }
    config.server = *endpoint;
    const int timeoutMs = options["timeout-ms"].as<int>();
    const int retries = options["retries"].as<int>();
    if (timeoutMs <= 0 || retries < 0) {
        std::cerr << "rtcgate-ctl: --timeout-ms must be positive and --retries not negative\n";
        return kExitUsage;
    }
    config.timeout = std::chrono::milliseconds{timeoutMs};
    config.retransmits = retries;

    control::NgReply reply;
    try {
        control::NgClient client{config};
        reply = client.request(*request);
    } catch (const boost::system::system_error& e) {
        reply.error = e.what();
    }
    if (reply.status == control::NgReply::Status::NoReply) {
        std::cerr << "rtcgate-ctl: " << address << ": " << reply.error << '\n';
        return kExitUsage;
    }
    if (reply.status == control::NgReply::Status::InvalidReply) {
        std::cerr << "rtcgate-ctl: " << address << " sent an invalid reply: " << reply.error << '\n';
        return kExitUsage;
    }
    ctl::printPretty(std::cout, bencode::toJson(reply.dict));

    if (reply.result() == "ok" || reply.result() == "pong") {
        return kExitOk;
    }
    return kExitErrorReply;
}

} // namespace

int main(int argc, char** argv) {
    try {
        return run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "rtcgate-ctl: " << e.what() << '\n';
        return kExitUsage;
    }
}
