#include "rtcgate/dtmf/DtmfEventLog.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace rtcgate;
using namespace rtcgate::dtmf;
using boost::asio::ip::udp;

constexpr int kReceiveBoundMs = 2000; // a bound against hanging, not a speed expectation

DtmfLogEntry hashEntry() {
    DtmfLogEntry entry;
    entry.callId = "call-1@example.com";
    entry.tag = "from-tag-a";
    entry.peerTag = "to-tag-b";
    entry.digit = '#';
    entry.event = 11;
    entry.durationMs = 240;
    entry.volume = 10;
    entry.source = DtmfSource::Rfc4733;
    entry.sourceEndpoint = *net::makeEndpoint("192.0.2.7", 40002);
    entry.when = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'123));
    return entry;
}

// A loopback UDP socket the test reads datagrams from.
class Receiver {
public:
    explicit Receiver(boost::asio::io_context& io) : socket_(io, udp::v4()) {
        socket_.set_option(udp::socket::receive_buffer_size(1 << 20));
        socket_.bind(udp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
    }

    net::Endpoint endpoint() const { return socket_.local_endpoint(); }

    // The next datagram, nullopt when none arrives within kReceiveBoundMs.
    std::optional<std::string> receive() {
        pollfd readable{socket_.native_handle(), POLLIN, 0};
        if (::poll(&readable, 1, kReceiveBoundMs) != 1) {
            return std::nullopt;
        }
        std::array<char, 65536> buffer{};
        const auto length = ::recv(socket_.native_handle(), buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (length < 0) {
            return std::nullopt;
        }
        return std::string(buffer.data(), static_cast<std::size_t>(length));
    }

private:
    udp::socket socket_;
};

TEST(DtmfEventLogTest, FormatCarriesRtpenginesFieldsAndRtcgatesOwn) {
    const auto json = boost::json::parse(DtmfEventLog::format(hashEntry())).as_object();
    // rtpengine's.
    EXPECT_EQ(json.at("callid").as_string(), "call-1@example.com");
    EXPECT_EQ(json.at("source_tag").as_string(), "from-tag-a");
    EXPECT_EQ(json.at("source_label").as_string(), "");
    const auto& tags = json.at("tags").as_array();
    ASSERT_EQ(tags.size(), 2u);
    EXPECT_EQ(tags[0].as_string(), "from-tag-a");
    EXPECT_EQ(tags[1].as_string(), "to-tag-b");
    EXPECT_EQ(json.at("type").as_string(), "DTMF");
    EXPECT_EQ(json.at("timestamp").to_number<std::int64_t>(), 1'700'000'123);
    EXPECT_EQ(json.at("source_ip").as_string(), "192.0.2.7");
    EXPECT_EQ(json.at("event").to_number<int>(), 11);
    EXPECT_EQ(json.at("duration").to_number<int>(), 240);
    EXPECT_EQ(json.at("volume").to_number<int>(), 10);
    // rtcgate's.
    EXPECT_EQ(json.at("digit").as_string(), "#");
    EXPECT_EQ(json.at("source").as_string(), "RFC 4733");
    EXPECT_EQ(json.size(), 12u) << "no field beyond the documented ones";
}

TEST(DtmfEventLogTest, FormatNamesEachSource) {
    DtmfLogEntry entry = hashEntry();
    entry.source = DtmfSource::InBand;
    EXPECT_EQ(boost::json::parse(DtmfEventLog::format(entry)).at("source").as_string(), "in-band");
    entry.source = DtmfSource::PlayDtmf;
    EXPECT_EQ(boost::json::parse(DtmfEventLog::format(entry)).at("source").as_string(), "play DTMF");
}

TEST(DtmfEventLogTest, FormatOfADigitWithoutPeerLabelOrSourceAddress) {
    DtmfLogEntry entry = hashEntry();
    entry.peerTag = {};
    entry.label = "caller";
    entry.sourceEndpoint.reset();
    entry.digit = '*';
    entry.event = 10;
    entry.source = DtmfSource::PlayDtmf;
    const auto json = boost::json::parse(DtmfEventLog::format(entry)).as_object();
    ASSERT_EQ(json.at("tags").as_array().size(), 1u);
    EXPECT_EQ(json.at("tags").as_array()[0].as_string(), "from-tag-a");
    EXPECT_EQ(json.at("source_label").as_string(), "caller");
    EXPECT_EQ(json.at("source_ip").as_string(), "");
    EXPECT_EQ(json.at("digit").as_string(), "*");
    EXPECT_EQ(json.at("event").to_number<int>(), 10);
}

TEST(DtmfEventLogTest, FormatOfAnIPv6SourceIsTheAddressOnly) {
    DtmfLogEntry entry = hashEntry();
    entry.sourceEndpoint = *net::makeEndpoint("2001:db8::5", 40002);
    EXPECT_EQ(boost::json::parse(DtmfEventLog::format(entry)).at("source_ip").as_string(), "2001:db8::5");
}

TEST(DtmfEventLogTest, FormatOfANonDtmfEventHasANullDigit) {
    DtmfLogEntry entry = hashEntry();
    entry.digit = '\0';
    entry.event = 16;
    const auto json = boost::json::parse(DtmfEventLog::format(entry)).as_object();
    EXPECT_TRUE(json.at("digit").is_null());
    EXPECT_EQ(json.at("event").to_number<int>(), 16);
}

TEST(DtmfEventLogTest, FormatEscapesTheStrings) {
    DtmfLogEntry entry = hashEntry();
    entry.callId = "a\"b\\c";
    EXPECT_EQ(boost::json::parse(DtmfEventLog::format(entry)).at("callid").as_string(), "a\"b\\c");
}

TEST(DtmfEventLogTest, SendDeliversOneDatagramWithTheJson) {
    boost::asio::io_context io;
    Receiver receiver(io);
    DtmfEventLog log(receiver.endpoint());
    ASSERT_TRUE(log.isOpen()) << log.openError().message();

    const DtmfLogEntry entry = hashEntry();
    log.send(entry);
    const auto datagram = receiver.receive();
    ASSERT_TRUE(datagram.has_value());
    EXPECT_EQ(*datagram, DtmfEventLog::format(entry));
    EXPECT_EQ(boost::json::parse(*datagram).at("digit").as_string(), "#");
    EXPECT_EQ(log.sentCount(), 1u);
    EXPECT_EQ(log.failedCount(), 0u);
}

TEST(DtmfEventLogTest, SendFromSeveralThreadsAtOnceDeliversWholeDatagrams) {
    boost::asio::io_context io;
    Receiver receiver(io);
    DtmfEventLog log(receiver.endpoint());
    ASSERT_TRUE(log.isOpen()) << log.openError().message();

    constexpr int kThreads = 4;
    constexpr int kPerThread = 10;
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&log, t] {
            const std::string callId = "call-" + std::to_string(t);
            DtmfLogEntry entry = hashEntry();
            entry.callId = callId;
            for (int i = 0; i < kPerThread; ++i) {
                log.send(entry);
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    EXPECT_EQ(log.sentCount() + log.failedCount(), static_cast<std::uint64_t>(kThreads * kPerThread));
    EXPECT_EQ(log.failedCount(), 0u);

    std::array<int, kThreads> perThread{};
    for (std::uint64_t i = 0; i < log.sentCount(); ++i) {
        const auto datagram = receiver.receive();
        ASSERT_TRUE(datagram.has_value()) << "datagram " << i;
        const auto json = boost::json::parse(*datagram).as_object(); // throws on a torn datagram
        const std::string callId(json.at("callid").as_string());
        ASSERT_EQ(callId.rfind("call-", 0), 0u) << callId;
        ++perThread.at(static_cast<std::size_t>(std::stoi(callId.substr(5))));
    }
    for (const int count : perThread) {
        EXPECT_EQ(count, kPerThread);
    }
}

TEST(DtmfEventLogTest, SendToAClosedPortIsCountedAsFailedAndDoesNotThrow) {
    boost::asio::io_context io;
    net::Endpoint closed;
    {
        Receiver gone(io);
        closed = gone.endpoint();
    } // closed: the port now answers with ICMP port unreachable
    DtmfEventLog log(closed);
    ASSERT_TRUE(log.isOpen()) << log.openError().message();

    // The ICMP error of one send is reported on a later send of the connected socket.
    constexpr int kMaxSends = 50;
    int sends = 0;
    while (sends < kMaxSends && log.failedCount() == 0) {
        log.send(hashEntry());
        ++sends;
        if (log.failedCount() == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
    }
    EXPECT_GE(log.failedCount(), 1u);
    EXPECT_EQ(log.sentCount() + log.failedCount(), static_cast<std::uint64_t>(sends));
}

} // namespace
