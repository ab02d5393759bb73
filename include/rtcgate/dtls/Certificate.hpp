// The gateway's DTLS identity: a key pair and an X.509 certificate, whose fingerprint goes into SDP.
#pragma once

#include "rtcgate/dtls/Fingerprint.hpp"
#include "rtcgate/dtls/OpenSslHandles.hpp"

#include <string>

namespace rtcgate::dtls {

class Certificate {
public:
    // A fresh ECDSA P-256 key and a self-signed certificate (CN "rtcgate", random serial, valid from 30 days ago
    // to a year ahead). Throws std::runtime_error if OpenSSL fails.
    static Certificate generate();
    // Loads a certificate and its private key from PEM files; throws std::runtime_error if either cannot be read
    // or the key does not belong to the certificate.
    static Certificate loadPem(const std::string& certPath, const std::string& keyPath);

    EVP_PKEY* key() const { return key_.get(); }
    X509* x509() const { return cert_.get(); }
    // The SHA-256 fingerprint, for a=fingerprint.
    const Fingerprint& fingerprint() const { return fingerprint_; }

private:
    Certificate(PkeyPtr key, X509Ptr cert);

    PkeyPtr key_;
    X509Ptr cert_;
    Fingerprint fingerprint_;
};

} // namespace rtcgate::dtls
