#include "rtcgate/media/TransportPlan.hpp"

#include "rtcgate/srtp/CryptoAttribute.hpp"
#include "rtcgate/srtp/SrtpProfile.hpp"

#include <boost/algorithm/string/predicate.hpp>

#include <algorithm>

namespace rtcgate::media {

bool SdesRequest::allows(srtp::SrtpProfile profile) const {
    bool listed = only.empty() || std::find(only.begin(), only.end(), profile) != only.end();
    return !off && listed && std::find(excluded.begin(), excluded.end(), profile) == excluded.end();
}

bool isSecureProtocol(std::string_view protocol) {
    return boost::algorithm::icontains(protocol, "SAVP");
}

bool isDtlsProtocol(std::string_view protocol) {
    return boost::algorithm::istarts_with(protocol, "UDP/TLS/");
}

namespace {

// The suites of `offered`'s a=crypto lines that `request` allows, in its order, each once.
std::vector<srtp::SrtpProfile> usableSuites(const sdp::MediaTransport& offered, const SdesRequest& request) {
    std::vector<srtp::SrtpProfile> suites;
    for (const auto& value : offered.crypto) {
        auto crypto = srtp::CryptoAttribute::parse(value);
        if (crypto && request.allows(crypto->suite) &&
            std::find(suites.begin(), suites.end(), crypto->suite) == suites.end()) {
            suites.push_back(crypto->suite);
        }
    }
    return suites;
}

// Only the RTCP feedback profile may differ between an offer and its answer (rtpengine answers RTP/AVPF when
// asked); whether media is SRTP, and how it is keyed, is the offer's.
bool sameSecurity(std::string_view a, std::string_view b) {
    return isSecureProtocol(a) == isSecureProtocol(b) && isDtlsProtocol(a) == isDtlsProtocol(b);
}

std::optional<dtls::DtlsRole> preferredRole(DtlsRequest request) {
    switch (request) {
    case DtlsRequest::Active:
        return dtls::DtlsRole::Client;
    case DtlsRequest::Passive:
        return dtls::DtlsRole::Server;
    default:
        return std::nullopt;
    }
}

} // namespace

TransportPlan planOffer(const sdp::MediaTransport& offered, const TransportRequest& request,
                        const std::optional<sdp::MediaTransport>& recipient, bool recipientOfferedDtlsAlone) {
    TransportPlan plan;
    plan.protocol = request.protocol.value_or(recipient ? recipient->protocol : offered.protocol);
    switch (request.ice) {
    case IceRequest::Force:
        plan.ice = true;
        break;
    case IceRequest::Remove:
        plan.ice = false;
        break;
    case IceRequest::Default:
        plan.ice = (recipient ? *recipient : offered).iceUfrag.has_value();
        break;
    }
    // RTP/SAVP[F] is offered with SDES and DTLS alike, for the answerer to take either, as rtpengine offers it
    // (RFC 5764 section 8 names UDP/TLS/RTP/SAVP for DTLS-SRTP, but an RTP/SAVP answerer may have only DTLS).
    // OSRTP (RFC 8643) when asked, or passed on from an offerer that made it (rtpengine does both).
    plan.sdesOfferedFirst = usableSuites(offered, request.sdes);
    const bool offeredOsrtp = !isSecureProtocol(offered.protocol) && !plan.sdesOfferedFirst.empty();
    plan.opportunistic = !isSecureProtocol(plan.protocol) && (request.osrtp.offer || offeredOsrtp);
    const bool secure = isSecureProtocol(plan.protocol) || plan.opportunistic;
    plan.sdes = secure && !isDtlsProtocol(plan.protocol) && !request.sdes.off && !recipientOfferedDtlsAlone;
    // A party that took SDES without DTLS is not offered DTLS again (rtpengine re-offers it SDES alone).
    const bool keyedBySdes = recipient && !recipient->crypto.empty() && !recipient->fingerprint;
    plan.dtls = secure && request.dtls != DtlsRequest::Off && !(keyedBySdes && request.dtls == DtlsRequest::Default);
    // rtcgate's offers always say actpass (RFC 8842 section 5.2 makes it the
    // offerer's duty, and browser stacks refuse anything else in an offer); the
    // answer decides the role, so DTLS=active|passive only shapes answers.
    plan.setup = dtls::SetupAttribute::ActPass;
    plan.sdesSuites = request.sdes;
    plan.rtcpMux = request.rtcpMux.offer || request.rtcpMux.require ||
                   ((offered.rtcpMux || (recipient && recipient->rtcpMux)) && !request.rtcpMux.demux);
    return plan;
}

TransportPlan planAnswer(const sdp::MediaTransport& offered, const TransportRequest& request,
                         std::optional<dtls::DtlsRole> currentRole) {
    TransportPlan plan;
    plan.protocol =
        request.protocol && sameSecurity(*request.protocol, offered.protocol) ? *request.protocol : offered.protocol;
    plan.ice = offered.iceUfrag.has_value() && offered.icePwd.has_value() && request.ice != IceRequest::Remove;
    plan.sdesSuites = request.sdes;
    // An RTP/AVP offer with a=crypto is OSRTP (RFC 8643): taken up only with OSRTP=accept, as rtpengine does.
    const bool srtpOffered = isSecureProtocol(offered.protocol) || request.osrtp.accept;
    plan.sdes = srtpOffered && !isDtlsProtocol(offered.protocol) && !usableSuites(offered, request.sdes).empty();
    // DTLS on UDP/TLS/..., and on an RTP/SAVP[F] offer keyed by DTLS alone (rtpengine's with SDES off).
    if (srtpOffered && !plan.sdes && offered.fingerprint && request.dtls != DtlsRequest::Off) {
        auto offeredSetup = offered.setup ? dtls::parseSetupAttribute(*offered.setup) : std::nullopt;
        const auto preferred = preferredRole(request.dtls);
        plan.dtlsRole = dtls::setupRoleFor(offeredSetup, preferred ? preferred : currentRole);
        plan.dtls = plan.dtlsRole.has_value();
        if (plan.dtls) {
            plan.setup = dtls::answerSetupFor(*plan.dtlsRole);
        }
    }
    plan.rtcpMux = offered.rtcpMux && !request.rtcpMux.reject && !request.rtcpMux.demux;
    return plan;
}

} // namespace rtcgate::media
