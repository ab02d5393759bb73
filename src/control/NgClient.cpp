#include "rtcgate/control/NgClient.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/address.hpp>

#include <charconv>
#include <cstdint>
#include <random>

namespace rtcgate::control {

namespace asio = boost::asio;
using asio::ip::udp;

std::optional<udp::endpoint> parseNgAddress(std::string_view text, std::string& error) {
    std::string_view host;
    std::string_view port;
    if (text.starts_with('[')) {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            error = "expected [IPv6]:PORT, got \"" + std::string{text} + "\"";
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            error = "expected ADDRESS:PORT, got \"" + std::string{text} + "\"";
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            error = "an IPv6 address goes in brackets: [" + std::string{host} + "]:" + std::string{port};
            return std::nullopt;
        }
    }
    std::uint16_t portNumber = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), portNumber);
    if (ec != std::errc{} || end != port.data() + port.size() || portNumber == 0) {
        error = "bad port \"" + std::string{port} + "\"";
        return std::nullopt;
    }
    boost::system::error_code addressError;
    auto address = asio::ip::make_address(std::string{host}, addressError);
    if (!addressError) {
        return udp::endpoint{address, portNumber};
    }
    asio::io_context io;
    udp::resolver resolver{io};
    boost::system::error_code resolveError;
    auto results = resolver.resolve(std::string{host}, std::string{port}, resolveError);
    if (resolveError || results.empty()) {
        error = "cannot resolve \"" + std::string{host} + "\": " + resolveError.message();
        return std::nullopt;
    }
    return results.begin()->endpoint();
}

std::string makeNgCookie() {
    constexpr std::string_view hex = "0123456789abcdef";
    std::random_device device;
    std::uint64_t bits = (std::uint64_t{device()} << 32) | device();
    std::string cookie(16, '0');
    for (char& digit : cookie) {
        digit = hex[bits & 0xf];
        bits >>= 4;
    }
    return cookie;
}

std::string_view NgReply::result() const {
    const bencode::Value* value = dict.find("result");
    return value != nullptr && value->isString() ? std::string_view{value->asString()} : std::string_view{};
}

NgClient::NgClient(NgClientConfig config) : config_(std::move(config)), socket_(io_, config_.server.protocol()) {
    // Connected: only the server's datagrams arrive, and an ICMP "port
    // unreachable" shows up as connection_refused instead of a silent timeout.
    socket_.connect(config_.server);
}

std::optional<std::string> NgClient::exchange(std::string_view cookie, std::string_view payload, std::string& error) {
    std::string datagram;
    datagram.reserve(cookie.size() + 1 + payload.size());
    datagram.append(cookie).append(" ").append(payload);
    const std::string prefix = std::string{cookie} + " ";

    error = "no reply within " + std::to_string(config_.timeout.count()) + " ms";
    for (int attempt = 0; attempt <= config_.retransmits; ++attempt) {
        boost::system::error_code sendError;
        socket_.send(asio::buffer(datagram), 0, sendError);
        if (sendError) {
            error = "send failed: " + sendError.message();
            continue;
        }
        const auto deadline = std::chrono::steady_clock::now() + config_.timeout;
        for (;;) {
            bool received = false;
            boost::system::error_code receiveError;
            std::size_t size = 0;
            socket_.async_receive(asio::buffer(buffer_), [&](const boost::system::error_code& ec, std::size_t n) {
                received = true;
                receiveError = ec;
                size = n;
            });
            io_.restart();
            io_.run_until(deadline);
            if (!received) {
                socket_.cancel();
                io_.restart();
                io_.run(); // lets the cancelled handler finish before the next attempt
                break;
            }
            if (receiveError) {
                error = receiveError.message();
                break;
            }
            std::string_view reply{buffer_.data(), size};
            if (reply.starts_with(prefix)) {
                return std::string{reply.substr(prefix.size())};
            }
            // A late reply to an earlier request: keep waiting for ours.
        }
    }
    error += " (" + std::to_string(config_.retransmits + 1) + " attempts)";
    return std::nullopt;
}

NgReply NgClient::request(const bencode::Dict& message) {
    NgReply reply;
    std::optional<std::string> payload;
    try {
        payload = exchange(makeNgCookie(), bencode::encode(bencode::Value{message}), reply.error);
    } catch (const boost::system::system_error& e) {
        reply.error = e.what();
    }
    if (!payload) {
        reply.status = NgReply::Status::NoReply;
        return reply;
    }
    bencode::DecodeResult decoded = bencode::decode(*payload);
    if (!decoded.ok() || decoded.consumed != payload->size() || !decoded.value.isDict()) {
        reply.status = NgReply::Status::InvalidReply;
        reply.error = decoded.ok() ? std::string{"not one bencoded dictionary"} : decoded.error;
        return reply;
    }
    reply.status = NgReply::Status::Ok;
    reply.error.clear();
    reply.dict = std::move(decoded.value);
    return reply;
}

} // namespace rtcgate::control
