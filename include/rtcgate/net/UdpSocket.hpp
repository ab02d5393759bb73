// A non-blocking UDP socket on a shard's io_context, read and written in
// batches.
#pragma once

#include "rtcgate/net/Endpoint.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <utility>

namespace rtcgate::net {

class UdpSocket {
public:
    explicit UdpSocket(boost::asio::io_context& io) : socket_(io) {}

    // Opens, binds and makes the socket non-blocking; false when the address
    // is taken or cannot be bound, or the process has no file descriptor left
    // (outOfDescriptors() then).
    bool bind(const Endpoint& local);
    // Whether the last bind() failed for want of a file descriptor (EMFILE, ENFILE), not of the port.
    bool outOfDescriptors() const { return outOfDescriptors_; }
    void close();
    bool isOpen() const { return socket_.is_open(); }

    int fd() { return socket_.native_handle(); }
    std::uint16_t localPort() const { return port_; }

    // Calls `handler(error_code)` once when a datagram can be read.
    template <typename Handler>
    void waitReadable(Handler&& handler) {
        socket_.async_wait(boost::asio::ip::udp::socket::wait_read, std::forward<Handler>(handler));
    }

private:
    boost::asio::ip::udp::socket socket_;
    std::uint16_t port_ = 0;
    bool outOfDescriptors_ = false;
};

} // namespace rtcgate::net
