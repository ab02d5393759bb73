// SDP (RFC 8866) as an ordered list of lines per section, so that everything
// rtcgate does not act on passes through byte for byte.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::sdp {

// One "<type>=<value>" line, without the line ending.
struct Line {
    char type = 0;
    std::string value;

    bool operator==(const Line&) const = default;
};

enum class Direction {
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive
};

std::string_view toString(Direction d);
std::optional<Direction> directionFromAttribute(std::string_view name);
// What a party that holds a line with a zero c= address (RFC 2543 hold: 0.0.0.0 or ::) still does: it may send,
// and receives nothing (sendrecv -> sendonly, recvonly -> inactive).
Direction withoutReceiving(Direction d);

// c=<nettype> <addrtype> <address>
struct Connection {
    std::string netType = "IN";
    std::string addrType = "IP4";
    std::string address;

    static std::optional<Connection> parse(std::string_view value);
    std::string toString() const;
};

// o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>
struct Origin {
    std::string username;
    std::string sessionId;
    std::uint64_t sessionVersion = 0;
    std::string netType = "IN";
    std::string addrType = "IP4";
    std::string address;

    static std::optional<Origin> parse(std::string_view value);
    std::string toString() const;
};

// A section: the session part or one media description. Lines keep their
// order; helpers find and rewrite the ones rtcgate acts on.
class Section {
public:
    std::vector<Line> lines;

    // First line of `type`, or nullptr.
    const Line* find(char type) const;
    Line* find(char type);

    // Attributes: "a=name" or "a=name:value".
    bool hasAttribute(std::string_view name) const;
    // Value of the first "a=name:value" (empty string for a flag "a=name"),
    // without trailing whitespace.
    std::optional<std::string> attribute(std::string_view name) const;
    std::vector<std::string> attributes(std::string_view name) const;
    // Replaces the value of every "a=name..." by "a=name:value" (or "a=name"
    // when value is empty); appends one when none exists.
    void setAttribute(std::string_view name, std::string_view value);
    void removeAttribute(std::string_view name);

    // The c= line of this section, if any.
    std::optional<Connection> connection() const;
    // The direction attribute of this section, if any.
    std::optional<Direction> direction() const;
};

// m=<media> <port>[/<count>] <proto> <fmt> ...
struct MediaDescription : Section {
    std::string media; // audio, video, application, ...
    std::uint16_t port = 0;
    std::optional<unsigned> portCount;
    std::string protocol; // RTP/AVP, UDP/TLS/RTP/SAVPF, ...
    std::vector<std::string> formats;

    // The m= line is kept in the fields above, not in `lines`.
    std::string mLine() const;
};

// How much of an SDP parse() takes: what a party hands rtcgated costs memory and time in proportion to it. The
// defaults take every SDP; the daemon sets its own (--max-sdp-size, --max-media-lines, --max-sdp-lines).
struct ParseLimits {
    std::size_t maxBytes = std::numeric_limits<std::size_t>::max();
    std::size_t maxMedia = std::numeric_limits<std::size_t>::max();        // m= lines
    std::size_t maxSectionLines = std::numeric_limits<std::size_t>::max(); // lines of the session or of one medium
};

// Whether `format`, one of an m= line's, is an RTP payload type number, 0-127 (RFC 3550 section 5.1): what
// the formats of a line under an RTP profile are (RFC 8866 section 5.14).
bool isPayloadType(std::string_view format);

struct SessionDescription {
    Section session; // v=, o=, s=, t=, c=, a=, ... in their original order
    std::vector<MediaDescription> media;

    // Returns nullopt with `error` set when the text is not a valid SDP:
    // missing v=/o=/s=, a malformed o=, c= or m= line, a line not of the form
    // "x=...", or more than `limits` allow. Accepts CRLF and bare LF line endings.
    static std::optional<SessionDescription> parse(std::string_view text, std::string* error = nullptr,
                                                   const ParseLimits& limits = {});

    // CRLF line endings, the m= line first in each media section.
    std::string serialize() const;

    std::optional<Origin> origin() const;
    void setOrigin(const Origin& origin);

    // The connection of media `index`: its own c= line, else the session's.
    std::optional<Connection> connectionFor(std::size_t index) const;
    // The direction of media `index`: its own attribute, else the session's,
    // else sendrecv (RFC 3264 section 5.1).
    Direction directionFor(std::size_t index) const;
};

} // namespace rtcgate::sdp
