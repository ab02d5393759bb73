#include "rtcgate/control/NgServer.hpp"

#include "rtcgate/control/UdpReply.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <deque>

namespace rtcgate::control {

namespace {

constexpr auto kReplyCacheTtl = std::chrono::seconds(30);
constexpr std::size_t kReplyCacheEntries = 65536;
constexpr std::size_t kReplyCacheBytes = std::size_t{32} << 20U;
// How often the reply cache drops its expired replies when no request comes.
constexpr auto kReplyCacheSweep = std::chrono::seconds(1);
// How long the TCP listener waits before accepting again when the process is out of file descriptors.
constexpr auto kAcceptBackoff = std::chrono::milliseconds(100);
// A TCP client may have this much of an unfinished message buffered.
constexpr std::size_t kMaxTcpBuffer = 1 << 20;
// Datagrams read from the UDP control socket at one turn of the loop, at most.
constexpr std::size_t kDatagramsPerTurn = 256;
constexpr int kReceiveBufferBytes = 4 << 20;

} // namespace

std::optional<NgDatagram> splitNgDatagram(std::string_view datagram) {
    auto space = datagram.find(' ');
    if (space == std::string_view::npos || space == 0) {
        return std::nullopt;
    }
    return NgDatagram{datagram.substr(0, space), datagram.substr(space + 1)};
}

// One TCP connection: messages are `<cookie> <dict>` back to back, each
// delimited by the bencode itself; replies go back in the order they come.
class NgServer::TcpSession : public std::enable_shared_from_this<NgServer::TcpSession> {
public:
    TcpSession(NgServer& server, boost::asio::ip::tcp::socket socket)
        : server_(server), socket_(std::move(socket)), alive_(server.alive_) {
        boost::system::error_code error;
        const auto peer = socket_.remote_endpoint(error);
        client_ = "tcp " + (error ? std::to_string(reinterpret_cast<std::uintptr_t>(this))
                                  : peer.address().to_string() + ':' + std::to_string(peer.port()));
    }

    void start() { read(); }

private:
    void read() {
        socket_.async_read_some(boost::asio::buffer(chunk_),
                                [self = shared_from_this()](const boost::system::error_code& error, std::size_t n) {
                                    if (error || !*self->alive_) {
                                        return;
                                    }
                                    self->buffer_.append(self->chunk_.data(), n);
                                    if (self->consume()) {
                                        self->read();
                                    }
                                });
    }

    // Handles every complete message in the buffer; false closes the connection.
    bool consume() {
        while (!buffer_.empty()) {
            std::string_view data(buffer_);
            auto space = data.find(' ');
            if (space == std::string_view::npos) {
                return buffer_.size() <= 256; // a cookie is short
            }
            auto result = bencode::decode(data.substr(space + 1));
            if (result.status == bencode::DecodeStatus::Incomplete) {
                return buffer_.size() <= kMaxTcpBuffer;
            }
            std::string cookie(data.substr(0, space));
            if (!result.ok()) {
                // The stream cannot be resynchronized after a malformed message.
                send(encodeReply(cookie, errorReply("Malformed bencode: " + result.error)));
                return false;
            }
            std::string body(data.substr(space + 1, result.consumed));
            buffer_.erase(0, space + 1 + result.consumed);
            while (!buffer_.empty() && (buffer_.front() == '\n' || buffer_.front() == '\r')) {
                buffer_.erase(0, 1);
            }
            const bool taken = server_.submit(client_, std::move(body),
                                              [self = shared_from_this(), cookie](const bencode::Dict& reply) {
                                                  self->send(encodeReply(cookie, reply));
                                              });
            if (!taken) {
                send(encodeReply(cookie, errorReply("Too many commands waiting from this client")));
            }
        }
        return true;
    }

    void send(std::string message) {
        outbox_.push_back(std::move(message));
        if (outbox_.size() == 1) {
            write();
        }
    }

    void write() {
        boost::asio::async_write(socket_, boost::asio::buffer(outbox_.front()),
                                 [self = shared_from_this()](const boost::system::error_code& error, std::size_t) {
                                     if (error) {
                                         return;
                                     }
                                     self->outbox_.pop_front();
                                     if (!self->outbox_.empty()) {
                                         self->write();
                                     }
                                 });
    }

