#include "rtcgate/dtls/Certificate.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <memory>
#include <stdexcept>
#include <utility>

namespace rtcgate::dtls {

namespace {

[[noreturn]] void throwOpenSslError(const std::string& what) {
    std::string message = what;
    if (const unsigned long code = ERR_get_error(); code != 0) {
        message += ": ";
        message += ERR_reason_error_string(code) != nullptr ? ERR_reason_error_string(code) : "unknown error";
    }
    ERR_clear_error();
    throw std::runtime_error(message);
}

void setRandomSerial(X509& cert) {
    // 64 random bits, positive (RFC 5280 section 4.1.2.2).
    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial(BN_new(), &BN_free);
    if (!serial || BN_rand(serial.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
        BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(&cert)) == nullptr) {
        throwOpenSslError("cannot set the certificate serial number");
    }
}

struct BioDeleter {
    void operator()(BIO* bio) const { BIO_free(bio); }
};

std::unique_ptr<BIO, BioDeleter> openFile(const std::string& path) {
    std::unique_ptr<BIO, BioDeleter> bio(BIO_new_file(path.c_str(), "r"));
    if (!bio) {
        throwOpenSslError("cannot open " + path);
    }
    return bio;
}

} // namespace

Certificate::Certificate(PkeyPtr key, X509Ptr cert)
    : key_(std::move(key)), cert_(std::move(cert)), fingerprint_(Fingerprint::of(*cert_)) {}

Certificate Certificate::generate() {
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) {
        throwOpenSslError("cannot generate an ECDSA P-256 key");
    }
    X509Ptr cert(X509_new());
    if (!cert) {
        throwOpenSslError("cannot allocate a certificate");
    }
    constexpr long day = 24L * 60 * 60;
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), -30 * day) == nullptr ||
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365 * day) == nullptr ||
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("rtcgate"), -1, -1,
                                   0) != 1 ||
        X509_set_issuer_name(cert.get(), name) != 1 || X509_set_pubkey(cert.get(), key.get()) != 1) {
        throwOpenSslError("cannot fill in the certificate");
    }
    setRandomSerial(*cert);
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
        throwOpenSslError("cannot sign the certificate");
    }
    return {std::move(key), std::move(cert)};
}

Certificate Certificate::loadPem(const std::string& certPath, const std::string& keyPath) {
    const auto certBio = openFile(certPath);
    X509Ptr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        throwOpenSslError("cannot read a PEM certificate from " + certPath);
    }
    const auto keyBio = openFile(keyPath);
    PkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        throwOpenSslError("cannot read a PEM private key from " + keyPath);
    }
    if (X509_check_private_key(cert.get(), key.get()) != 1) {
        throwOpenSslError("the key in " + keyPath + " does not belong to the certificate in " + certPath);
    }
    return {std::move(key), std::move(cert)};
}

} // namespace rtcgate::dtls
