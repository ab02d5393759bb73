// An SDP as a party hands it over: parse, read every line's transport and formats as rtcgate does, rewrite it
// with rtcgate's transport as toward a browser, serialize; what rtcgate writes must parse again, with as many lines.
#include "FuzzInput.hpp"

#include "rtcgate/sdp/MediaTransport.hpp"
#include "rtcgate/sdp/PayloadFormat.hpp"
#include "rtcgate/sdp/SdpRewriter.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <cstdio>

using namespace rtcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    const std::uint8_t options = input.take();
    auto parsed = sdp::SessionDescription::parse(input.restAsText());
    if (!parsed) {
        return 0;
    }
    std::vector<sdp::LocalMedia> local;
    for (std::size_t i = 0; i < parsed->media.size(); ++i) {
        const auto peer = sdp::peerTransport(*parsed, i);
        const auto transport = sdp::readMediaTransport(*parsed, i);
        if (peer) { // rtcgated writes the formats of the lines it relays only
            sdp::writePayloadFormats(parsed->media[i], sdp::readPayloadFormats(parsed->media[i]));
        }
        sdp::LocalMedia media{.relayed = peer.has_value(), .rtpPort = 30000, .rtcpPort = 30001};
        if ((options & 1U) != 0) {
            sdp::MediaTransport ours;
            ours.protocol = "UDP/TLS/RTP/SAVPF";
            ours.iceUfrag = "ufrag";
            ours.icePwd = "passwordpasswordpassword";
            ours.iceLite = true;
            ours.candidates = {"1 1 udp 2130706431 192.0.2.1 30000 typ host"};
            ours.fingerprint = "sha-256 00:11";
            ours.setup = "actpass";
            ours.rtcpMux = transport.rtcpMux;
            media.transport = ours;
        }
        media.held = peer && peer->zeroAddress;
        local.push_back(media);
    }
    sdp::rewrite(*parsed, local,
                 {.address = (options & 2U) != 0 ? "2001:db8::1" : "192.0.2.1",
                  .replaceOrigin = (options & 4U) != 0,
                  .replaceSessionConnection = (options & 8U) != 0,
                  .loopMarker = (options & 16U) != 0 ? "rtcgate" : ""});
    const std::string written = parsed->serialize();
    std::string error;
    const auto again = sdp::SessionDescription::parse(written, &error);
    if (!again || again->media.size() != parsed->media.size()) {
        std::fprintf(stderr, "rtcgate wrote an SDP it cannot read (%s):\n%s\n", error.c_str(), written.c_str());
        __builtin_trap();
    }
    return 0;
}
