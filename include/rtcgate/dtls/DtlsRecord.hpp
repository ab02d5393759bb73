// Recognising DTLS among the packets of a shared media socket, and checking a datagram's records before OpenSSL
// sees them: OpenSSL 3.0 ends a handshake on records that RFC 6347 section 4.1.2.7 says to discard.
#pragma once

#include <cstdint>
#include <span>

namespace rtcgate::dtls {

// RFC 7983 section 7: a first byte in [20, 63] is DTLS (STUN is 0-3, RTP/RTCP 128-191).
inline bool isDtls(std::span<const std::uint8_t> packet) {
    return !packet.empty() && packet[0] >= 20 && packet[0] <= 63;
}

// Whether `datagram` is a sequence of whole DTLS 1.x records (RFC 6347 section 4.1) of the content types DTLS-SRTP
// uses, whose plaintext (epoch 0) records parse: a change_cipher_spec of one byte 1, an alert of two bytes, a
// handshake record of whole handshake fragments (section 4.2.2) that fit their message.
bool isWellFormed(std::span<const std::uint8_t> datagram);

// Whether the datagram's first record is a plaintext handshake record whose first fragment is a ClientHello.
bool isClientHello(std::span<const std::uint8_t> datagram);

// Whether the datagram carries an alert record of epoch 0: nothing authenticates it, so during the handshake it
// may come from anyone who can send to the port.
bool hasPlaintextAlert(std::span<const std::uint8_t> datagram);

} // namespace rtcgate::dtls
