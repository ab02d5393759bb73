// What a DTLS-SRTP handshake yields for the SRTP layer (RFC 5764 section 4.2).
#pragma once

#include "rtcgate/dtls/SetupRole.hpp"
#include "rtcgate/srtp/SrtpSession.hpp"

#include <cstdint>
#include <span>

namespace rtcgate::dtls {

using srtp::SrtpProfile;

struct SrtpKeyMaterial {
    SrtpProfile profile = SrtpProfile::AesCm128HmacSha1_80;
    srtp::SrtpKeyPair keys; // local protects what this endpoint sends, remote unprotects what it receives
};

// Splits the exporter output (client_key | server_key | client_salt | server_salt,
// RFC 5764 section 4.2) by this endpoint's role: a client sends with the client key.
// Throws std::invalid_argument when the length does not fit the profile.
srtp::SrtpKeyPair splitKeyingMaterial(SrtpProfile profile, std::span<const std::uint8_t> material, DtlsRole localRole);

} // namespace rtcgate::dtls
