#include "rtcgate/sdp/SdpRewriter.hpp"

#include <boost/algorithm/string/join.hpp>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>

namespace rtcgate::sdp {

namespace {

constexpr std::array<std::string_view, 6> kRelayableProtocols = {
    "RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF",
};

// What tells a peer how to reach and secure one media line: rtcgate's own
// transport replaces whatever the other party wrote.
constexpr std::array<std::string_view, 18> kTransportAttributes = {
    "ice-ufrag",         "ice-pwd",           "ice-options", "ice-lite", "ice-pacing", "ice-mismatch", "candidate",
    "remote-candidates", "end-of-candidates", "fingerprint", "setup",    "connection", "tls-id",       "crypto",
    "rtcp-mux",          "rtcp-mux-only",     "bundle-only", "mid",
};

// Meaningful only between WebRTC peers (RTP header extensions, MediaStream
// ids, SSRC signalling, feedback): noise or worse to a plain SIP endpoint.
constexpr std::array<std::string_view, 7> kWebRtcOnlyAttributes = {
    "extmap", "extmap-allow-mixed", "msid", "ssrc", "ssrc-group", "rtcp-fb", "rtcp-rsize",
};

constexpr std::string_view kLoopMarkerAttribute = "rtpengine";

constexpr std::array<std::string_view, 8> kSessionTransportAttributes = {
    "ice-lite", "ice-ufrag", "ice-pwd", "ice-options", "ice-pacing", "fingerprint", "setup", "tls-id",
};

constexpr std::array<std::string_view, 3> kSessionWebRtcOnlyAttributes = {"msid-semantic", "extmap-allow-mixed",
                                                                          "extmap"};

template <std::size_t N>
void removeAttributes(Section& section, const std::array<std::string_view, N>& names) {
    for (std::string_view name : names) {
        section.removeAttribute(name);
    }
}

// RFC 4585 section 4: rtcp-fb belongs to the feedback profiles (RTP/AVPF, RTP/SAVPF, UDP/TLS/RTP/SAVPF).
bool hasFeedbackProfile(std::string_view protocol) {
    return boost::algorithm::iends_with(protocol, "AVPF");
}

void appendAttribute(Section& section, std::string_view name, std::string_view value) {
    std::string text(name);
    text += ':';
    text += value;
    section.lines.push_back(Line{'a', std::move(text)});
}

// RTP profiles name payload types in the formats (RFC 8866 section 5.14); a line with others (a declined
// m=application of SCTP, say) keeps its own protocol.
bool formatsArePayloadTypes(const MediaDescription& media) {
    return std::all_of(media.formats.begin(), media.formats.end(),
                       [](const std::string& format) { return isPayloadType(format); });
}

// Takes the other party's transport off the line and sets rtcgate's protocol.
void removePeerTransport(MediaDescription& media, const MediaTransport& transport) {
    if (!transport.protocol.empty() && formatsArePayloadTypes(media)) {
        media.protocol = transport.protocol;
    }
    removeAttributes(media, kTransportAttributes);
    if (!isWebRtc(transport)) {
        removeAttributes(media, kWebRtcOnlyAttributes);
    }
    if (!hasFeedbackProfile(media.protocol)) {
        media.removeAttribute("rtcp-fb");
    }
}

void appendTransport(MediaDescription& media, const MediaTransport& transport) {
    if (transport.mid) {
        appendAttribute(media, "mid", *transport.mid);
    }
    if (transport.iceUfrag) {
        appendAttribute(media, "ice-ufrag", *transport.iceUfrag);
    }
    if (transport.icePwd) {
        appendAttribute(media, "ice-pwd", *transport.icePwd);
    }
    if (transport.fingerprint) {
        appendAttribute(media, "fingerprint", *transport.fingerprint);
    }
    if (transport.setup) {
        appendAttribute(media, "setup", *transport.setup);
    }
    for (const std::string& candidate : transport.candidates) {
        appendAttribute(media, "candidate", candidate);
    }
    if (!transport.candidates.empty()) {
        // RFC 8840: every candidate of ours is in this SDP, none will trickle.
        media.lines.push_back(Line{'a', "end-of-candidates"});
    }
    for (const std::string& crypto : transport.crypto) {
        appendAttribute(media, "crypto", crypto);
    }
    if (transport.rtcpMux) {
        media.lines.push_back(Line{'a', "rtcp-mux"});
    }
}

// The session level once every line carries rtcgate's transport.
void rewriteSessionTransport(SessionDescription& sdp, const std::vector<LocalMedia>& local) {
    bool anyWebRtc = false;
    bool iceLite = false;
    std::vector<std::string> bundle;
    for (const LocalMedia& media : local) {
        if (!media.transport) {
            continue;
        }
        const MediaTransport& transport = *media.transport;
        const bool webRtc = isWebRtc(transport);
        anyWebRtc = anyWebRtc || webRtc;
        if (media.relayed) {
            iceLite = iceLite || (transport.iceUfrag && transport.iceLite);
            if (webRtc && transport.mid) {
                bundle.push_back(*transport.mid);
            }
        }
    }

    removeAttributes(sdp.session, kSessionTransportAttributes);
    // RFC 5888: a group names the peer's mids, which rtcgate's transports replace.
    sdp.session.removeAttribute("group");
    if (!anyWebRtc) {
        removeAttributes(sdp.session, kSessionWebRtcOnlyAttributes);
    }
    // Session-level attributes come last in the session section (RFC 8866 section 5): appending keeps it valid.
    if (anyWebRtc && !bundle.empty()) {
        appendAttribute(sdp.session, "group", "BUNDLE " + boost::algorithm::join(bundle, " "));
    }
    if (iceLite) {
        sdp.session.lines.push_back(Line{'a', "ice-lite"});
    }
}

// The address of a c= line when it is a literal IP address: an FQDN or a multicast "addr/ttl" is nothing rtcgate can
// send to.
std::optional<boost::asio::ip::address> usableAddress(const Connection& connection) {
    if (connection.netType != "IN" || (connection.addrType != "IP4" && connection.addrType != "IP6")) {
        return std::nullopt;
    }
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(connection.address, ec);
    return ec ? std::nullopt : std::optional(address);
}

std::optional<std::uint16_t> parsePort(std::string_view text) {
    std::uint16_t port = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return port;
}

// RFC 3605: a=rtcp:<port> [<nettype> <addrtype> <connection-address>]
struct RtcpAttribute {
    std::uint16_t port = 0;
    std::optional<Connection> connection;
};

std::optional<RtcpAttribute> parseRtcpAttribute(std::string_view value) {
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
        value.remove_prefix(1);
    }
    const std::size_t portEnd = std::min(value.find_first_of(" \t"), value.size());
    auto port = parsePort(value.substr(0, portEnd));
    if (!port) {
        return std::nullopt;
    }
    RtcpAttribute rtcp{*port, std::nullopt};
    const std::string_view rest = value.substr(portEnd);
    if (rest.find_first_not_of(" \t") != std::string_view::npos) {
        rtcp.connection = Connection::parse(rest);
        if (!rtcp.connection) {
            return std::nullopt;
        }
    }
    return rtcp;
}

Connection localConnection(const std::string& address) {
    return Connection{"IN", address.find(':') == std::string::npos ? "IP4" : "IP6", address};
}

// RFC 8866 section 5: a media section is m=, i=*, c=*, b=*, k=?, a=*.
void insertMediaConnection(MediaDescription& media, const Connection& connection) {
    auto at = std::find_if(media.lines.begin(), media.lines.end(), [](const Line& line) { return line.type != 'i'; });
    media.lines.insert(at, Line{'c', connection.toString()});
}

void setMediaConnection(MediaDescription& media, const Connection& connection) {
    auto first =
        std::find_if(media.lines.begin(), media.lines.end(), [](const Line& line) { return line.type == 'c'; });
    first->value = connection.toString();
    // Further c= lines are layered multicast addresses (RFC 8866 section 5.7): meaningless through a relay.
    auto next = std::next(first);
    media.lines.erase(std::remove_if(next, media.lines.end(), [](const Line& line) { return line.type == 'c'; }),
                      media.lines.end());
}

// Replaces the section's direction attribute (in its place), or adds one.
void setDirection(MediaDescription& media, Direction direction) {
    const std::string name(toString(direction));
    auto first = std::find_if(media.lines.begin(), media.lines.end(), [](const Line& line) {
        return line.type == 'a' && directionFromAttribute(line.value).has_value();
    });
    if (first == media.lines.end()) {
        media.lines.push_back(Line{'a', name});
        return;
    }
    first->value = name;
    media.lines.erase(std::remove_if(std::next(first), media.lines.end(),
                                     [](const Line& line) {
                                         return line.type == 'a' && directionFromAttribute(line.value).has_value();
                                     }),
                      media.lines.end());
}

} // namespace

