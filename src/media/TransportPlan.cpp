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

bool offersUsableCrypto(const sdp::MediaTransport& offered, const SdesRequest& request) {
    return std::any_of(offered.crypto.begin(), offered.crypto.end(), [&](const std::string& value) {
        auto crypto = srtp::CryptoAttribute::parse(value);
        return crypto && request.allows(crypto->suite);
    });
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
                        const std::optional<sdp::MediaTransport>& recipient) {
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
    // rtcgate's offers always say actpass (RFC 8842 section 5.2 makes it the
    // offerer's duty, and browser stacks refuse anything else in an offer); the
    // answer decides the role, so DTLS=active|passive only shapes answers.
    plan.dtls = isDtlsProtocol(plan.protocol) && request.dtls != DtlsRequest::Off;
    plan.setup = dtls::SetupAttribute::ActPass;
    plan.sdesSuites = request.sdes;
    plan.sdes = isSecureProtocol(plan.protocol) && !isDtlsProtocol(plan.protocol) && !request.sdes.off;
    plan.rtcpMux = request.rtcpMux.offer || request.rtcpMux.require ||
                   ((offered.rtcpMux || (recipient && recipient->rtcpMux)) && !request.rtcpMux.demux);
    return plan;
}

TransportPlan planAnswer(const sdp::MediaTransport& offered, const TransportRequest& request,
                         std::optional<dtls::DtlsRole> currentRole) {
    TransportPlan plan;
    plan.protocol = offered.protocol;
    plan.ice = offered.iceUfrag.has_value() && offered.icePwd.has_value() && request.ice != IceRequest::Remove;
    if (isDtlsProtocol(offered.protocol) && offered.fingerprint && request.dtls != DtlsRequest::Off) {
        auto offeredSetup = offered.setup ? dtls::parseSetupAttribute(*offered.setup) : std::nullopt;
        const auto preferred = preferredRole(request.dtls);
        plan.dtlsRole = dtls::setupRoleFor(offeredSetup, preferred ? preferred : currentRole);
        plan.dtls = plan.dtlsRole.has_value();
        if (plan.dtls) {
            plan.setup = dtls::answerSetupFor(*plan.dtlsRole);
        }
    }
    plan.sdesSuites = request.sdes;
    plan.sdes = isSecureProtocol(offered.protocol) && !isDtlsProtocol(offered.protocol) &&
                offersUsableCrypto(offered, request.sdes);
    plan.rtcpMux = offered.rtcpMux && !request.rtcpMux.reject && !request.rtcpMux.demux;
    return plan;
}

} // namespace rtcgate::media
