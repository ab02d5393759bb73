// SDPs as the stacks rtcgate meets actually send them (addresses moved to the
// documentation ranges). Written with LF line endings for readability; the wire
// form is withCrlf(...).
#pragma once

#include <string>
#include <string_view>

namespace rtcgate::sdp::corpus {

inline std::string withCrlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (char c : text) {
        if (c == '\n') {
            out += '\r';
        }
        out += c;
    }
    return out;
}

// Chrome 120 offer from a SIP-over-WebSocket client that waited for ICE
// gathering (bundlePolicy balanced, so video has its own port until answered).
inline constexpr std::string_view chromeOffer = R"sdp(v=0
o=- 7395207337617428302 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0 1
a=extmap-allow-mixed
a=msid-semantic: WMS 6739dcad-aac9-4e33-899b-bb86e918db50
m=audio 51234 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
c=IN IP4 192.0.2.10
a=rtcp:9 IN IP4 0.0.0.0
a=candidate:2999745851 1 udp 2122260223 192.0.2.10 51234 typ host generation 0 network-id 1 network-cost 10
a=candidate:1425321547 1 tcp 1518280447 192.0.2.10 9 typ host tcptype active generation 0 network-id 1 network-cost 10
a=candidate:842163049 1 udp 1686052607 198.51.100.7 51234 typ srflx raddr 192.0.2.10 rport 51234 generation 0 network-id 1 network-cost 10
a=ice-ufrag:Jpbd
a=ice-pwd:Fus4hRjMrpP46HRkXRz+RPdL
a=ice-options:trickle
a=fingerprint:sha-256 14:EB:8A:BA:6B:46:65:8F:5D:A8:5D:8B:93:9B:59:5A:E6:46:71:DE:9A:49:97:50:93:B7:07:2A:F7:CC:2A:BD
a=setup:actpass
a=mid:0
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=sendrecv
a=msid:6739dcad-aac9-4e33-899b-bb86e918db50 839ec28d-b18a-4bad-9c3d-efee1b722f96
a=rtcp-mux
a=rtpmap:111 opus/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:63 red/48000/2
a=fmtp:63 111/111
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:13 CN/8000
a=rtpmap:110 telephone-event/48000
a=rtpmap:126 telephone-event/8000
a=ssrc:3735928559 cname:kT3yWd0hGwq1Fz9b
a=ssrc:3735928559 msid:6739dcad-aac9-4e33-899b-bb86e918db50 839ec28d-b18a-4bad-9c3d-efee1b722f96
m=video 51236 UDP/TLS/RTP/SAVPF 96 97 102 103
c=IN IP4 192.0.2.10
a=rtcp:9 IN IP4 0.0.0.0
a=candidate:2999745851 1 udp 2122260223 192.0.2.10 51236 typ host generation 0 network-id 1 network-cost 10
a=candidate:1425321547 1 tcp 1518280447 192.0.2.10 9 typ host tcptype active generation 0 network-id 1 network-cost 10
a=candidate:842163049 1 udp 1686052607 198.51.100.7 51236 typ srflx raddr 192.0.2.10 rport 51236 generation 0 network-id 1 network-cost 10
a=ice-ufrag:Jpbd
a=ice-pwd:Fus4hRjMrpP46HRkXRz+RPdL
a=ice-options:trickle
a=fingerprint:sha-256 14:EB:8A:BA:6B:46:65:8F:5D:A8:5D:8B:93:9B:59:5A:E6:46:71:DE:9A:49:97:50:93:B7:07:2A:F7:CC:2A:BD
a=setup:actpass
a=mid:1
a=extmap:14 urn:ietf:params:rtp-hdrext:toffset
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:13 urn:3gpp:video-orientation
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=sendrecv
a=msid:6739dcad-aac9-4e33-899b-bb86e918db50 25822390-641f-4441-870c-2cd8a693565a
a=rtcp-mux
a=rtcp-rsize
a=rtpmap:96 VP8/90000
a=rtcp-fb:96 goog-remb
a=rtcp-fb:96 transport-cc
a=rtcp-fb:96 ccm fir
a=rtcp-fb:96 nack
a=rtcp-fb:96 nack pli
a=rtpmap:97 rtx/90000
a=fmtp:97 apt=96
a=rtpmap:102 H264/90000
a=rtcp-fb:102 goog-remb
a=rtcp-fb:102 transport-cc
a=rtcp-fb:102 ccm fir
a=rtcp-fb:102 nack
a=rtcp-fb:102 nack pli
a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42001f
a=rtpmap:103 rtx/90000
a=fmtp:103 apt=102
a=ssrc-group:FID 2181233459 1204339562
a=ssrc:2181233459 cname:kT3yWd0hGwq1Fz9b
a=ssrc:2181233459 msid:6739dcad-aac9-4e33-899b-bb86e918db50 25822390-641f-4441-870c-2cd8a693565a
a=ssrc:1204339562 cname:kT3yWd0hGwq1Fz9b
a=ssrc:1204339562 msid:6739dcad-aac9-4e33-899b-bb86e918db50 25822390-641f-4441-870c-2cd8a693565a
)sdp";

