#include "rtcgate/dtls/Certificate.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace rtcgate::dtls {
namespace {

std::string subjectCommonName(X509* cert) {
    std::array<char, 64> cn{};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn.data(), static_cast<int>(cn.size()));
    return cn.data();
}

TEST(CertificateTest, GeneratesSelfSignedEcdsaP256) {
    const auto certificate = Certificate::generate();
    X509* cert = certificate.x509();
    EXPECT_EQ(EVP_PKEY_get_base_id(certificate.key()), EVP_PKEY_EC);
    std::array<char, 32> group{};
    std::size_t groupLength = 0;
    ASSERT_EQ(EVP_PKEY_get_group_name(certificate.key(), group.data(), group.size(), &groupLength), 1);
    EXPECT_STREQ(group.data(), "prime256v1");
    EXPECT_EQ(subjectCommonName(cert), "rtcgate");
    EXPECT_EQ(X509_check_issued(cert, cert), X509_V_OK);
    EXPECT_EQ(X509_verify(cert, certificate.key()), 1);
    EXPECT_EQ(X509_cmp_current_time(X509_get0_notBefore(cert)), -1);
    EXPECT_EQ(X509_cmp_current_time(X509_get0_notAfter(cert)), 1);
}

TEST(CertificateTest, FingerprintIsSha256OfTheCertificateInSdpForm) {
    const auto certificate = Certificate::generate();
    const auto& fingerprint = certificate.fingerprint();
    EXPECT_EQ(fingerprint.algorithm(), HashAlgorithm::Sha256);
    EXPECT_TRUE(fingerprint.matches(*certificate.x509()));
    const std::string sdp = fingerprint.toSdp();
    EXPECT_EQ(sdp.rfind("sha-256 ", 0), 0U);
    EXPECT_EQ(sdp.size(), 8 + 32 * 3 - 1);
    EXPECT_EQ(Fingerprint::parse(sdp), fingerprint);
}

TEST(CertificateTest, EachGeneratedCertificateIsDistinct) {
    const auto a = Certificate::generate();
    const auto b = Certificate::generate();
    EXPECT_NE(a.fingerprint(), b.fingerprint());
    EXPECT_FALSE(a.fingerprint().matches(*b.x509()));
    EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a.x509()), X509_get0_serialNumber(b.x509())), 0);
}

class PemFiles {
public:
    PemFiles() {
        const auto dir = std::filesystem::temp_directory_path();
        const auto tag = std::to_string(reinterpret_cast<std::uintptr_t>(this));
        certPath = (dir / ("rtcgate-dtls-cert-" + tag + ".pem")).string();
        keyPath = (dir / ("rtcgate-dtls-key-" + tag + ".pem")).string();
    }
    ~PemFiles() {
        std::filesystem::remove(certPath);
        std::filesystem::remove(keyPath);
    }
    PemFiles(const PemFiles&) = delete;
    PemFiles& operator=(const PemFiles&) = delete;

    void write(const Certificate& certificate, EVP_PKEY* key) const {
        BIO* certBio = BIO_new_file(certPath.c_str(), "w");
        ASSERT_NE(certBio, nullptr);
        EXPECT_EQ(PEM_write_bio_X509(certBio, certificate.x509()), 1);
        BIO_free(certBio);
        BIO* keyBio = BIO_new_file(keyPath.c_str(), "w");
        ASSERT_NE(keyBio, nullptr);
        EXPECT_EQ(PEM_write_bio_PrivateKey(keyBio, key, nullptr, nullptr, 0, nullptr, nullptr), 1);
        BIO_free(keyBio);
    }

    std::string certPath;
    std::string keyPath;
};

TEST(CertificateTest, LoadsPemFilesWithTheSameFingerprint) {
    const auto generated = Certificate::generate();
    const PemFiles files;
    files.write(generated, generated.key());
    const auto loaded = Certificate::loadPem(files.certPath, files.keyPath);
    EXPECT_EQ(loaded.fingerprint(), generated.fingerprint());
    EXPECT_EQ(EVP_PKEY_eq(loaded.key(), generated.key()), 1);
}

TEST(CertificateTest, RejectsAKeyThatDoesNotBelongToTheCertificate) {
    const auto generated = Certificate::generate();
    const auto other = Certificate::generate();
    const PemFiles files;
    files.write(generated, other.key());
    EXPECT_THROW(Certificate::loadPem(files.certPath, files.keyPath), std::runtime_error);
}

TEST(CertificateTest, RejectsMissingFiles) {
    EXPECT_THROW(Certificate::loadPem("/nonexistent/cert.pem", "/nonexistent/key.pem"), std::runtime_error);
}

} // namespace
} // namespace rtcgate::dtls
