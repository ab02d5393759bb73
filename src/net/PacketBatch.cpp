#include "rtcgate/net/PacketBatch.hpp"

#include <cerrno>
#include <cstring>

namespace rtcgate::net {

ReceiveBatch::ReceiveBatch() {
    for (std::size_t i = 0; i < kCapacity; ++i) {
        iovecs_[i] = {buffers_[i].data(), kBufferSize};
        messages_[i].msg_hdr.msg_iov = &iovecs_[i];
        messages_[i].msg_hdr.msg_iovlen = 1;
        messages_[i].msg_hdr.msg_name = &sources_[i];
    }
}

void ReceiveBatch::reset() {
    for (std::size_t i = 0; i < kCapacity; ++i) {
        messages_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
        messages_[i].msg_hdr.msg_control = controls_[i].data();
        messages_[i].msg_hdr.msg_controllen = kControlSize;
        messages_[i].msg_hdr.msg_flags = 0;
        messages_[i].msg_len = 0;
    }
}

std::size_t ReceiveBatch::receive(int fd) {
    reset();
    int n = 0;
    do {
        n = ::recvmmsg(fd, messages_.data(), kCapacity, MSG_DONTWAIT, nullptr);
    } while (n < 0 && errno == EINTR);
    count_ = n > 0 ? static_cast<std::size_t>(n) : 0;
    return count_;
}

std::optional<std::int64_t> ReceiveBatch::kernelTimestampNs(std::size_t i) const {
    auto& header = const_cast<msghdr&>(messages_[i].msg_hdr); // CMSG_* take a non-const msghdr
    for (cmsghdr* control = CMSG_FIRSTHDR(&header); control != nullptr; control = CMSG_NXTHDR(&header, control)) {
        if (control->cmsg_level == SOL_SOCKET && control->cmsg_type == SCM_TIMESTAMPNS) {
            timespec stamp{};
            std::memcpy(&stamp, CMSG_DATA(control), sizeof stamp);
            return static_cast<std::int64_t>(stamp.tv_sec) * 1'000'000'000 + stamp.tv_nsec;
        }
    }
    return std::nullopt;
}

void SendBatch::add(std::span<const std::uint8_t> payload, const sockaddr* destination, socklen_t length) {
    iovecs_[count_] = {const_cast<std::uint8_t*>(payload.data()), payload.size()};
    auto& header = messages_[count_].msg_hdr;
    header = {};
    header.msg_iov = &iovecs_[count_];
    header.msg_iovlen = 1;
    header.msg_name = const_cast<sockaddr*>(destination);
    header.msg_namelen = length;
    ++count_;
}

std::size_t SendBatch::flush(int fd) {
    std::size_t next = 0;
    std::size_t sent = 0;
    while (next < count_) {
        int n = ::sendmmsg(fd, messages_.data() + next, static_cast<unsigned>(count_ - next), MSG_DONTWAIT);
        if (n > 0) {
            next += static_cast<std::size_t>(n);
            sent += static_cast<std::size_t>(n);
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && errno == ECONNREFUSED) {
            // A queued ICMP error fails the first datagram only: skip it.
            ++next;
        } else {
            break; // EAGAIN: the socket buffer is full, the rest is dropped
        }
    }
    count_ = 0;
    return sent;
}

} // namespace rtcgate::net
