#include "rtcgate/dtls/DtlsContext.hpp"

#include <openssl/err.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace rtcgate::dtls {

namespace {

// The peer's certificate is self-signed: what authenticates it is its a=fingerprint, which DtlsEndpoint checks
// in its own verify callback (RFC 8122 section 5, RFC 5763 section 5).
int acceptAnyChain(int /*preverifyOk*/, X509_STORE_CTX* /*store*/) {
    return 1;
}

} // namespace

DtlsContext::DtlsContext(const Certificate& certificate, DtlsContextOptions options)
    : certificate_(&certificate), options_(std::move(options)), ctx_(SSL_CTX_new(DTLS_method())) {
    if (!ctx_) {
        throw std::runtime_error("SSL_CTX_new(DTLS_method()) failed");
    }
    SSL_CTX* ctx = ctx_.get();
    // DTLS 1.2 only (RFC 8827 section 6.5): 1.0 is deprecated and OpenSSL 3.0 has no DTLS 1.3.
    SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET);
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_read_ahead(ctx, 1);

    if (SSL_CTX_use_certificate(ctx, certificate.x509()) != 1 || SSL_CTX_use_PrivateKey(ctx, certificate.key()) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        ERR_clear_error();
        throw std::runtime_error("the DTLS context refuses the certificate or its key");
    }
    if (SSL_CTX_set1_groups_list(ctx, "X25519:P-256:P-384") != 1 ||
        SSL_CTX_set_cipher_list(ctx, "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                                     "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                                     "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                                     "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA") != 1) {
        ERR_clear_error();
        throw std::runtime_error("the DTLS context refuses its groups or cipher list");
    }

    std::string profiles;
    for (const auto profile : options_.srtpProfiles) {
        profiles += profiles.empty() ? "" : ":";
        profiles += srtp::dtlsProfileName(profile);
    }
    // SSL_CTX_set_tlsext_use_srtp returns 0 on success.
    if (profiles.empty() || SSL_CTX_set_tlsext_use_srtp(ctx, profiles.c_str()) != 0) {
        ERR_clear_error();
        throw std::runtime_error("the DTLS context refuses the SRTP profiles '" + profiles + "'");
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, acceptAnyChain);
}

} // namespace rtcgate::dtls