bool isRelayable(const MediaDescription& media) {
    if (media.port == 0 || !boost::algorithm::iequals(media.media, "audio")) {
        return false;
    }
    return std::any_of(kRelayableProtocols.begin(), kRelayableProtocols.end(), [&media](std::string_view protocol) {
        return boost::algorithm::iequals(media.protocol, protocol);
    });
}

std::optional<PeerTransport> peerTransport(const SessionDescription& sdp, std::size_t index) {
    if (index >= sdp.media.size() || !isRelayable(sdp.media[index])) {
        return std::nullopt;
    }
    const MediaDescription& media = sdp.media[index];
    auto connection = sdp.connectionFor(index);
    const auto address = connection ? usableAddress(*connection) : std::nullopt;
    if (!address) {
        return std::nullopt;
    }

    PeerTransport transport;
    transport.address = connection->address;
    transport.rtpPort = media.port;
    transport.rtcpAddress = connection->address;
    transport.zeroAddress = address->is_unspecified(); // RFC 2543 hold: 0.0.0.0 or ::
    transport.direction = transport.zeroAddress ? withoutReceiving(sdp.directionFor(index)) : sdp.directionFor(index);
    if (media.hasAttribute("rtcp-mux")) {
        // RFC 5761 section 5.1.3: with rtcp-mux, a=rtcp only names the fallback port.
        transport.rtcpMux = true;
        transport.rtcpPort = media.port;
        return transport;
    }
    auto rtcpValue = media.attribute("rtcp");
    auto rtcp = rtcpValue ? parseRtcpAttribute(*rtcpValue) : std::nullopt;
    if (rtcp) {
        transport.rtcpPort = rtcp->port;
        if (rtcp->connection && usableAddress(*rtcp->connection)) {
            transport.rtcpAddress = rtcp->connection->address;
        }
    } else if (media.port < 65535) {
        // RFC 3550 section 11: RTCP on the next higher port. (An RTP port of 65535 has none: rtcpPort stays 0.)
        transport.rtcpPort = static_cast<std::uint16_t>(media.port + 1);
    }
    return transport;
}

