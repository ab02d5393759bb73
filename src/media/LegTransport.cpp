#include "rtcgate/media/LegTransport.hpp"

#include "rtcgate/dtls/Certificate.hpp"
#include "rtcgate/dtls/DtlsContext.hpp"
#include "rtcgate/dtls/DtlsRecord.hpp"
#include "rtcgate/dtls/SrtpKeyMaterial.hpp"
#include "rtcgate/ice/Candidate.hpp"
#include "rtcgate/ice/IceCredentials.hpp"
#include "rtcgate/ice/StunDemux.hpp"
#include "rtcgate/media/Stream.hpp"
#include "rtcgate/media/TransportRequest.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace rtcgate::media {

namespace {

// SDES suites in the order rtcgate offers them after an SDES offerer's own: rtpengine's order, strongest first (F8 and
// NULL, which it offers last, left out: libsrtp2 has no F8, and NULL does not encrypt).
constexpr std::array kSdesOfferOrder{
    srtp::SrtpProfile::AeadAes256Gcm,       srtp::SrtpProfile::AeadAes128Gcm,
    srtp::SrtpProfile::AesCm256HmacSha1_80, srtp::SrtpProfile::AesCm256HmacSha1_32,
    srtp::SrtpProfile::AesCm192HmacSha1_80, srtp::SrtpProfile::AesCm192HmacSha1_32,
    srtp::SrtpProfile::AesCm128HmacSha1_80, srtp::SrtpProfile::AesCm128HmacSha1_32,
};

bool sameIceCredentials(const sdp::MediaTransport& a, const sdp::MediaTransport& b) {
    return a.iceUfrag == b.iceUfrag && a.icePwd == b.icePwd;
}

} // namespace

std::string_view toString(IceState state) {
    switch (state) {
    case IceState::Off:
        return "off";
    case IceState::Waiting:
        return "waiting";
    case IceState::Connected:
        return "connected";
    case IceState::Failed:
        return "failed";
    }
    return "?";
}

LegTransport::LegTransport(MediaContext& context, LogContext log) : context_(context), log_(std::move(log)) {}

LegTransport::~LegTransport() = default;

// --- offer/answer ---

void LegTransport::receiveOffer(const sdp::MediaTransport& remote) {
    bool hadIce = remote_.iceUfrag.has_value();
    if (responder_ && hadIce && remote.iceUfrag && !sameIceCredentials(remote, remote_)) {
        // RFC 8445 section 9: new credentials in an offer restart ICE; the
        // answer carries new ones of ours too. Media keeps its path meanwhile.
        responder_->restart(ice::IceCredentials::generate());
        iceFailed_ = false;
    }
    remote_ = remote;
}

void LegTransport::sendAnswer(const TransportPlan& plan, Clock::time_point now) {
    plan_ = plan;
    rtcpMux_ = plan.rtcpMux;
    if (plan.ice) {
        ensureIce();
        applyRemoteIce(remote_);
    } else {
        responder_.reset();
        iceDestination_.reset();
    }
    if (plan.dtls && plan.dtlsRole) {
        ensureDtls(*plan.dtlsRole, now);
        applyRemoteFingerprint(remote_, now);
    } else {
        dtls_.reset();
    }
    if (plan.sdes) {
        answerSdes();
    } else {
        forgetSdes();
    }
    if (!plan.secure()) {
        srtp_.reset();
        keying_ = Keying::None;
    }
}

void LegTransport::sendOffer(const TransportPlan& plan, Clock::time_point now) {
    plan_ = plan;
    rtcpMux_ = plan.rtcpMux;
    if (plan.ice) {
        ensureIce();
    } else {
        responder_.reset();
        iceDestination_.reset();
    }
    if (!plan.dtls) {
        dtls_.reset();
    } else if (plan.dtlsRole) {
        ensureDtls(*plan.dtlsRole, now);
    }
    // With actpass the role waits for the answer, or for a ClientHello that beats it (onDtls).
    if (plan.sdes) {
        offerSdes();
    } else {
        forgetSdes(); // a line that was SDES-SRTP and is no more: no a=crypto of before goes out
    }
    if (!plan.secure()) {
        srtp_.reset();
        keying_ = Keying::None;
    }
}

