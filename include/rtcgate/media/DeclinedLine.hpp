// An m= line that no SDP of the call has accepted yet (port 0, or media rtcgate does not relay): what
// each party's SDP said of it, for query, and nothing else: it has no sockets, streams or transcoder.
// Never changed once made, so that the equal declined lines of a call share one: an SDP of a thousand
// declined lines costs a pointer for each, not a MediaLine (issue 13). The line becomes a MediaLine
// when an SDP gives it a port.
#pragma once

#include "rtcgate/sdp/SessionDescription.hpp"

#include <array>
#include <cstddef>
#include <string>

namespace rtcgate::media {

struct DeclinedLine {
    struct Side {
        std::string type;     // audio, video, ...
        std::string protocol; // as the party's SDP says
        bool described = false;

        bool operator==(const Side&) const = default;
    };

    // The party on `owner` described the line as `line`; the other side takes its media type and
    // protocol until its own party describes it (as MediaLine::describe).
    void describe(std::size_t owner, const sdp::MediaDescription& line) {
        sides[owner] = {.type = line.media, .protocol = line.protocol, .described = true};
        Side& theirs = sides[1 - owner];
        if (theirs.type.empty()) {
            theirs.type = line.media;
            theirs.protocol = line.protocol;
        }
    }

    bool operator==(const DeclinedLine&) const = default;

    std::array<Side, 2> sides;
};

} // namespace rtcgate::media
