// Fixed storage for one recvmmsg()/sendmmsg() batch: the hot path reuses it
// for every read, so relaying a packet allocates nothing.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <optional>
#include <span>

namespace rtcgate::net {

// Received datagrams, each in its own buffer.
class ReceiveBatch {
public:
    static constexpr std::size_t kCapacity = 32;
    // Larger than any RTP packet on an Ethernet path; a datagram that does not
    // fit is reported as truncated and dropped.
    static constexpr std::size_t kBufferSize = 2048;

    ReceiveBatch();
    ReceiveBatch(const ReceiveBatch&) = delete;
    ReceiveBatch& operator=(const ReceiveBatch&) = delete;

    std::size_t size() const { return count_; }
    std::span<std::uint8_t> packet(std::size_t i) { return {buffers_[i].data(), messages_[i].msg_len}; }
    // The whole buffer the packet is in: room to grow it in place (SRTP protection).
    std::span<std::uint8_t> buffer(std::size_t i) { return buffers_[i]; }
    const sockaddr* source(std::size_t i) const { return reinterpret_cast<const sockaddr*>(&sources_[i]); }
    socklen_t sourceLength(std::size_t i) const { return messages_[i].msg_hdr.msg_namelen; }
    bool truncated(std::size_t i) const { return (messages_[i].msg_hdr.msg_flags & MSG_TRUNC) != 0; }
    // The kernel's receive time (CLOCK_REALTIME, ns) on a socket with
    // SO_TIMESTAMPNS set; nullopt on any other.
    std::optional<std::int64_t> kernelTimestampNs(std::size_t i) const;

    // Reads up to kCapacity datagrams without blocking. Returns how many
    // arrived (0 when none was waiting); a socket error reads as 0.
    std::size_t receive(int fd);

private:
    void reset();

    std::size_t count_ = 0;
    std::array<mmsghdr, kCapacity> messages_{};
    std::array<iovec, kCapacity> iovecs_{};
    std::array<sockaddr_storage, kCapacity> sources_{};
    std::array<std::array<std::uint8_t, kBufferSize>, kCapacity> buffers_{};
    static constexpr std::size_t kControlSize = CMSG_SPACE(sizeof(timespec));
    alignas(cmsghdr) std::array<std::array<std::uint8_t, kControlSize>, kCapacity> controls_{};
};

// Datagrams to send from one socket; the payloads are views into buffers the
// caller keeps alive until flush().
class SendBatch {
public:
    static constexpr std::size_t kCapacity = ReceiveBatch::kCapacity;

    bool full() const { return count_ == kCapacity; }
    std::size_t size() const { return count_; }
    void add(std::span<const std::uint8_t> payload, const sockaddr* destination, socklen_t length);

    // Sends without blocking; returns how many datagrams the kernel took. What
    // it did not take (a full socket buffer) is dropped, as UDP would.
    std::size_t flush(int fd);

private:
    std::size_t count_ = 0;
    std::array<mmsghdr, kCapacity> messages_{};
    std::array<iovec, kCapacity> iovecs_{};
};

} // namespace rtcgate::net
