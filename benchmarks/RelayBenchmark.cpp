// The per-packet cost of relaying plain RTP in process: a sender, rtcgate's
// stream (asio readiness, recvmmsg, classify, latch check, counters,
// sendmmsg) and a receiver, all on loopback and one thread. RelayBareFloor
// does the same syscalls with no logic: the difference is rtcgate's own cost.
#include "LoopbackPeer.hpp"

#include "rtcgate/media/Call.hpp"

#include <benchmark/benchmark.h>

#include <sys/epoll.h>

#include <array>

namespace {

using rtcgate::testing::LoopbackPeer;

constexpr std::size_t kBatch = 32;

// Sends `kBatch` copies of `packet` to `port` in one sendmmsg.
class BatchSender {
public:
    explicit BatchSender(std::uint16_t port) : destination_(LoopbackPeer::to(port)) {
        for (std::size_t i = 0; i < kBatch; ++i) {
            iov_[i] = {packet_.data(), packet_.size()};
            messages_[i].msg_hdr.msg_iov = &iov_[i];
            messages_[i].msg_hdr.msg_iovlen = 1;
            messages_[i].msg_hdr.msg_name = &destination_;
            messages_[i].msg_hdr.msg_namelen = sizeof destination_;
        }
    }
    void send(int fd) { ::sendmmsg(fd, messages_.data(), kBatch, 0); }

private:
    std::vector<std::uint8_t> packet_ = rtcgate::testing::rtpPacket(1);
    sockaddr_in destination_;
    std::array<iovec, kBatch> iov_{};
    std::array<mmsghdr, kBatch> messages_{};
};

// Drains what arrived at `fd`; returns the number of datagrams.
std::size_t drain(int fd, rtcgate::net::ReceiveBatch& batch) {
    std::size_t total = 0;
    while (std::size_t n = batch.receive(fd)) {
        total += n;
    }
    return total;
}

void RelayThroughStream(benchmark::State& state) {
    boost::asio::io_context io;
    rtcgate::net::PortPool ports(45000, 45099);
    rtcgate::media::MediaContext context(io, ports, boost::asio::ip::make_address("127.0.0.1"), "127.0.0.1");
    rtcgate::media::Call call("bench", context);
    LoopbackPeer a;
    LoopbackPeer b;
    call.offer(rtcgate::testing::signal("A", "", rtcgate::testing::plainSdp(a.port())));
    auto answered = call.answer(rtcgate::testing::signal("A", "B", rtcgate::testing::plainSdp(b.port())));
    auto portForA = rtcgate::sdp::SessionDescription::parse(answered.sdp)->media[0].port;
    BatchSender sender(portForA);
    rtcgate::net::ReceiveBatch sink;
    std::size_t relayed = 0;
    for (auto _ : state) {
        sender.send(a.fd());
        std::size_t got = 0;
        for (int spins = 0; got < kBatch && spins < 1000; ++spins) {
            io.poll();
            got += drain(b.fd(), sink);
        }
        relayed += got;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(relayed));
    state.counters["lost"] = static_cast<double>(state.iterations() * kBatch - relayed);
}
BENCHMARK(RelayThroughStream);

void RelayBareFloor(benchmark::State& state) {
    LoopbackPeer a;
    LoopbackPeer relay;
    LoopbackPeer b;
    int epoll = ::epoll_create1(0);
    epoll_event event{.events = EPOLLIN, .data = {.fd = relay.fd()}};
    ::epoll_ctl(epoll, EPOLL_CTL_ADD, relay.fd(), &event);
    BatchSender sender(relay.port());
    rtcgate::net::ReceiveBatch in;
    rtcgate::net::SendBatch out;
    rtcgate::net::ReceiveBatch sink;
    auto toB = LoopbackPeer::to(b.port());
    std::size_t relayed = 0;
    for (auto _ : state) {
        sender.send(a.fd());
        std::size_t got = 0;
        for (int spins = 0; got < kBatch && spins < 1000; ++spins) {
            epoll_event ready{};
            if (::epoll_wait(epoll, &ready, 1, 0) == 1) {
                std::size_t n = in.receive(relay.fd());
                for (std::size_t i = 0; i < n; ++i) {
                    out.add(in.packet(i), reinterpret_cast<const sockaddr*>(&toB), sizeof toB);
                }
                out.flush(relay.fd());
            }
            got += drain(b.fd(), sink);
        }
        relayed += got;
    }
    ::close(epoll);
    state.SetItemsProcessed(static_cast<std::int64_t>(relayed));
    state.counters["lost"] = static_cast<double>(state.iterations() * kBatch - relayed);
}
BENCHMARK(RelayBareFloor);

} // namespace
