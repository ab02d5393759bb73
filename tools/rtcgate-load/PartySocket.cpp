#include "PartySocket.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

namespace rtcgate::load {

namespace {

std::string lastError() {
    return std::error_code{errno, std::generic_category()}.message();
}

} // namespace

PartySocket::PartySocket(PartySocket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      localPort_(other.localPort_),
      destination_(other.destination_),
      destinationLength_(other.destinationLength_) {}

PartySocket& PartySocket::operator=(PartySocket&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
        localPort_ = other.localPort_;
        destination_ = other.destination_;
        destinationLength_ = other.destinationLength_;
    }
    return *this;
}

PartySocket::~PartySocket() {
    close();
}

bool PartySocket::open(const boost::asio::ip::address& address, std::string& error) {
    close();
    const boost::asio::ip::udp::endpoint local{address, 0};
    fd_ = ::socket(local.protocol().family(), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) {
        error = "socket: " + lastError();
        return false;
    }
    const int on = 1;
    if (::setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on) != 0) {
        error = "SO_TIMESTAMPNS: " + lastError();
        close();
        return false;
    }
    if (::bind(fd_, local.data(), static_cast<socklen_t>(local.size())) != 0) {
        error = "bind " + address.to_string() + ": " + lastError();
        close();
        return false;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&bound), &length);
    localPort_ = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                             : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    return true;
}

void PartySocket::close() {
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

void PartySocket::setDestination(const boost::asio::ip::udp::endpoint& destination) {
    std::memcpy(&destination_, destination.data(), destination.size());
    destinationLength_ = static_cast<socklen_t>(destination.size());
}

} // namespace rtcgate::load