// Firefox 115 ESR offer after gathering: session-level fingerprint and
// direction, RTCP candidates and a=rtcp next to a=rtcp-mux, attributes sorted.
inline constexpr std::string_view firefoxOffer = R"sdp(v=0
o=mozilla...THIS_IS_SDPARTA-115.3.1 5183262599439489016 0 IN IP4 0.0.0.0
s=-
t=0 0
a=sendrecv
a=fingerprint:sha-256 53:5A:C4:75:6A:56:07:F9:CA:70:A9:68:21:C1:FE:C7:06:62:5D:30:FD:8F:6D:96:40:C3:6F:1F:6C:78:04:57
a=group:BUNDLE 0
a=ice-options:trickle
a=msid-semantic:WMS *
m=audio 54925 UDP/TLS/RTP/SAVPF 109 9 0 8 101
c=IN IP4 192.0.2.21
a=candidate:0 1 UDP 2122252543 192.0.2.21 54925 typ host
a=candidate:1 1 TCP 2105524479 192.0.2.21 9 typ host tcptype active
a=candidate:0 2 UDP 2122252542 192.0.2.21 56890 typ host
a=candidate:1 2 TCP 2105524478 192.0.2.21 9 typ host tcptype active
a=sendrecv
a=end-of-candidates
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level
a=extmap:3 urn:ietf:params:rtp-hdrext:sdes:mid
a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
a=fmtp:101 0-15
a=ice-pwd:a6ce1ab1e0f0b5ddc4f4fbf8ba9a1a2b
a=ice-ufrag:3e2a4b1c
a=mid:0
a=msid:{f4e482cf-b443-4a29-9dc0-dc5a5998c405} {7fc2bbae-9c09-4aca-a6e1-33d394be74d6}
a=rtcp:56890 IN IP4 192.0.2.21
a=rtcp-mux
a=rtpmap:109 opus/48000/2
a=rtpmap:9 G722/8000/1
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000/1
a=setup:actpass
a=ssrc:2655508255 cname:{0b3bd8f2-5c1e-4d5e-9a66-2b0f1f6f0d2a}
)sdp";

