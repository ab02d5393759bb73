#include "rtcgate/dtls/DtlsEndpoint.hpp"

#include "rtcgate/dtls/DtlsRecord.hpp"

#include <openssl/err.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace rtcgate::dtls {

namespace {

// RFC 6347 section 4.1: content type, version, epoch, sequence number, length.
constexpr std::size_t kRecordHeaderSize = 13;
// RFC 5764 section 4.2.
constexpr std::string_view kExporterLabel = "EXTRACTOR-dtls_srtp";

std::string lastOpenSslError(std::string_view fallback) {
    const unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) {
        return std::string(fallback);
    }
    std::array<char, 256> text{};
    ERR_error_string_n(code, text.data(), text.size());
    return text.data();
}

DtlsEndpoint* endpointOf(SSL* ssl) {
    return static_cast<DtlsEndpoint*>(SSL_get_app_data(ssl));
}

} // namespace

std::string_view toString(DtlsState state) {
    switch (state) {
    case DtlsState::New:
        return "new";
    case DtlsState::Connecting:
        return "connecting";
    case DtlsState::Connected:
        return "connected";
    case DtlsState::Failed:
        return "failed";
    case DtlsState::Closed:
        return "closed";
    }
    return "";
}

DtlsEndpoint::DtlsEndpoint(const DtlsContext& context, DtlsRole role)
    : context_(context), role_(role), ssl_(SSL_new(context.get())) {
    if (!ssl_) {
        throw std::runtime_error("SSL_new failed");
    }
    readBio_ = BIO_new(BIO_s_mem());
    writeBio_ = BIO_new(BIO_s_mem());
    if (readBio_ == nullptr || writeBio_ == nullptr) {
        BIO_free(readBio_);
        BIO_free(writeBio_);
        throw std::runtime_error("BIO_new(BIO_s_mem()) failed");
    }
    // An empty read BIO means "no datagram yet", not end of stream.
    BIO_set_mem_eof_return(readBio_, -1);
    SSL_set_bio(ssl_.get(), readBio_, writeBio_);
    SSL_set_app_data(ssl_.get(), this);
    SSL_set_verify(ssl_.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT,
                   [](int /*preverifyOk*/, X509_STORE_CTX* store) -> int {
                       auto* ssl =
                           static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
                       auto* self = endpointOf(ssl);
                       // Only the peer's own certificate is bound to the SDP (RFC 8122 section 5); the rest of a
                       // chain, if any, is not.
                       if (X509_STORE_CTX_get_error_depth(store) != 0) {
                           return 1;
                       }
                       const X509* cert = X509_STORE_CTX_get0_cert(store);
                       if (cert == nullptr || !self->remoteFingerprint_ || !self->remoteFingerprint_->matches(*cert)) {
                           self->fingerprintMismatch_ = true;
                           return 0;
                       }
                       return 1;
                   });
    SSL_set_options(ssl_.get(), SSL_OP_NO_QUERY_MTU);
    SSL_set_mtu(ssl_.get(), static_cast<long>(context.options().mtu));
    DTLS_set_timer_cb(ssl_.get(), &DtlsEndpoint::onTimerCallback);
    if (role_ == DtlsRole::Client) {
        SSL_set_connect_state(ssl_.get());
    } else {
        SSL_set_accept_state(ssl_.get());
    }
}

DtlsEndpoint::~DtlsEndpoint() = default;

unsigned int DtlsEndpoint::onTimerCallback(SSL* ssl, unsigned int previousUs) {
    auto* self = endpointOf(ssl);
    const auto& options = self->context_.options();
    const auto initial = std::chrono::duration_cast<std::chrono::microseconds>(options.initialRetransmitTimeout);
    const auto maximum = std::chrono::duration_cast<std::chrono::microseconds>(options.maxRetransmitTimeout);
    self->timerDuration_ = previousUs == 0 ? initial : std::min(std::chrono::microseconds(2LL * previousUs), maximum);
    self->timerRestarted_ = true;
    return static_cast<unsigned int>(self->timerDuration_.count());
}

void DtlsEndpoint::setRemoteFingerprint(Fingerprint fingerprint, Clock::time_point now) {
    remoteFingerprint_ = std::move(fingerprint);
    processHeld(now);
}

void DtlsEndpoint::start(Clock::time_point now) {
    if (state_ != DtlsState::New) {
        return;
    }
    started_ = true;
    state_ = DtlsState::Connecting;
    if (role_ == DtlsRole::Client) {
        advance(now);
    }
    processHeld(now);
}

