// A plain UDP endpoint on 127.0.0.1 for in-process tests and benchmarks: the
// party at the far end of a leg.
#pragma once

#include "rtcgate/media/Call.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rtcgate::testing {

class LoopbackPeer {
public:
    LoopbackPeer() {
        fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
            throw std::runtime_error("cannot bind a loopback socket");
        }
        socklen_t length = sizeof local;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length);
        port_ = ntohs(local.sin_port);
    }
    ~LoopbackPeer() { ::close(fd_); }
    LoopbackPeer(const LoopbackPeer&) = delete;
    LoopbackPeer& operator=(const LoopbackPeer&) = delete;

    int fd() const { return fd_; }
    std::uint16_t port() const { return port_; }

    static sockaddr_in to(std::uint16_t port) {
        sockaddr_in remote{};
        remote.sin_family = AF_INET;
        remote.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        remote.sin_port = htons(port);
        return remote;
    }

    void send(std::uint16_t port, const std::vector<std::uint8_t>& data) const {
        auto remote = to(port);
        ::sendto(fd_, data.data(), data.size(), 0, reinterpret_cast<const sockaddr*>(&remote), sizeof remote);
    }

    // A datagram if one is waiting, without blocking.
    std::optional<std::vector<std::uint8_t>> tryReceive() const {
        std::vector<std::uint8_t> buffer(2048);
        ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (n < 0) {
            return std::nullopt;
        }
        buffer.resize(static_cast<std::size_t>(n));
        return buffer;
    }

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

// An RTP packet (version 2) with a distinct sequence number and payload.
inline std::vector<std::uint8_t> rtpPacket(std::uint16_t sequence, std::uint8_t payloadType = 0,
                                           std::size_t payload = 160) {
    std::vector<std::uint8_t> p(12 + payload, static_cast<std::uint8_t>(sequence));
    p[0] = 0x80;
    p[1] = payloadType;
    p[2] = static_cast<std::uint8_t>(sequence >> 8U);
    p[3] = static_cast<std::uint8_t>(sequence);
    p[8] = 0x11;
    p[9] = 0x22;
    p[10] = 0x33;
    p[11] = 0x44;
    return p;
}

// A minimal RTCP receiver report (RFC 3550 section 6.4.2).
inline std::vector<std::uint8_t> rtcpReceiverReport() {
    return {0x80, 201, 0x00, 0x01, 0x11, 0x22, 0x33, 0x44};
}

inline std::string plainSdp(std::uint16_t port, const std::string& direction = "sendrecv") {
    return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
           "m=audio " +
           std::to_string(port) +
           " RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\n"
           "a=rtpmap:101 telephone-event/8000\r\na=" +
           direction + "\r\n";
}

// Runs `io` (the shard's io_context, on the test thread) until `peer` has
// received `count` datagrams; bounded: 2 s.
inline std::vector<std::vector<std::uint8_t>> receiveWhileRunning(boost::asio::io_context& io,
                                                                  const LoopbackPeer& peer, std::size_t count) {
    std::vector<std::vector<std::uint8_t>> got;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (got.size() < count && std::chrono::steady_clock::now() < deadline) {
        io.poll();
        while (auto packet = peer.tryReceive()) {
            got.push_back(std::move(*packet));
        }
        if (got.size() < count) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    return got;
}

// An offer or answer as the control layer hands it to a Call.
inline media::Signal signal(std::string fromTag, std::string toTag, const std::string& sdpText,
                            bool strictSource = false) {
    media::Signal s;
    s.fromTag = std::move(fromTag);
    s.toTag = std::move(toTag);
    s.sdp = *sdp::SessionDescription::parse(sdpText);
    s.strictSource = strictSource;
    return s;
}

} // namespace rtcgate::testing
