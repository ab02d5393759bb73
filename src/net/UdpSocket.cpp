#include "rtcgate/net/UdpSocket.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace rtcgate::net {

bool UdpSocket::bind(const Endpoint& local) {
    boost::system::error_code error;
    socket_.open(local.protocol(), error);
    outOfDescriptors_ = error == boost::asio::error::no_descriptors || error.value() == ENFILE;
    if (!error) {
        socket_.bind(local, error);
    }
    if (!error) {
        socket_.non_blocking(true, error);
    }
    // The kernel's receive time of each datagram (ReceiveBatch::kernelTimestampNs): a jitter buffer measures
    // the network's jitter with it, not the delay of a busy thread in reading the socket.
    const int on = 1;
    if (!error && ::setsockopt(socket_.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) {
        error = boost::system::error_code(errno, boost::system::system_category());
    }
    if (error) {
        socket_.close(error);
        return false;
    }
    port_ = local.port();
    return true;
}

void UdpSocket::close() {
    boost::system::error_code ignored;
    socket_.close(ignored);
}

} // namespace rtcgate::net