// Safari 17 offer: libwebrtc, mDNS host candidate, the srflx candidate as default.
inline constexpr std::string_view safariOffer = R"sdp(v=0
o=- 1845306211716373546 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0
a=extmap-allow-mixed
a=msid-semantic: WMS F4E482CF-B443-4A29-9DC0-DC5A5998C405
m=audio 61772 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
c=IN IP4 198.51.100.30
a=rtcp:9 IN IP4 0.0.0.0
a=candidate:1302934621 1 udp 2113937151 0b7c5e1d-6a93-4a51-b1c4-4f3e9e8f7a12.local 61771 typ host generation 0 network-cost 999
a=candidate:842163049 1 udp 1677729535 198.51.100.30 61772 typ srflx raddr 0.0.0.0 rport 0 generation 0 network-cost 999
a=ice-ufrag:vK8m
a=ice-pwd:4Qh3xR2mD9yL6sT1pW8nB5cZ
a=ice-options:trickle
a=fingerprint:sha-256 AA:E0:DA:D7:CA:E0:46:83:83:67:7F:83:EB:B4:BC:BE:A4:8F:49:1D:04:42:34:DE:8B:C4:F4:18:3A:8C:DA:10
a=setup:actpass
a=mid:0
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid
a=sendrecv
a=msid:F4E482CF-B443-4A29-9DC0-DC5A5998C405 7FC2BBAE-9C09-4ACA-A6E1-33D394BE74D6
a=rtcp-mux
a=rtpmap:111 opus/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:63 red/48000/2
a=fmtp:63 111/111
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:13 CN/8000
a=rtpmap:110 telephone-event/48000
a=rtpmap:126 telephone-event/8000
a=ssrc:1450385311 cname:Zs4qJ2m7Kb0pWx1e
a=ssrc:1450385311 msid:F4E482CF-B443-4A29-9DC0-DC5A5998C405 7FC2BBAE-9C09-4ACA-A6E1-33D394BE74D6
)sdp";

// Asterisk 20 (chan_pjsip) offer to a trunk.
inline constexpr std::string_view asteriskOffer = R"sdp(v=0
o=- 1693412345 1693412347 IN IP4 203.0.113.5
s=Asterisk
c=IN IP4 203.0.113.5
t=0 0
m=audio 17072 RTP/AVP 0 8 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=maxptime:150
a=sendrecv
)sdp";

// FreeSWITCH 1.10 offer: RTCP announced in the RFC 3605 long form.
inline constexpr std::string_view freeswitchOffer = R"sdp(v=0
o=FreeSWITCH 1693400000 1693400001 IN IP4 198.51.100.20
s=FreeSWITCH
c=IN IP4 198.51.100.20
t=0 0
m=audio 24512 RTP/AVP 0 8 101 13
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=rtpmap:13 CN/8000
a=ptime:20
a=sendrecv
a=rtcp:24513 IN IP4 198.51.100.20
)sdp";

// A SIP carrier's (Sonus/Ribbon SBC) minimal answer: session-level c=, no a=rtcp.
inline constexpr std::string_view carrierAnswer = R"sdp(v=0
o=Sonus_UAC 27215 6719 IN IP4 192.0.2.50
s=SIP Media Capabilities
c=IN IP4 192.0.2.51
t=0 0
m=audio 31000 RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=sendrecv
a=maxptime:20
)sdp";

// RFC 8866 section 5 example: two audio lines on the session c=, a video
// line with its own IPv6 c=.
inline constexpr std::string_view twoAudioLines = R"sdp(v=0
o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1
s=Call to John Smith
i=SDP Offer #1
u=http://www.jdoe.example.com/home.html
e=Jane Doe <jane@jdoe.example.com>
p=+1 617 555-6011
c=IN IP4 198.51.100.1
t=0 0
m=audio 49170 RTP/AVP 0
m=audio 49180 RTP/AVP 0
m=video 51372 RTP/AVP 99
c=IN IP6 2001:db8::2
a=rtpmap:99 h263-1998/90000
)sdp";

// RFC 3605 section 2.1: RTCP on another address and a non-adjacent port.
inline constexpr std::string_view rtcpLongForm = R"sdp(v=0
o=- 2890844526 2890842807 IN IP4 192.0.2.40
s=-
c=IN IP4 192.0.2.40
t=0 0
m=audio 49170 RTP/AVP 0 101
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=rtcp:53020 IN IP4 192.0.2.41
a=sendrecv
)sdp";

// An rtpengine-relayed offer: RTCP in the short form a=rtcp:PORT.
inline constexpr std::string_view rtcpShortForm = R"sdp(v=0
o=- 3912345678 3912345679 IN IP4 10.0.0.5
s=-
c=IN IP4 192.0.2.80
t=0 0
m=audio 30000 RTP/AVP 0 8 101
a=maxptime:150
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=sendrecv
a=rtcp:30001
a=ptime:20
)sdp";