void LegTransport::receiveAnswer(const sdp::MediaTransport& remote, Clock::time_point now) {
    remote_ = remote;
    if (plan_.opportunistic && remote.crypto.empty() && !remote.fingerprint) {
        plan_.sdes = plan_.dtls = false; // RFC 8643: the answerer took plain RTP
        forgetSdes();
        dtls_.reset();
        srtp_.reset();
        keying_ = Keying::None;
    }
    rtcpMux_ = plan_.rtcpMux && remote.rtcpMux;
    if (responder_) {
        if (remote.iceUfrag && remote.icePwd) {
            applyRemoteIce(remote);
        } else {
            responder_.reset(); // the answerer does no ICE
            iceDestination_.reset();
        }
    }
    if (plan_.dtls && !remote.fingerprint) {
        dtls_.reset(); // the answerer takes no DTLS (an RTP/SAVP answer may take the offer's SDES instead)
    } else if (plan_.dtls) {
        dtls::DtlsRole role = dtls::DtlsRole::Server;
        if (plan_.dtlsRole) {
            role = *plan_.dtlsRole;
        } else if (remote.setup && dtls::parseSetupAttribute(*remote.setup) == dtls::SetupAttribute::Passive) {
            role = dtls::DtlsRole::Client; // RFC 8842 section 5.3: the answerer chose passive
        }
        ensureDtls(role, now);
        applyRemoteFingerprint(remote, now);
    }
    if (plan_.sdes) {
        matchSdesAnswer(remote);
    }
}

std::optional<srtp::SrtpProfile> LegTransport::sdesSuite() const {
    return srtp_ && keying_ == Keying::Sdes ? std::optional(srtp_->profile()) : std::nullopt;
}

std::optional<dtls::DtlsRole> LegTransport::dtlsRole() const {
    return dtls_ ? std::optional(dtls_->role()) : std::nullopt;
}

void LegTransport::ensureIce() {
    if (!responder_) {
        responder_ = std::make_unique<ice::IceLiteResponder>(ice::IceCredentials::generate());
        iceFailed_ = false;
    }
}

void LegTransport::applyRemoteIce(const sdp::MediaTransport& remote) {
    if (responder_ && remote.iceUfrag && remote.icePwd) {
        responder_->setRemoteCredentials(*remote.iceUfrag, *remote.icePwd);
    }
}

void LegTransport::ensureDtls(dtls::DtlsRole role, Clock::time_point now) {
    if (context_.dtls == nullptr || (dtls_ && dtls_->role() == role)) {
        return;
    }
    dtls_ = std::make_unique<dtls::DtlsEndpoint>(*context_.dtls, role);
    dtlsFingerprint_.reset();
    lastDtlsSource_.reset();
    srtp_.reset();
    keying_ = Keying::Dtls;
    dtls_->start(now);
    afterDtls();
}

void LegTransport::applyRemoteFingerprint(const sdp::MediaTransport& remote, Clock::time_point now) {
    if (!dtls_ || !remote.fingerprint) {
        return;
    }
    auto fingerprint = dtls::Fingerprint::parse(*remote.fingerprint);
    if (!fingerprint) {
        ++counters_.dtlsFailures; // no usable fingerprint: the handshake can never be verified, no media
        return;
    }
    if (dtlsFingerprint_ == fingerprint) {
        return;
    }
    if (dtlsFingerprint_) {
        // A new certificate is a new DTLS association (RFC 8842 section 5.5).
        dtls::DtlsRole role = dtls_->role();
        dtls_.reset();
        ensureDtls(role, now);
    }
    dtlsFingerprint_ = fingerprint;
    dtls_->setRemoteFingerprint(*fingerprint, now);
    afterDtls();
}

void LegTransport::forgetSdes() {
    localCrypto_.clear();
    sdesKeys_.reset();
}