    NgServer& server_;
    boost::asio::ip::tcp::socket socket_;
    std::string client_; // its key in the server's ClientGate
    std::shared_ptr<bool> alive_;
    std::array<char, 16384> chunk_{};
    std::string buffer_;
    std::deque<std::string> outbox_;
};

NgServer::NgServer(boost::asio::io_context& io, engine::Engine& engine, NgHandlerConfig config)
    : io_(io),
      engine_(engine),
      config_(config),
      cache_(kReplyCacheTtl, kReplyCacheEntries, kReplyCacheBytes),
      udp_(io),
      cacheSweep_(io),
      acceptBackoff_(io) {
    sweepCache();
}

void NgServer::sweepCache() {
    cacheSweep_.expires_after(kReplyCacheSweep);
    cacheSweep_.async_wait([this, alive = alive_](const boost::system::error_code& error) {
        if (!*alive || error) {
            return;
        }
        cache_.expire(std::chrono::steady_clock::now());
        sweepCache();
    });
}

NgServer::~NgServer() {
    *alive_ = false;
    close();
}

void NgServer::listenUdp(const boost::asio::ip::udp::endpoint& local) {
    udp_.open(local.protocol());
    udp_.set_option(boost::asio::socket_base::reuse_address(true));
    udp_.bind(local);
    udp_.non_blocking(true);
    // Room for a burst of commands from many proxy workers at once (the kernel caps it at net.core.rmem_max).
    boost::system::error_code ignored;
    udp_.set_option(boost::asio::socket_base::receive_buffer_size(kReceiveBufferBytes), ignored);
    receiveUdp();
}

void NgServer::listenTcp(const boost::asio::ip::tcp::endpoint& local) {
    tcp_ = std::make_unique<boost::asio::ip::tcp::acceptor>(io_, local, true);
    acceptTcp();
}

void NgServer::close() {
    boost::system::error_code ignored;
    try {
        cacheSweep_.cancel();
        acceptBackoff_.cancel();
    } catch (const boost::system::system_error&) { // NOLINT(bugprone-empty-catch): nothing left to stop then
    }
    udp_.close(ignored);
    if (tcp_) {
        tcp_->close(ignored);
    }
}

void NgServer::receiveUdp() {
    udp_.async_receive_from(boost::asio::buffer(udpBuffer_), udpSender_,
                            [this, alive = alive_](const boost::system::error_code& error, std::size_t size) {
                                if (!*alive || error == boost::asio::error::operation_aborted) {
                                    return;
                                }
                                if (!error) {
                                    onDatagram(size);
                                    drainUdp();
                                }
                                receiveUdp();
                            });
}

void NgServer::drainUdp() {
    // What else waits in the socket is read now, not one datagram per turn of the loop: a client that pipelines
    // commands would otherwise keep another client's ping queued behind its own, each behind a reply to format.
    for (std::size_t read = 0; read < kDatagramsPerTurn; ++read) {
        boost::system::error_code error;
        const std::size_t size = udp_.receive_from(boost::asio::buffer(udpBuffer_), udpSender_, 0, error);
        if (error) {
            return;
        }
        onDatagram(size);
    }
}

void NgServer::onDatagram(std::size_t size) {
    auto datagram = splitNgDatagram(std::string_view(udpBuffer_.data(), size));
    if (!datagram) {
        ++counters_.undecodable;
        spdlog::warn("ng: datagram of {} bytes from {} has no cookie: dropped", size, udpSender_.address().to_string());
        return;
    }
    auto now = std::chrono::steady_clock::now();
    const std::string client = "udp " + udpSender_.address().to_string() + ':' + std::to_string(udpSender_.port());
    std::string key = std::string(datagram->cookie) + '|' + client;
    auto lookup = cache_.begin(key, now);
    if (lookup.state != ReplyCache::State::Miss) {
        ++counters_.retransmits;
        if (lookup.state == ReplyCache::State::Hit) {
            boost::system::error_code ignored;
            udp_.send_to(boost::asio::buffer(lookup.reply), udpSender_, 0, ignored);
        }
        return;
    }
    const bool taken = submit(
        client, std::string(datagram->body),
        [this, key, cookie = std::string(datagram->cookie), to = udpSender_](bencode::Dict reply) {
            std::string encoded = encodeUdpReply(cookie, std::move(reply));
            boost::system::error_code ignored;
            udp_.send_to(boost::asio::buffer(encoded), to, 0, ignored);
            cache_.complete(key, std::move(encoded), std::chrono::steady_clock::now());
        },
        kMaxUdpReply);
    if (!taken) {
        cache_.abandon(key); // its retransmission is executed, once the client's earlier commands are answered
    }
}

bool NgServer::submit(const std::string& client, std::string body, ReplyHandler reply, std::size_t replyBudget) {
    return gate_.submit(client,
                        [this, body = std::move(body), reply = std::move(reply), replyBudget](ClientGate::Done done) {
                            execute(
                                body,
                                [reply, done = std::move(done)](bencode::Dict dict) {
                                    reply(std::move(dict));
                                    done();
                                },
                                replyBudget);
                        });
}

void NgServer::acceptTcp() {
    tcp_->async_accept(
        [this, alive = alive_](const boost::system::error_code& error, boost::asio::ip::tcp::socket socket) {
            if (!*alive || error == boost::asio::error::operation_aborted) {
                return;
            }
            if (!error) {
                std::make_shared<TcpSession>(*this, std::move(socket))->start();
            } else if (error == boost::asio::error::no_descriptors || error.value() == ENFILE ||
                       error == boost::asio::error::no_buffer_space || error == boost::asio::error::no_memory) {
                // The connection stays in the backlog: accepting again at once would spin.
                ++counters_.acceptBackoffs;
                if (counters_.acceptBackoffs == 1 || counters_.acceptBackoffs % 100 == 0) {
                    spdlog::warn("ng TCP: cannot accept a connection ({}), {} times: retrying in {} ms",
                                 error.message(), counters_.acceptBackoffs, kAcceptBackoff.count());
                }
                acceptBackoff_.expires_after(kAcceptBackoff);
                acceptBackoff_.async_wait([this, alive](const boost::system::error_code& waited) {
                    if (*alive && !waited) {
                        acceptTcp();
                    }
                });
                return;
            }
            acceptTcp();
        });
}

template <typename Work, typename Done>
void NgServer::runOnShard(engine::Shard& shard, Work work, Done done) {
    engine_.invokeOn(shard, io_.get_executor(), std::move(work),
                     [done = std::move(done), alive = alive_](auto result) mutable {
                         if (*alive) {
                             done(std::move(result));
                         }
                     });
}

template <typename Work, typename Done>
void NgServer::gatherFromShards(Work work, Done done) {
    engine_.mapShards(io_.get_executor(), std::move(work),
                      [done = std::move(done), alive = alive_](auto results) mutable {
                          if (*alive) {
                              done(std::move(results));
                          }
                      });
}

void NgServer::execute(std::string_view body, ReplyHandler reply, std::size_t replyBudget) {
    ++counters_.requests;
    auto respond = [this, reply = std::move(reply)](bencode::Dict dict) {
        auto result = dict.find("result");
        if (result != dict.end() && result->second == bencode::Value("error")) {
            ++counters_.errors;
        }
        reply(std::move(dict));
    };

    // Some clients end the datagram with a line break.
    while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
        body.remove_suffix(1);
    }
    auto decoded = bencode::decode(body);
    if (!decoded.ok()) {
        respond(errorReply("Malformed bencode: " + decoded.error));
        return;
    }
    if (decoded.consumed != body.size()) {
        respond(errorReply("Trailing data after the bencoded message"));
        return;
    }
    auto parsed = NgRequest::parse(decoded.value);
    if (!parsed.request) {
        respond(errorReply(parsed.error));
        return;
    }
    const NgRequest& request = *parsed.request;
    if (!request.callId.empty()) {
        spdlog::info("[{}] {} from-tag '{}' to-tag '{}'", request.callId, toString(request.command), request.fromTag,
                     request.toTag);
    }

