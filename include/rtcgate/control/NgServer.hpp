// The ng control socket(s): `<cookie> <bencoded dict>` over UDP and TCP, on
// the control thread. Call commands run on the shard that owns the call;
// list and statistics gather from every shard.
#pragma once

#include "rtcgate/control/Bencode.hpp"
#include "rtcgate/control/ClientGate.hpp"
#include "rtcgate/control/NgCommandHandler.hpp"
#include "rtcgate/control/NgRequest.hpp"
#include "rtcgate/control/ReplyCache.hpp"
#include "rtcgate/engine/Engine.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rtcgate::control {

class NgServer {
public:
    NgServer(boost::asio::io_context& io, engine::Engine& engine, NgHandlerConfig config);
    ~NgServer();
    NgServer(const NgServer&) = delete;
    NgServer& operator=(const NgServer&) = delete;

    // Throw boost::system::system_error when the address cannot be bound.
    void listenUdp(const boost::asio::ip::udp::endpoint& local);
    void listenTcp(const boost::asio::ip::tcp::endpoint& local);
    void close();

    const NgServerCounters& counters() const { return counters_; }

    // Hands one message (after its cookie) to the engine; `reply` gets the
    // reply dictionary on the control thread. Public for the TCP sessions.
    using ReplyHandler = std::function<void(bencode::Dict)>;
    // `replyBudget`: the longest reply the transport carries (a UDP datagram), SIZE_MAX for TCP.
    void execute(std::string_view body, ReplyHandler reply, std::size_t replyBudget = SIZE_MAX);
    // execute() through the client's gate (ClientGate): false when the client has too many commands waiting.
    bool submit(const std::string& client, std::string body, ReplyHandler reply, std::size_t replyBudget = SIZE_MAX);

private:
    class TcpSession;

    void receiveUdp();
    void drainUdp();
    void onDatagram(std::size_t size);
    void acceptTcp();
    void sweepCache();
    // Runs `work` on `shard`'s thread and hands its result to `done` on the
    // control thread, unless the server has gone away meanwhile.
    template <typename Work, typename Done>
    void runOnShard(engine::Shard& shard, Work work, Done done);
    // Runs `work` on every shard; `done` gets the results in shard order.
    template <typename Work, typename Done>
    void gatherFromShards(Work work, Done done);

    boost::asio::io_context& io_;
    engine::Engine& engine_;
    NgHandlerConfig config_;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    ReplyCache cache_;
    ClientGate gate_;
    NgServerCounters counters_;

    boost::asio::ip::udp::socket udp_;
    boost::asio::ip::udp::endpoint udpSender_;
    std::array<char, 65536> udpBuffer_{};
    std::unique_ptr<boost::asio::ip::tcp::acceptor> tcp_;
    boost::asio::steady_timer cacheSweep_;
    boost::asio::steady_timer acceptBackoff_;
    // Set to false when the server goes away, so that shard replies still in
    // flight are dropped instead of touching it.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Splits "<cookie> <body>"; nullopt when there is no space.
struct NgDatagram {
    std::string_view cookie;
    std::string_view body;
};
std::optional<NgDatagram> splitNgDatagram(std::string_view datagram);

} // namespace rtcgate::control