void LegTransport::offerSdes() {
    // A re-offer to a party keyed by SDES leads with the a=crypto in use, its tag and key unchanged, so that the
    // answer keeps the SRTP session; the other suites follow on new tags (rtpengine's order).
    std::vector<srtp::CryptoAttribute> offered;
    if (auto inUse = sdesCryptoInUse(); inUse && plan_.sdesSuites.allows(inUse->suite)) {
        offered.push_back(*inUse);
    } else if (!localCrypto_.empty() && std::all_of(localCrypto_.begin(), localCrypto_.end(),
                                                    [&](const auto& c) { return plan_.sdesSuites.allows(c.suite); })) {
        return; // a repeated offer repeats the keys it offered (RFC 4568 section 7.1.4)
    }
    std::uint32_t tag = offered.empty() ? 1 : offered.front().tag + 1;
    auto add = [&](srtp::SrtpProfile profile) {
        if (plan_.sdesSuites.allows(profile) &&
            std::none_of(offered.begin(), offered.end(), [&](const auto& c) { return c.suite == profile; })) {
            offered.push_back(srtp::CryptoAttribute::generate(tag++, profile));
        }
    };
    std::for_each(plan_.sdesOfferedFirst.begin(), plan_.sdesOfferedFirst.end(), add);
    std::for_each(kSdesOfferOrder.begin(), kSdesOfferOrder.end(), add);
    localCrypto_ = std::move(offered);
}

std::optional<srtp::CryptoAttribute> LegTransport::sdesCryptoInUse() const {
    if (keying_ != Keying::Sdes || !srtp_ || !sdesKeys_) {
        return std::nullopt;
    }
    auto inUse = std::find_if(localCrypto_.begin(), localCrypto_.end(), [&](const auto& c) {
        return c.suite == srtp_->profile() && c.keys[0].masterKey == sdesKeys_->local;
    });
    return inUse == localCrypto_.end() ? std::nullopt : std::optional(*inUse);
}

void LegTransport::answerSdes() {
    // RFC 4568 section 7.1.1: the answerer picks a suite it supports, the first one unless the other leg's is there.
    std::optional<srtp::CryptoAttribute> chosen;
    for (const auto& value : remote_.crypto) {
        auto offered = srtp::CryptoAttribute::parse(value);
        if (!offered || !plan_.sdesSuites.allows(offered->suite)) {
            continue;
        }
        if (offered->suite == plan_.sdesPreferred) {
            chosen = std::move(offered);
            break;
        }
        if (!chosen) {
            chosen = std::move(offered);
        }
    }
    if (!chosen) {
        return;
    }
    const bool sameChoice =
        localCrypto_.size() == 1 && localCrypto_[0].tag == chosen->tag && localCrypto_[0].suite == chosen->suite;
    if (!sameChoice) {
        localCrypto_ = {srtp::CryptoAttribute::generate(chosen->tag, chosen->suite)};
    }
    keySdes(chosen->suite, localCrypto_[0].keys[0].masterKey, chosen->keys[0].masterKey);
}

void LegTransport::matchSdesAnswer(const sdp::MediaTransport& remote) {
    for (const auto& value : remote.crypto) {
        auto answered = srtp::CryptoAttribute::parse(value);
        if (!answered) {
            continue;
        }
        auto ours = std::find_if(localCrypto_.begin(), localCrypto_.end(),
                                 [&](const auto& c) { return c.tag == answered->tag && c.suite == answered->suite; });
        if (ours != localCrypto_.end()) {
            keySdes(answered->suite, ours->keys[0].masterKey, answered->keys[0].masterKey);
            return;
        }
    }
}

void LegTransport::keySdes(srtp::SrtpProfile profile, const srtp::SrtpMasterKey& local,
                           const srtp::SrtpMasterKey& remote) {
    if (srtp_ && keying_ == Keying::Sdes && srtp_->profile() == profile && sdesKeys_ && sdesKeys_->local == local &&
        sdesKeys_->remote == remote) {
        return; // unchanged keys keep the session, and with it the replay window
    }
    srtp_.emplace(profile, local, remote);
    sdesKeys_ = srtp::SrtpKeyPair{local, remote};
    keying_ = Keying::Sdes;
}

