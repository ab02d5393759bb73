// One ng request over UDP: send "<cookie> <bencoded dict>", wait for the reply
// with the same cookie, retransmit the same datagram on timeout.
#pragma once

#include <boost/asio/ip/udp.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rtcgate::ctl {

struct NgServer {
    boost::asio::ip::udp::endpoint endpoint;
    std::chrono::milliseconds timeout{1000}; // per attempt
    int retransmits = 3;                     // attempts after the first
};

// "127.0.0.1:2223", "[::1]:2223" or "localhost:2223".
std::optional<boost::asio::ip::udp::endpoint> parseServerAddress(std::string_view text, std::string& error);

// A cookie for one request: 16 random hex digits.
std::string makeCookie();

// Returns the reply's payload (what follows "<cookie> "), or nullopt with
// `error` set when no attempt got an answer.
std::optional<std::string> exchange(const NgServer& server, std::string_view cookie, std::string_view payload,
                                    std::string& error);

} // namespace rtcgate::ctl