// Linphone 5 offer over RTP/AVP with rtcp-mux, session-level unknown attributes.
inline constexpr std::string_view rtcpMuxOffer = R"sdp(v=0
o=alice 2185 1792 IN IP4 192.0.2.90
s=Talk
c=IN IP4 192.0.2.90
t=0 0
a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL voip-metrics
a=record:off
m=audio 7078 RTP/AVP 96 97 98 0 8 18 101 99 100
a=rtpmap:96 opus/48000/2
a=fmtp:96 useinbandfec=1
a=rtpmap:97 speex/16000
a=fmtp:97 vbr=on
a=rtpmap:98 speex/8000
a=fmtp:98 vbr=on
a=fmtp:18 annexb=yes
a=rtpmap:101 telephone-event/48000
a=rtpmap:99 telephone-event/16000
a=rtpmap:100 telephone-event/8000
a=rtcp:7079
a=rtcp-mux
a=rtcp-fb:* trr-int 1000
a=rtcp-fb:* ccm tmmbr
)sdp";

// Asterisk over IPv6 to an IPv6 trunk.
inline constexpr std::string_view ipv6Offer = R"sdp(v=0
o=- 1693412400 1693412400 IN IP6 2001:db8:100::5
s=Asterisk
c=IN IP6 2001:db8:100::5
t=0 0
m=audio 12000 RTP/AVP 9 0 8 101
a=rtpmap:9 G722/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=maxptime:150
a=sendrecv
)sdp";

// An old-style (RFC 2543) hold re-INVITE: c= 0.0.0.0 and sendonly.
inline constexpr std::string_view oldStyleHold = R"sdp(v=0
o=- 1693412345 1693412348 IN IP4 203.0.113.5
s=Asterisk
c=IN IP4 0.0.0.0
t=0 0
m=audio 17072 RTP/AVP 0 8 101
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=maxptime:150
a=sendonly
)sdp";

// Every line type of RFC 8866: i=, u=, e=, b=, r=, z=, k= at both levels,
// a multicast c= and a session-level direction.
inline constexpr std::string_view everyLineType = R"sdp(v=0
o=mhandley 2890844526 2890842807 IN IP4 192.0.2.4
s=SDP Seminar
i=A Seminar on the session description protocol
u=http://www.example.com/seminars/sdp.pdf
e=j.doe@example.com (Jane Doe)
c=IN IP4 233.252.0.12/127
b=AS:256
t=2873397496 2873404696
r=604800 3600 0 90000
z=2882844526 -1h 2898848070 0
k=clear:secret
a=recvonly
m=audio 49170 RTP/AVP 0
i=Audio stream
b=AS:64
k=prompt
m=video 51372 RTP/AVP 99
a=rtpmap:99 h263-1998/90000
)sdp";

// Chrome 120 answer to an ICE-lite gateway's offer, after gathering: media-level
// ICE credentials and fingerprint, setup:active, BUNDLE of the one line.
inline constexpr std::string_view chromeAnswer = R"sdp(v=0
o=- 2304340526933393716 2 IN IP4 127.0.0.1
s=-
t=0 0
a=group:BUNDLE 0
a=extmap-allow-mixed
a=msid-semantic: WMS 65e9cb07-48e5-4cf1-905a-27a9f01ddadc
m=audio 53110 UDP/TLS/RTP/SAVPF 111 126
c=IN IP4 192.0.2.12
a=rtcp:9 IN IP4 0.0.0.0
a=candidate:3416549390 1 udp 2122260223 192.0.2.12 53110 typ host generation 0 network-id 1 network-cost 10
a=candidate:2251838102 1 udp 1686052607 198.51.100.12 53110 typ srflx raddr 192.0.2.12 rport 53110 generation 0 network-id 1 network-cost 10
a=ice-ufrag:x9Ko
a=ice-pwd:LJ4hUb5rfsF2bOPZ1Sa7nWqT
a=ice-options:trickle
a=fingerprint:sha-256 9A:15:43:37:2B:AC:89:50:F2:9C:54:1B:65:1B:02:02:B8:5A:08:8E:A3:F7:56:63:6A:89:F1:B9:BB:66:53:ED
a=setup:active
a=mid:0
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=sendrecv
a=msid:65e9cb07-48e5-4cf1-905a-27a9f01ddadc 1a333289-d772-41a9-9eaa-d5d617ccc859
a=rtcp-mux
a=rtpmap:111 opus/48000/2
a=fmtp:111 minptime=10;useinbandfec=1
a=rtpmap:126 telephone-event/8000
a=ssrc:896581291 cname:ZwO1+wprLlg7ueZH
)sdp";

