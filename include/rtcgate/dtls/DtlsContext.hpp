// The per-shard OpenSSL DTLS context: method, identity, SRTP profiles and peer verification. An SSL_CTX is not
// shared across shards; every DtlsEndpoint of the shard is made from it.
#pragma once

#include "rtcgate/dtls/Certificate.hpp"
#include "rtcgate/dtls/OpenSslHandles.hpp"
#include "rtcgate/dtls/SrtpKeyMaterial.hpp"

#include <chrono>
#include <vector>

namespace rtcgate::dtls {

struct DtlsContextOptions {
    // In order of preference.
    std::vector<SrtpProfile> srtpProfiles{SrtpProfile::AeadAes128Gcm, SrtpProfile::AesCm128HmacSha1_80,
                                          SrtpProfile::AesCm128HmacSha1_32};
    // First retransmission timeout of a flight, doubled on each retransmission up to the maximum
    // (RFC 6347 section 4.2.4.1).
    std::chrono::milliseconds initialRetransmitTimeout{1000};
    std::chrono::milliseconds maxRetransmitTimeout{60000};
    // Path MTU for the handshake's records, less than any UDP path a browser uses.
    unsigned mtu = 1200;
};

class DtlsContext {
public:
    // The certificate must outlive the context, and the context its endpoints. Throws std::runtime_error if OpenSSL
    // refuses the certificate or the profile list.
    explicit DtlsContext(const Certificate& certificate, DtlsContextOptions options = {});

    SSL_CTX* get() const { return ctx_.get(); }
    const Certificate& certificate() const { return *certificate_; }
    const DtlsContextOptions& options() const { return options_; }

    DtlsContext(const DtlsContext&) = delete;
    DtlsContext& operator=(const DtlsContext&) = delete;

private:
    const Certificate* certificate_;
    DtlsContextOptions options_;
    SslCtxPtr ctx_;
};

} // namespace rtcgate::dtls
