// One leg's DTLS-SRTP endpoint (RFC 5764, RFC 8842): a handshake over memory BIOs. The media layer hands it the
// DTLS datagrams of the leg's socket and sends what nextOutgoing() yields; the shard tick drives retransmission.
#pragma once

#include "rtcgate/dtls/DtlsContext.hpp"
#include "rtcgate/dtls/Fingerprint.hpp"
#include "rtcgate/dtls/OpenSslHandles.hpp"
#include "rtcgate/dtls/SetupRole.hpp"
#include "rtcgate/dtls/SrtpKeyMaterial.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace rtcgate::dtls {

enum class DtlsState {
    New,
    Connecting,
    Connected,
    Failed,
    Closed,
};

std::string_view toString(DtlsState state);

class DtlsEndpoint {
public:
    using Clock = std::chrono::steady_clock;

    // Datagrams that arrive before the remote fingerprint is known are held, up to this many.
    static constexpr std::size_t kMaxHeldDatagrams = 16;

    // The context must outlive the endpoint.
    DtlsEndpoint(const DtlsContext& context, DtlsRole role);
    ~DtlsEndpoint();
    DtlsEndpoint(const DtlsEndpoint&) = delete;
    DtlsEndpoint& operator=(const DtlsEndpoint&) = delete;

    // The a=fingerprint of the peer's SDP. Datagrams held until now are processed.
    void setRemoteFingerprint(Fingerprint fingerprint, Clock::time_point now);
    // Begins the handshake; a client sends its ClientHello at once. Datagrams from the peer are held until both
    // start() and setRemoteFingerprint() have been called.
    void start(Clock::time_point now);
    // A datagram from the peer that isDtls().
    void onDatagram(std::span<const std::uint8_t> datagram, Clock::time_point now);
    // Retransmits the last flight when its timeout has passed.
    void onTick(Clock::time_point now);
    // Sends close_notify if connected; the endpoint is Closed afterwards.
    void close();

    // The next datagram to send, valid until the next call on this endpoint; nullopt when there is none.
    std::optional<std::span<const std::uint8_t>> nextOutgoing();

    DtlsRole role() const { return role_; }
    DtlsState state() const { return state_; }
    const std::string& failureReason() const { return failureReason_; }
    // Set once Connected.
    const std::optional<SrtpKeyMaterial>& keyMaterial() const { return keyMaterial_; }
    // The negotiated cipher suite name once Connected, e.g. for query.
    std::string cipherName() const;
    // When onTick next has work, if a flight is awaiting its answer.
    std::optional<Clock::time_point> nextTimeout() const { return retransmitAt_; }

    // Counters for query and tests.
    std::uint64_t malformedDatagrams() const { return malformedDatagrams_; }
    std::uint64_t droppedHeldDatagrams() const { return droppedHeldDatagrams_; }
    // Plaintext alerts discarded before the handshake ended.
    std::uint64_t discardedAlerts() const { return discardedAlerts_; }
    std::uint64_t retransmissions() const { return retransmissions_; }

private:
    static unsigned int onTimerCallback(SSL* ssl, unsigned int previousUs);

    void processHeld(Clock::time_point now);
    void feed(std::span<const std::uint8_t> datagram, Clock::time_point now);
    void advance(Clock::time_point now);
    void readApplicationData();
    void onHandshakeDone();
    void fail(std::string reason);
    bool collectOutgoing();
    void updateTimer(Clock::time_point now, bool sentFlight);
    bool canProcess() const { return remoteFingerprint_.has_value() && started_; }

    const DtlsContext& context_;
    DtlsRole role_;
    SslPtr ssl_;
    BIO* readBio_ = nullptr;  // owned by ssl_
    BIO* writeBio_ = nullptr; // owned by ssl_
    DtlsState state_ = DtlsState::New;
    std::string failureReason_;
    std::optional<Fingerprint> remoteFingerprint_;
    bool started_ = false;
    bool fingerprintMismatch_ = false;
    std::deque<std::vector<std::uint8_t>> held_;
    std::deque<std::vector<std::uint8_t>> outgoing_;
    std::vector<std::uint8_t> current_;
    std::optional<SrtpKeyMaterial> keyMaterial_;

    // Retransmission follows the caller's clock: OpenSSL's timer lasts what onTimerCallback returns.
    std::chrono::microseconds timerDuration_{0};
    bool timerRestarted_ = false;
    std::optional<Clock::time_point> retransmitAt_;

    std::uint64_t malformedDatagrams_ = 0;
    std::uint64_t droppedHeldDatagrams_ = 0;
    std::uint64_t discardedAlerts_ = 0;
    std::uint64_t retransmissions_ = 0;
};

} // namespace rtcgate::dtls