void DtlsEndpoint::processHeld(Clock::time_point now) {
    if (!canProcess()) {
        return;
    }
    auto held = std::exchange(held_, {});
    for (const auto& datagram : held) {
        feed(datagram, now);
    }
}

void DtlsEndpoint::onDatagram(std::span<const std::uint8_t> datagram, Clock::time_point now) {
    if (state_ == DtlsState::Failed || state_ == DtlsState::Closed) {
        return;
    }
    if (!isDtls(datagram) || !isWellFormed(datagram)) {
        ++malformedDatagrams_; // RFC 6347 section 4.1.2.7: discarded, the association goes on
        return;
    }
    if (state_ != DtlsState::Connected && hasPlaintextAlert(datagram)) {
        // Before the keys no alert can be told from a forged one, and OpenSSL ends the handshake on a fatal one.
        // A peer that really gave up leaves the handshake to time out.
        ++discardedAlerts_;
        return;
    }
    if (!canProcess()) {
        // A browser's ClientHello often comes before the answer SDP with its fingerprint: keep it for later.
        if (held_.size() >= kMaxHeldDatagrams) {
            ++droppedHeldDatagrams_;
            return;
        }
        held_.emplace_back(datagram.begin(), datagram.end());
        return;
    }
    feed(datagram, now);
}

void DtlsEndpoint::feed(std::span<const std::uint8_t> datagram, Clock::time_point now) {
    if (state_ == DtlsState::Failed || state_ == DtlsState::Closed) {
        return;
    }
    // One datagram at a time: a memory BIO keeps no boundaries, and OpenSSL drops the rest of a datagram after
    // a bad record.
    if (BIO_write(readBio_, datagram.data(), static_cast<int>(datagram.size())) != static_cast<int>(datagram.size())) {
        ++malformedDatagrams_;
        return;
    }
    if (state_ == DtlsState::Connected) {
        readApplicationData();
        updateTimer(now, collectOutgoing());
    } else {
        advance(now);
    }
    // Whatever OpenSSL did not consume (a truncated record) must not be glued to the next datagram.
    (void)BIO_reset(readBio_);
}

void DtlsEndpoint::advance(Clock::time_point now) {
    ERR_clear_error();
    const int result = SSL_do_handshake(ssl_.get());
    const bool sent = collectOutgoing();
    if (result == 1) {
        updateTimer(now, sent);
        onHandshakeDone();
        return;
    }
    const int error = SSL_get_error(ssl_.get(), result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        ERR_clear_error();
        updateTimer(now, sent);
        return;
    }
    if (fingerprintMismatch_) {
        fail("the peer's certificate does not match its a=fingerprint");
        return;
    }
    // A datagram that is merely malformed is discarded by OpenSSL without an error; an error here means the
    // handshake itself is broken (bad alert, failed verification, no common profile).
    ++malformedDatagrams_;
    fail("DTLS handshake failed: " + lastOpenSslError("error " + std::to_string(error)));
}

void DtlsEndpoint::onHandshakeDone() {
    // RFC 5764 section 4.1.2: without a negotiated profile there is nothing to key SRTP with.
    const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl_.get());
    const auto profile = selected != nullptr ? srtp::srtpProfileFromDtlsName(selected->name) : std::nullopt;
    if (!profile) {
        fail("no SRTP protection profile was negotiated");
        return;
    }
    const X509* peer = SSL_get0_peer_certificate(ssl_.get());
    if (peer == nullptr || !remoteFingerprint_ || !remoteFingerprint_->matches(*peer)) {
        fail("the peer's certificate does not match its a=fingerprint");
        return;
    }
    std::vector<std::uint8_t> material(srtp::keyingMaterialLength(*profile));
    if (SSL_export_keying_material(ssl_.get(), material.data(), material.size(), kExporterLabel.data(),
                                   kExporterLabel.size(), nullptr, 0, 0) != 1) {
        fail("cannot export SRTP keying material: " + lastOpenSslError("SSL_export_keying_material failed"));
        return;
    }
    keyMaterial_ = SrtpKeyMaterial{*profile, splitKeyingMaterial(*profile, material, role_)};
    OPENSSL_cleanse(material.data(), material.size());
    state_ = DtlsState::Connected;
}

