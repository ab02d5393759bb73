#include "rtcgate/net/UdpSocket.hpp"

namespace rtcgate::net {

bool UdpSocket::bind(const Endpoint& local) {
    boost::system::error_code error;
    socket_.open(local.protocol(), error);
    if (!error) {
        socket_.bind(local, error);
    }
    if (!error) {
        socket_.non_blocking(true, error);
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
