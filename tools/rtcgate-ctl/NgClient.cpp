#include "NgClient.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <array>
#include <charconv>
#include <cstdint>
#include <random>

namespace rtcgate::ctl {

namespace asio = boost::asio;
using asio::ip::udp;

std::optional<udp::endpoint> parseServerAddress(std::string_view text, std::string& error) {
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

std::string makeCookie() {
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

std::optional<std::string> exchange(const NgServer& server, std::string_view cookie, std::string_view payload,
                                    std::string& error) {
    asio::io_context io;
    udp::socket socket{io, server.endpoint.protocol()};
    // Connected: only the server's datagrams arrive, and an ICMP "port
    // unreachable" shows up as connection_refused instead of a silent timeout.
    socket.connect(server.endpoint);

    std::string datagram;
    datagram.reserve(cookie.size() + 1 + payload.size());
    datagram.append(cookie).append(" ").append(payload);
    const std::string prefix = std::string{cookie} + " ";

    std::array<char, 65536> buffer{};
    error = "no reply within " + std::to_string(server.timeout.count()) + " ms";
    for (int attempt = 0; attempt <= server.retransmits; ++attempt) {
        boost::system::error_code sendError;
        socket.send(asio::buffer(datagram), 0, sendError);
        if (sendError) {
            error = "send failed: " + sendError.message();
            continue;
        }
        const auto deadline = std::chrono::steady_clock::now() + server.timeout;
        for (;;) {
            bool received = false;
            boost::system::error_code receiveError;
            std::size_t size = 0;
            socket.async_receive(asio::buffer(buffer), [&](const boost::system::error_code& ec, std::size_t n) {
                received = true;
                receiveError = ec;
                size = n;
            });
            io.restart();
            io.run_until(deadline);
            if (!received) {
                socket.cancel();
                io.restart();
                io.run(); // lets the cancelled handler finish before the next attempt
                break;
            }
            if (receiveError) {
                error = receiveError.message();
                break;
            }
            std::string_view reply{buffer.data(), size};
            if (reply.starts_with(prefix)) {
                return std::string{reply.substr(prefix.size())};
            }
            // A late reply to some other request: keep waiting for ours.
        }
    }
    error += " (" + std::to_string(server.retransmits + 1) + " attempts)";
    return std::nullopt;
}

} // namespace rtcgate::ctl
