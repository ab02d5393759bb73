#include "rtcgate/sdp/MediaTransport.hpp"

#include <boost/algorithm/string/trim.hpp>

namespace rtcgate::sdp {

namespace {

std::optional<std::string> nonEmpty(std::string value) {
    boost::algorithm::trim(value);
    if (value.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::string> valueOf(const Section& section, std::string_view name) {
    auto value = section.attribute(name);
    return value ? nonEmpty(std::move(*value)) : std::nullopt;
}

// The media-level value, else the session-level one (RFC 8839 section 5.4, RFC 8122 section 5).
std::optional<std::string> valueOf(const Section& media, const Section& session, std::string_view name) {
    auto value = valueOf(media, name);
    return value ? value : valueOf(session, name);
}

std::vector<std::string> valuesOf(const Section& section, std::string_view name) {
    std::vector<std::string> values;
    for (std::string& value : section.attributes(name)) {
        if (auto trimmed = nonEmpty(std::move(value))) {
            values.push_back(std::move(*trimmed));
        }
    }
    return values;
}

} // namespace

MediaTransport readMediaTransport(const SessionDescription& sdp, std::size_t index) {
    if (index >= sdp.media.size()) {
        return {};
    }
    const MediaDescription& media = sdp.media[index];
    MediaTransport transport;
    transport.protocol = media.protocol;
    transport.iceUfrag = valueOf(media, sdp.session, "ice-ufrag");
    transport.icePwd = valueOf(media, sdp.session, "ice-pwd");
    transport.iceLite = sdp.session.hasAttribute("ice-lite") || media.hasAttribute("ice-lite");
    transport.candidates = valuesOf(media, "candidate");
    transport.fingerprint = valueOf(media, sdp.session, "fingerprint");
    transport.setup = valueOf(media, sdp.session, "setup");
    transport.crypto = valuesOf(media, "crypto");
    transport.rtcpMux = media.hasAttribute("rtcp-mux");
    transport.mid = valueOf(media, "mid");
    return transport;
}

bool isWebRtc(const MediaTransport& transport) {
    return transport.iceUfrag || transport.icePwd || transport.fingerprint;
}

} // namespace rtcgate::sdp
