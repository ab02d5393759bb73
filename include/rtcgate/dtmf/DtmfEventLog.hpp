// --dtmf-log-dest: one JSON object per UDP datagram for each DTMF digit that ended, as rtpengine sends to its own
// --dtmf-log-dest (daemon/dtmf.c, dtmf_json_print), so that an operator's existing consumer keeps working.
//
// Fields, in this order:
//   rtpengine's (same names, same meaning, same types):
//     "callid"        string  the call's Call-ID (what rtcgate's issue calls call-id)
//     "source_tag"    string  the SIP tag of the party that sent the digit (the issue's tag)
//     "source_label"  string  that party's ng "label"; "" when it has none, as rtpengine sends it
//     "tags"          array   the call's tags: source_tag, then the other party's tag when it is known
//     "type"          string  always "DTMF"
//     "timestamp"     number  when the digit ended, in whole seconds since the Unix epoch
//     "source_ip"     string  the address (no port) the digit's media came from; "" when there is none (play DTMF)
//     "event"         number  the RFC 4733 event code: 0-9, 10 = *, 11 = #, 12-15 = A-D
//     "duration"      number  the digit's duration in milliseconds (the issue's duration)
//     "volume"        number  the RFC 4733 volume: the power level in -dBm0, 0-63
//   rtcgate's (no rtpengine field has their meaning):
//     "digit"         string  the digit as one character, "0"-"9", "*", "#", "A"-"D"; null for a non-DTMF event
//     "source"        string  how the digit reached rtcgate: "RFC 4733", "in-band" or "play DTMF"
//
// send() is called from shard threads, several at once: the socket is connected once at construction and each
// datagram goes out in one non-blocking send(2) on its descriptor, which the kernel serialises; the only shared
// mutable state is two atomic counters. A datagram that cannot go out at once is dropped and counted, never
// retried, never thrown, never waited for.
#pragma once

#include "rtcgate/net/Endpoint.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/system/error_code.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtcgate::dtmf {

// How a digit reached rtcgate.
enum class DtmfSource {
    Rfc4733,  // telephone-event packets from the party
    InBand,   // tones detected in the party's audio
    PlayDtmf, // injected by the ng "play DTMF" command
};

// "RFC 4733", "in-band", "play DTMF": the "source" field's values.
std::string_view dtmfSourceName(DtmfSource source) noexcept;

// One digit that ended. The views must stay valid for the duration of send() or format() only.
struct DtmfLogEntry {
    std::string_view callId;
    std::string_view tag;     // the party that sent the digit
    std::string_view peerTag; // the other party; empty when not known yet
    std::string_view label;   // the sending party's ng label; empty when it has none
    char digit = '\0';        // '0'-'9', '*', '#', 'A'-'D'; '\0' for a non-DTMF event
    std::uint8_t event = 0;   // RFC 4733 section 3.2 event code
    std::uint32_t durationMs = 0;
    std::uint8_t volume = 0; // -dBm0, 0-63
    DtmfSource source = DtmfSource::Rfc4733;
    std::optional<net::Endpoint> sourceEndpoint; // where the party's media came from; none for play DTMF
    std::chrono::system_clock::time_point when;  // when the digit ended
};

class DtmfEventLog {
public:
    // Opens a UDP socket toward `destination` (connected, so that the kernel reports an ICMP port unreachable on a
    // later send, which is then counted as failed). Does not throw: when the socket cannot be opened, isOpen() is
    // false, openError() says why, and every send() is counted as failed.
    explicit DtmfEventLog(const net::Endpoint& destination);

    DtmfEventLog(const DtmfEventLog&) = delete;
    DtmfEventLog& operator=(const DtmfEventLog&) = delete;

    // The JSON text of one datagram (described above), without a trailing newline.
    static std::string format(const DtmfLogEntry& entry);

    // Formats and sends one datagram without blocking. Safe to call from several threads at once.
    void send(const DtmfLogEntry& entry) noexcept;

    bool isOpen() const { return socket_.is_open(); }
    const boost::system::error_code& openError() const { return openError_; }
    const net::Endpoint& destination() const { return destination_; }

    // Datagrams handed to the kernel, and entries dropped (socket not open, send error such as a full socket
    // buffer or an ICMP error from the destination, or formatting out of memory).
    std::uint64_t sentCount() const { return sent_.load(std::memory_order_relaxed); }
    std::uint64_t failedCount() const { return failed_.load(std::memory_order_relaxed); }

private:
    const net::Endpoint destination_;
    // Only hosts the socket (nothing is ever waited for on it): its own, so that it outlives the socket.
    boost::asio::io_context io_{1};
    boost::asio::ip::udp::socket socket_;
    boost::system::error_code openError_;
    int fd_ = -1; // socket_'s descriptor, read by every sender; the asio object itself is not used after construction
    std::atomic<std::uint64_t> sent_{0};
    std::atomic<std::uint64_t> failed_{0};
};

} // namespace rtcgate::dtmf