sdp::MediaTransport LegTransport::describe(std::uint16_t port) const {
    sdp::MediaTransport ours;
    ours.protocol = plan_.protocol;
    if (responder_) {
        ours.iceUfrag = responder_->localCredentials().ufrag;
        ours.icePwd = responder_->localCredentials().pwd;
        ours.iceLite = true;
        if (auto address = net::makeEndpoint(context_.advertisedAddress, port)) {
            ours.candidates.push_back(ice::Candidate::host("1", *address).sdpValue());
        }
    }
    if (plan_.dtls && context_.dtls != nullptr) {
        ours.fingerprint = context_.dtls->certificate().fingerprint().toSdp();
        ours.setup = std::string(dtls::toString(plan_.setup));
    }
    for (const auto& crypto : localCrypto_) {
        ours.crypto.push_back(crypto.toString());
    }
    ours.rtcpMux = rtcpMux_;
    return ours;
}

// --- hot path ---

bool LegTransport::onControlPacket(Stream& from, std::span<const std::uint8_t> packet, const sockaddr* source,
                                   socklen_t sourceLength, Clock::time_point now) {
    if (context_.ownSockets.contains(net::endpointFrom(source, sourceLength))) {
        return false; // a response or handshake toward rtcgated's own port would loop
    }
    if (ice::isStun(packet)) {
        return onStun(from, packet, source, sourceLength, now);
    }
    if (dtls::isDtls(packet)) {
        const net::Endpoint sender = net::endpointFrom(source, sourceLength);
        if (!isPeer(from, sender)) {
            ++counters_.dtlsRefused; // never reaches OpenSSL: a stranger cannot end or take over the handshake
            return false;
        }
        const bool taken = onDtls(packet, sender, now);
        flush(from);
        return taken;
    }
    return false;
}

bool LegTransport::isPeer(const Stream& from, const net::Endpoint& source) const {
    if (responder_) {
        return passedIce(source);
    }
    if (lastDtlsSource_) {
        return source == *lastDtlsSource_ || source == from.latched();
    }
    return true; // without ICE the first source to speak DTLS is taken for the party's, as symmetric RTP latches
}

bool LegTransport::passedIce(const net::Endpoint& source) const {
    return source == iceDestination_ || (responder_ && responder_->hasChecked(source));
}

bool LegTransport::acceptsMediaFrom(const net::Endpoint& source) {
    if (passedIce(source)) {
        return true;
    }
    ++counters_.foreignMedia;
    return false;
}

bool LegTransport::onStun(Stream& from, std::span<const std::uint8_t> packet, const sockaddr* source,
                          socklen_t sourceLength, Clock::time_point now) {
    if (!responder_) {
        return false;
    }
    auto result = responder_->handle(packet, source, sourceLength, now, stunResponse_);
    if (result.responseSize > 0) {
        from.sendControl({stunResponse_.data(), result.responseSize}, net::endpointFrom(source, sourceLength));
    }
    using Outcome = ice::IceLiteResponder::Outcome;
    if (result.outcome == Outcome::Answered) {
        if (result.nominated && !iceFailed_ && iceDestination_ != responder_->selectedAddress()) {
            iceDestination_ = responder_->selectedAddress();
            spdlog::debug("{}: ICE path to {} nominated", log_, net::toString(*iceDestination_));
            flush(from); // a ClientHello of ours may be waiting for the path
        }
        return true;
    }
    if (result.outcome == Outcome::NotARequest) {
        return true;
    }
    ++counters_.stunRejected;
    return false;
}

bool LegTransport::onDtls(std::span<const std::uint8_t> packet, const net::Endpoint& source, Clock::time_point now) {
    if (!plan_.dtls) {
        return false;
    }
    if (!dtls_) {
        if (!dtls::isClientHello(packet)) {
            return false;
        }
        // Our actpass offer is not answered yet, but the party already acts
        // as the client (browsers send the ClientHello as soon as ICE is up):
        // be the server, and hold the hello until the answer's fingerprint.
        ensureDtls(dtls::DtlsRole::Server, now);
        if (!dtls_) {
            return false;
        }
    }
    if (!lastDtlsSource_) {
        lastDtlsSource_ = source;
    }
    dtls_->onDatagram(packet, now);
    afterDtls();
    return true;
}

