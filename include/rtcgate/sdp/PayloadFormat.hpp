// The RTP payload formats of a media description: the m= line's format list
// with its a=rtpmap, a=fmtp and a=rtcp-fb lines (RFC 8866 section 6.6, RFC 4585 section 4.2).
#pragma once

#include "rtcgate/sdp/SessionDescription.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::sdp {

struct PayloadFormat {
    std::uint8_t payloadType = 0;
    std::string encoding; // as the SDP spells it: "opus", "PCMU", "telephone-event"; empty: unknown
    std::uint32_t clockRate = 0;
    unsigned channels = 1;
    std::string fmtp;                      // the value of "a=fmtp:PT <value>", empty when none
    std::vector<std::string> rtcpFeedback; // values of "a=rtcp-fb:PT <value>"

    // Case-insensitive encoding name (RFC 4855 section 3: media subtype names are case-insensitive).
    bool is(std::string_view name) const;
    // Same name (case-insensitive), clock rate and channels.
    bool sameCodec(const PayloadFormat& other) const;
    // "opus/48000/2", "PCMU/8000": the rtpmap value, channels only when more than one.
    std::string name() const;

    bool operator==(const PayloadFormat&) const = default;
};

// The formats of the m= line in its order; a static payload type (RFC 3551 table 4 and 5: 0 PCMU, 3 GSM, 4 G723,
// 8 PCMA, 9 G722 (clock 8000 in SDP), 13 CN, 18 G729, ...) without an rtpmap takes the table's values. Formats
// that are not payload type numbers (an application m= line's) are left out.
std::vector<PayloadFormat> readPayloadFormats(const MediaDescription& media);

// Makes the m= line list exactly `formats` in that order: removes every a=rtpmap, a=fmtp and a=rtcp-fb line of a
// payload type (keeps "a=rtcp-fb:* ..."), then writes each format's rtpmap (static ones too, as rtpengine does),
// fmtp and rtcp-fb, grouped per format, where the first removed line was (else at the end of the section).
void writePayloadFormats(MediaDescription& media, const std::vector<PayloadFormat>& formats);

} // namespace rtcgate::sdp