void DtlsEndpoint::readApplicationData() {
    // DTLS-SRTP carries no application data; reading processes alerts, close_notify and retransmitted flights.
    std::array<std::uint8_t, 2048> sink{};
    for (;;) {
        ERR_clear_error();
        const int result = SSL_read(ssl_.get(), sink.data(), static_cast<int>(sink.size()));
        if (result > 0) {
            continue;
        }
        const int error = SSL_get_error(ssl_.get(), result);
        if (error == SSL_ERROR_ZERO_RETURN) {
            state_ = DtlsState::Closed;
            failureReason_ = "closed by the peer";
        } else if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
            // The keys are established; a broken record after that does not take the leg down.
            ++malformedDatagrams_;
            ERR_clear_error();
        }
        return;
    }
}

void DtlsEndpoint::onTick(Clock::time_point now) {
    if (!retransmitAt_ || now < *retransmitAt_ || (state_ != DtlsState::Connecting && state_ != DtlsState::Connected)) {
        return;
    }
    ERR_clear_error();
    const int result = DTLSv1_handle_timeout(ssl_.get());
    if (result < 0) {
        collectOutgoing();
        fail("DTLS handshake timed out");
        return;
    }
    if (result > 0) {
        ++retransmissions_;
        collectOutgoing();
        retransmitAt_ = now + timerDuration_;
        timerRestarted_ = false;
    }
    // result == 0: OpenSSL's own clock has not reached the timeout yet; the next tick tries again.
}

void DtlsEndpoint::close() {
    if (state_ == DtlsState::Connected) {
        ERR_clear_error();
        (void)SSL_shutdown(ssl_.get());
        ERR_clear_error();
        collectOutgoing();
    }
    if (state_ != DtlsState::Failed) {
        state_ = DtlsState::Closed;
    }
    retransmitAt_.reset();
    held_.clear();
}

void DtlsEndpoint::fail(std::string reason) {
    ERR_clear_error();
    state_ = DtlsState::Failed;
    failureReason_ = std::move(reason);
    keyMaterial_.reset();
    retransmitAt_.reset();
    held_.clear();
}

bool DtlsEndpoint::collectOutgoing() {
    const std::size_t mtu = context_.options().mtu;
    char* data = nullptr;
    const long pending = BIO_get_mem_data(writeBio_, &data);
    if (pending <= 0) {
        return false;
    }
    // OpenSSL writes whole records of at most the MTU; records of one flight are packed into datagrams up to it.
    const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(data),
                                              static_cast<std::size_t>(pending));
    std::size_t offset = 0;
    std::vector<std::uint8_t>* datagram = nullptr;
    while (offset + kRecordHeaderSize <= bytes.size()) {
        const std::size_t recordLength =
            kRecordHeaderSize + ((static_cast<std::size_t>(bytes[offset + 11]) << 8) | bytes[offset + 12]);
        const std::size_t end = std::min(offset + recordLength, bytes.size());
        if (datagram == nullptr || datagram->size() + (end - offset) > mtu) {
            datagram = &outgoing_.emplace_back();
        }
        datagram->insert(datagram->end(), bytes.begin() + static_cast<std::ptrdiff_t>(offset),
                         bytes.begin() + static_cast<std::ptrdiff_t>(end));
        offset = end;
    }
    (void)BIO_reset(writeBio_);
    return true;
}

void DtlsEndpoint::updateTimer(Clock::time_point now, bool sentFlight) {
    timeval remaining{};
    if (DTLSv1_get_timeout(ssl_.get(), &remaining) == 0) {
        retransmitAt_.reset();
        timerRestarted_ = false;
        return;
    }
    if (timerDuration_.count() == 0) {
        timerDuration_ = context_.options().initialRetransmitTimeout;
    }
    // A flight just written restarts OpenSSL's timer; so does a retransmission OpenSSL made on its own.
    if (sentFlight || timerRestarted_ || !retransmitAt_) {
        retransmitAt_ = now + timerDuration_;
        timerRestarted_ = false;
    }
}

std::optional<std::span<const std::uint8_t>> DtlsEndpoint::nextOutgoing() {
    if (outgoing_.empty()) {
        return std::nullopt;
    }
    current_ = std::move(outgoing_.front());
    outgoing_.pop_front();
    return std::span<const std::uint8_t>(current_);
}

std::string DtlsEndpoint::cipherName() const {
    const char* name = SSL_get_cipher_name(ssl_.get());
    return state_ == DtlsState::Connected && name != nullptr ? name : "";
}

} // namespace rtcgate::dtls