    switch (request.command) {
    case NgCommand::Ping:
        respond(bencode::Dict{{"result", "pong"}});
        return;
    case NgCommand::List:
        gatherFromShards(
            [](engine::Shard& shard) { return shard.callIds(); },
            [respond = std::move(respond), limit = request.limit](std::vector<std::vector<std::string>> perShard) {
                std::vector<std::string> ids;
                for (auto& shardIds : perShard) {
                    ids.insert(ids.end(), shardIds.begin(), shardIds.end());
                }
                respond(listReply(ids, limit));
            });
        return;
    case NgCommand::Statistics: {
        auto uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_);
        gatherFromShards(
            [](engine::Shard& shard) { return shard.statistics(); },
            [this, respond = std::move(respond), uptime](const std::vector<engine::ShardStatistics>& shards) {
                counters_.delayedCommands = gate_.delayed();
                counters_.refusedCommands = gate_.refused();
                respond(statisticsReply(shards, uptime, counters_));
            });
        return;
    }
    default:
        break;
    }
    engine::Shard& shard = engine_.shardFor(request.callId); // before the request is moved into the work
    std::vector<std::string> ignored = std::move(parsed.request->ignored);
    runOnShard(
        shard,
        [this, request = std::move(*parsed.request)](engine::Shard& shard) {
            return executeOnShard(request, shard, config_);
        },
        [respond = std::move(respond), ignored = std::move(ignored), replyBudget](ShardOutcome outcome) {
            bencode::Dict reply = finishReply(std::move(outcome), replyBudget);
            if (reply["result"] == bencode::Value("ok")) {
                addIgnored(ignored, reply);
            }
            respond(std::move(reply));
        });
}

} // namespace rtcgate::control
