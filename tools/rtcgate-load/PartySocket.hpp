// One party of a call: its own non-blocking RTP socket on a loopback address,
// and the daemon's address it sends to.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>

#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace rtcgate::load {

class PartySocket {
public:
    PartySocket() = default;
    PartySocket(const PartySocket&) = delete;
    PartySocket& operator=(const PartySocket&) = delete;
    PartySocket(PartySocket&& other) noexcept;
    PartySocket& operator=(PartySocket&& other) noexcept;
    ~PartySocket();

    // Binds a UDP socket to ADDRESS:0 with kernel receive timestamps
    // (SO_TIMESTAMPNS); false with `error` set when that fails.
    bool open(const boost::asio::ip::address& address, std::string& error);
    void close();

    int fd() const { return fd_; }
    std::uint16_t localPort() const { return localPort_; }

    void setDestination(const boost::asio::ip::udp::endpoint& destination);
    const sockaddr* destination() const { return reinterpret_cast<const sockaddr*>(&destination_); }
    socklen_t destinationLength() const { return destinationLength_; }

private:
    int fd_ = -1;
    std::uint16_t localPort_ = 0;
    sockaddr_storage destination_{};
    socklen_t destinationLength_ = 0;
};

} // namespace rtcgate::load