void LegTransport::afterDtls() {
    if (!dtls_) {
        return;
    }
    if (dtls_->state() == dtls::DtlsState::Connected && !srtp_) {
        if (const auto& material = dtls_->keyMaterial()) {
            srtp_.emplace(material->profile, material->keys);
            spdlog::debug("{}: DTLS connected ({}), SRTP {}", log_, dtls_->cipherName(),
                          srtp::sdesSuiteName(material->profile));
        }
    } else if (dtls_->state() == dtls::DtlsState::Failed && !dtlsFailed_) {
        dtlsFailed_ = true;
        ++counters_.dtlsFailures;
        srtp_.reset();
        spdlog::warn("{}: DTLS failed: {}", log_, dtls_->failureReason());
    }
}

std::optional<net::Endpoint> LegTransport::controlDestination(const Stream& rtp) const {
    if (responder_) {
        return iceDestination_; // our ClientHello and flights go nowhere but the path the peer nominated
    }
    return rtp.destination() ? rtp.destination() : lastDtlsSource_;
}

void LegTransport::flush(Stream& rtp) {
    if (!dtls_) {
        return;
    }
    auto to = controlDestination(rtp);
    if (!to) {
        return; // stays queued in the endpoint until there is a path
    }
    while (auto datagram = dtls_->nextOutgoing()) {
        rtp.sendControl(*datagram, *to);
    }
}

srtp::SrtpStatus LegTransport::unprotect(rtp::PacketKind kind, std::span<std::uint8_t> buffer, std::size_t& length) {
    if (!srtp_) {
        ++counters_.srtpNotReady;
        return srtp::SrtpStatus::Failed;
    }
    auto status =
        kind == rtp::PacketKind::Rtcp ? srtp_->unprotectRtcp(buffer, length) : srtp_->unprotectRtp(buffer, length);
    if (status == srtp::SrtpStatus::AuthFailed) {
        ++counters_.srtpAuthFailed;
    } else if (status == srtp::SrtpStatus::ReplayFailed) {
        ++counters_.srtpReplayed;
    }
    return status;
}

srtp::SrtpStatus LegTransport::protect(rtp::PacketKind kind, std::span<std::uint8_t> buffer, std::size_t& length) {
    if (!srtp_) {
        return srtp::SrtpStatus::Failed;
    }
    return kind == rtp::PacketKind::Rtcp ? srtp_->protectRtcp(buffer, length) : srtp_->protectRtp(buffer, length);
}

void LegTransport::onTick(Clock::time_point now) {
    if (dtls_) {
        dtls_->onTick(now);
        afterDtls();
    }
    if (responder_ && !iceFailed_ && responder_->consentExpired(now)) {
        // RFC 7675 section 5.1: consent lost, stop sending to the party.
        iceFailed_ = true;
        iceDestination_.reset();
        spdlog::info("{}: ICE: no consent from {} for 30 s: sending stopped", log_,
                     responder_->selectedAddress() ? net::toString(*responder_->selectedAddress()) : "?");
    }
}

TransportSnapshot LegTransport::snapshot() const {
    TransportSnapshot s;
    s.protocol = plan_.protocol;
    s.rtcpMux = rtcpMux_;
    if (responder_) {
        s.ice = iceFailed_ ? IceState::Failed : iceDestination_ ? IceState::Connected : IceState::Waiting;
        s.iceSelected = responder_->selectedAddress();
        s.stunAnswered = responder_->counters().answered;
    }
    if (plan_.dtls) {
        s.dtlsState = dtls_ ? std::string(dtls::toString(dtls_->state())) : std::string("new");
        if (dtls_) {
            s.dtlsRole = dtls_->role() == dtls::DtlsRole::Client ? "active" : "passive";
            s.dtlsCipher = dtls_->cipherName();
            s.dtlsFailure = dtls_->failureReason();
            s.dtlsDiscarded = dtls_->malformedDatagrams() + dtls_->discardedAlerts() + dtls_->droppedHeldDatagrams();
        }
    }
    if (srtp_) {
        s.srtpProfile = std::string(srtp::sdesSuiteName(srtp_->profile()));
    }
    s.keying = keying_;
    s.counters = counters_;
    return s;
}

} // namespace rtcgate::media
