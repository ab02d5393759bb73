// The client side of the ng protocol over UDP: send "<cookie> <bencoded dict>",
// wait for the reply with the same cookie, retransmit the same datagram on
// timeout. Used by rtcgate-ctl and rtcgate-load.
#pragma once

#include "rtcgate/control/Bencode.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rtcgate::control {

// "127.0.0.1:2223", "[::1]:2223" or "localhost:2223".
std::optional<boost::asio::ip::udp::endpoint> parseNgAddress(std::string_view text, std::string& error);

// A cookie for one request: 16 random hex digits.
std::string makeNgCookie();

struct NgClientConfig {
    boost::asio::ip::udp::endpoint server;
    std::chrono::milliseconds timeout{1000}; // per attempt
    int retransmits = 3;                     // attempts after the first
};

// The outcome of one request.
struct NgReply {
    enum class Status {
        Ok,           // `dict` holds the reply
        NoReply,      // no attempt was answered (or the socket failed)
        InvalidReply, // an answer came that is not one bencoded dictionary
    };
    Status status = Status::NoReply;
    bencode::Value dict; // a Dict when status is Ok
    std::string error;   // human-readable reason otherwise

    bool ok() const { return status == Status::Ok; }
    // The reply's "result" string ("ok", "pong", "error", ...); empty when absent.
    std::string_view result() const;
};

// One connected UDP socket, used for any number of requests one after the other.
class NgClient {
public:
    // Throws boost::system::system_error when the socket cannot be opened.
    explicit NgClient(NgClientConfig config);
    NgClient(const NgClient&) = delete;
    NgClient& operator=(const NgClient&) = delete;

    const NgClientConfig& config() const { return config_; }

    // Returns the reply's payload (what follows "<cookie> "), or nullopt with
    // `error` set when no attempt got an answer.
    std::optional<std::string> exchange(std::string_view cookie, std::string_view payload, std::string& error);

    // Encodes `message`, exchanges it under a fresh cookie and decodes the reply.
    NgReply request(const bencode::Dict& message);

private:
    NgClientConfig config_;
    boost::asio::io_context io_;
    boost::asio::ip::udp::socket socket_;
    std::array<char, 65536> buffer_{};
};

} // namespace rtcgate::control