// Firefox 115 ESR answer: session-level fingerprint, media-level ICE
// credentials and setup:active, attributes sorted.
inline constexpr std::string_view firefoxAnswer = R"sdp(v=0
o=mozilla...THIS_IS_SDPARTA-115.3.1 8537780327953959671 0 IN IP4 0.0.0.0
s=-
t=0 0
a=sendrecv
a=fingerprint:sha-256 94:9E:2D:57:00:A1:46:76:9C:0A:D4:DA:46:79:84:89:08:84:99:E9:A0:AF:F2:31:A8:DE:A6:64:F0:AE:DB:14
a=group:BUNDLE 0
a=ice-options:trickle
a=msid-semantic:WMS *
m=audio 60012 UDP/TLS/RTP/SAVPF 109 101
c=IN IP4 192.0.2.22
a=candidate:0 1 UDP 2122252543 192.0.2.22 60012 typ host
a=sendrecv
a=end-of-candidates
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level
a=fmtp:109 maxplaybackrate=48000;stereo=1;useinbandfec=1
a=fmtp:101 0-15
a=ice-pwd:9d29b06b2a98903df0f775555b21c7ec
a=ice-ufrag:5c8e1f0a
a=mid:0
a=msid:{6255b8ae-a03a-489e-9c12-7c32b0a21bed} {6d3da04d-e4e9-4ec9-8b8b-740bb8e9e15c}
a=rtcp-mux
a=rtpmap:109 opus/48000/2
a=rtpmap:101 telephone-event/8000
a=setup:active
a=ssrc:2848119169 cname:{0b3bd8f2-5c1e-4d5e-9a66-2b0f1f6f0d2a}
)sdp";

// Firefox before its JSEP rewrite (Firefox 29, "Mozilla-SIPUA"): ICE
// credentials and fingerprint at session level, RTP/SAVPF.
inline constexpr std::string_view firefoxLegacyOffer = R"sdp(v=0
o=Mozilla-SIPUA-29.0 2468 0 IN IP4 0.0.0.0
s=SIP Call
t=0 0
a=ice-ufrag:d1b5b6a6
a=ice-pwd:a0e5f4d1c6f2b1e5a1e8b3d0c7f2e9a4
a=fingerprint:sha-256 48:C5:E0:1B:E1:41:4C:2C:DF:E0:64:ED:CB:FE:89:20:AF:C7:F2:8E:5C:9A:1F:B3:DF:47:1A:74:69:77:C0:AB
m=audio 57362 RTP/SAVPF 109 0 8 101
c=IN IP4 192.0.2.60
a=rtpmap:109 opus/48000/2
a=ptime:20
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-15
a=sendrecv
a=setup:actpass
a=candidate:0 1 UDP 2113601791 192.0.2.60 57362 typ host
a=candidate:0 2 UDP 2113601790 192.0.2.60 57363 typ host
a=rtcp-mux
)sdp";

// Asterisk 20 offer to an SRTP trunk: SDES keys (RFC 4568), no DTLS.
inline constexpr std::string_view sdesOffer = R"sdp(v=0
o=- 1693412500 1693412500 IN IP4 203.0.113.7
s=Asterisk
c=IN IP4 203.0.113.7
t=0 0
m=audio 10250 RTP/SAVP 0 8 101
a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:zOz2wPvKaddhLqiDwMuj7OP3lMthQu2BaHyQGbgZ
a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:2IaKsYGXLfi6Gxp07a4eUE8F80UUf9t0YraUPyN6
a=rtpmap:0 PCMU/8000
a=rtpmap:8 PCMA/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=ptime:20
a=maxptime:150
a=sendrecv
)sdp";

} // namespace rtcgate::sdp::corpus