bool carriesLoopMarker(const SessionDescription& sdp, std::string_view instanceId) {
    const auto marks = sdp.session.attributes(kLoopMarkerAttribute);
    return std::find(marks.begin(), marks.end(), instanceId) != marks.end();
}

void rewrite(SessionDescription& sdp, const std::vector<LocalMedia>& local, const RewriteOptions& options) {
    if (local.size() != sdp.media.size()) {
        throw std::invalid_argument("sdp::rewrite: one LocalMedia per media line is required");
    }
    const Connection ours = localConnection(options.address);
    const Connection zero{"IN", ours.addrType, ours.addrType == "IP6" ? "::" : "0.0.0.0"};

    Line* sessionConnection = sdp.session.find('c');
    bool rewriteSession = sessionConnection && options.replaceSessionConnection;
    bool sessionHeld = true; // every relayed line that relies on the session c= is held with a zero address
    for (std::size_t i = 0; i < local.size() && sessionConnection; ++i) {
        if (local[i].relayed && !sdp.media[i].find('c')) {
            rewriteSession = true;
            sessionHeld = sessionHeld && local[i].zeroAddress();
        }
    }
    sessionHeld = sessionHeld && rewriteSession && !options.replaceSessionConnection;
    if (rewriteSession) {
        sessionConnection->value = (sessionHeld ? zero : ours).toString();
    }

    bool anyTransport = false;
    for (std::size_t i = 0; i < local.size(); ++i) {
        MediaDescription& media = sdp.media[i];
        const std::optional<MediaTransport>& transport = local[i].transport;
        anyTransport = anyTransport || transport;
        if (transport) {
            removePeerTransport(media, *transport);
        }
        if (!local[i].relayed) {
            media.port = 0;
            if (transport && transport->mid) {
                appendAttribute(media, "mid", *transport->mid);
            }
            continue;
        }
        media.port = local[i].rtpPort;
        const Connection& connection = local[i].zeroAddress() ? zero : ours;
        if (media.find('c')) {
            setMediaConnection(media, connection);
        } else if (!rewriteSession || local[i].zeroAddress() != sessionHeld) {
            insertMediaConnection(media, connection);
        }
        if (local[i].held) {
            setDirection(media, withoutReceiving(sdp.directionFor(i)));
        }
        // RFC 3605 on every relayed line, as rtpengine writes it: the port alone (the address is c='s). Toward a
        // WebRTC party the long form: aiortc parses no other (Chromium takes both).
        const bool toWebRtc = transport ? isWebRtc(*transport) : isWebRtc(readMediaTransport(sdp, i));
        const std::string rtcpPort = std::to_string(local[i].rtcpPort);
        media.setAttribute("rtcp", toWebRtc ? rtcpPort + ' ' + ours.toString() : rtcpPort);
        if (transport) {
            appendTransport(media, *transport);
        }
    }
    if (anyTransport) {
        rewriteSessionTransport(sdp, local);
    }
    if (!options.loopMarker.empty() && !carriesLoopMarker(sdp, options.loopMarker)) {
        appendAttribute(sdp.session, kLoopMarkerAttribute, options.loopMarker);
    }

    if (options.replaceOrigin) {
        if (auto origin = sdp.origin()) {
            origin->addrType = ours.addrType;
            origin->address = ours.address;
            sdp.setOrigin(*origin);
        }
    }
}

} // namespace rtcgate::sdp
