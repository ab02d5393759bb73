#include "rtcgate/sdp/SessionDescription.hpp"

#include <boost/algorithm/string/find.hpp>

#include <algorithm>
#include <charconv>
#include <utility>

namespace rtcgate::sdp {

namespace {

bool isBlank(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trimTrailing(std::string_view text) {
    while (!text.empty() && (isBlank(text.back()) || text.back() == '\r')) {
        text.remove_suffix(1);
    }
    return text;
}

// Reads the space-separated fields of a line. RFC 8866 separates fields by a
// single SP; runs of SP/HTAB are accepted (the liberal side of Postel).
class FieldReader {
public:
    explicit FieldReader(std::string_view text) : text_(text) {}

    // The next field, empty at the end of the line.
    std::string_view next() {
        skipBlanks();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && !isBlank(text_[pos_])) {
            ++pos_;
        }
        return text_.substr(start, pos_ - start);
    }

    bool atEnd() {
        skipBlanks();
        return pos_ == text_.size();
    }

private:
    void skipBlanks() {
        while (pos_ < text_.size() && isBlank(text_[pos_])) {
            ++pos_;
        }
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

template <typename Integer>
std::optional<Integer> parseDecimal(std::string_view text) {
    Integer value{};
    if (text.empty() || text.front() == '-' || text.front() == '+') {
        return std::nullopt;
    }
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

// "name" of "a=name" or "a=name:value".
std::string_view attributeName(std::string_view value) {
    return trimTrailing(value.substr(0, value.find(':')));
}

bool isAttribute(const Line& line, std::string_view name) {
    return line.type == 'a' && attributeName(line.value) == name;
}

std::string attributeValue(std::string_view value) {
    const auto colon = value.find(':');
    if (colon == std::string_view::npos) {
        return {};
    }
    return std::string(trimTrailing(value.substr(colon + 1)));
}

// A short, printable excerpt of a rejected line for the error message: the
// message may end up in an ng error reply or a log.
std::string describeLine(std::size_t number, std::string_view line) {
    constexpr std::size_t maxExcerpt = 64;
    std::string text = "line " + std::to_string(number) + " \"";
    for (char c : line.substr(0, maxExcerpt)) {
        text += (c >= 0x20 && c < 0x7f) ? c : '?';
    }
    if (line.size() > maxExcerpt) {
        text += "...";
    }
    text += '"';
    return text;
}

std::optional<MediaDescription> parseMediaLine(std::string_view value) {
    FieldReader fields(value);
    MediaDescription media;
    media.media = std::string(fields.next());
    std::string_view port = fields.next();
    media.protocol = std::string(fields.next());
    if (media.protocol.empty()) {
        return std::nullopt;
    }
    if (const auto slash = port.find('/'); slash != std::string_view::npos) {
        auto portCount = parseDecimal<unsigned>(port.substr(slash + 1));
        if (!portCount) {
            return std::nullopt;
        }
        media.portCount = *portCount;
        port = port.substr(0, slash);
    }
    auto portNumber = parseDecimal<std::uint16_t>(port);
    if (!portNumber) {
        return std::nullopt;
    }
    media.port = *portNumber;
    const bool rtp = !boost::algorithm::ifind_first(media.protocol, "RTP/").empty();
    for (std::string_view format = fields.next(); !format.empty(); format = fields.next()) {
        if (rtp && !isPayloadType(format)) {
            return std::nullopt;
        }
        media.formats.emplace_back(format);
    }
    if (media.formats.empty()) {
        return std::nullopt;
    }
    return media;
}

} // namespace

bool isPayloadType(std::string_view format) {
    return parseDecimal<std::uint8_t>(format).value_or(128) <= 127;
}

std::string_view toString(Direction d) {
    switch (d) {
    case Direction::SendRecv:
        return "sendrecv";
    case Direction::SendOnly:
        return "sendonly";
    case Direction::RecvOnly:
        return "recvonly";
    case Direction::Inactive:
        return "inactive";
    }
    return "sendrecv";
}

Direction withoutReceiving(Direction d) {
    if (d == Direction::SendRecv) {
        return Direction::SendOnly;
    }
    return d == Direction::RecvOnly ? Direction::Inactive : d;
}

std::optional<Direction> directionFromAttribute(std::string_view name) {
    if (name == "sendrecv") {
        return Direction::SendRecv;
    }
    if (name == "sendonly") {
        return Direction::SendOnly;
    }
    if (name == "recvonly") {
        return Direction::RecvOnly;
    }
    if (name == "inactive") {
        return Direction::Inactive;
    }
    return std::nullopt;
}

std::optional<Connection> Connection::parse(std::string_view value) {
    FieldReader fields(value);
    Connection connection{std::string(fields.next()), std::string(fields.next()), std::string(fields.next())};
    if (connection.address.empty() || !fields.atEnd()) {
        return std::nullopt;
    }
    return connection;
}

std::string Connection::toString() const {
    return netType + ' ' + addrType + ' ' + address;
}

std::optional<Origin> Origin::parse(std::string_view value) {
    FieldReader fields(value);
    std::string_view field[6];
    for (std::string_view& f : field) {
        f = fields.next();
    }
    if (field[5].empty() || !fields.atEnd()) {
        return std::nullopt;
    }
    auto version = parseDecimal<std::uint64_t>(field[2]);
    if (!version) {
        return std::nullopt;
    }
    return Origin{std::string(field[0]), std::string(field[1]), *version,
                  std::string(field[3]), std::string(field[4]), std::string(field[5])};
}

std::string Origin::toString() const {
    return username + ' ' + sessionId + ' ' + std::to_string(sessionVersion) + ' ' + netType + ' ' + addrType + ' ' +
           address;
}

const Line* Section::find(char type) const {
    auto it = std::find_if(lines.begin(), lines.end(), [type](const Line& line) { return line.type == type; });
    return it == lines.end() ? nullptr : &*it;
}

Line* Section::find(char type) {
    return const_cast<Line*>(std::as_const(*this).find(type));
}

bool Section::hasAttribute(std::string_view name) const {
    return std::any_of(lines.begin(), lines.end(), [name](const Line& line) { return isAttribute(line, name); });
}

std::optional<std::string> Section::attribute(std::string_view name) const {
    for (const Line& line : lines) {
        if (isAttribute(line, name)) {
            return attributeValue(line.value);
        }
    }
    return std::nullopt;
}

std::vector<std::string> Section::attributes(std::string_view name) const {
    std::vector<std::string> values;
    for (const Line& line : lines) {
        if (isAttribute(line, name)) {
            values.push_back(attributeValue(line.value));
        }
    }
    return values;
}

void Section::setAttribute(std::string_view name, std::string_view value) {
    std::string text(name);
    if (!value.empty()) {
        text += ':';
        text += value;
    }
    bool found = false;
    for (Line& line : lines) {
        if (isAttribute(line, name)) {
            line.value = text;
            found = true;
        }
    }
    if (!found) {
        lines.push_back(Line{'a', std::move(text)});
    }
}

void Section::removeAttribute(std::string_view name) {
    std::erase_if(lines, [name](const Line& line) { return isAttribute(line, name); });
}

std::optional<Connection> Section::connection() const {
    const Line* line = find('c');
    return line ? Connection::parse(line->value) : std::nullopt;
}

std::optional<Direction> Section::direction() const {
    for (const Line& line : lines) {
        if (line.type != 'a') {
            continue;
        }
        if (auto direction = directionFromAttribute(attributeName(line.value))) {
            return direction;
        }
    }
    return std::nullopt;
}

std::string MediaDescription::mLine() const {
    std::string text = media;
    text += ' ';
    text += std::to_string(port);
    if (portCount) {
        text += '/';
        text += std::to_string(*portCount);
    }
    text += ' ';
    text += protocol;
    for (const std::string& format : formats) {
        text += ' ';
        text += format;
    }
    return text;
}

std::optional<SessionDescription> SessionDescription::parse(std::string_view text, std::string* error,
                                                            const ParseLimits& limits) {
    auto fail = [error](std::string message) -> std::optional<SessionDescription> {
        if (error) {
            *error = std::move(message);
        }
        return std::nullopt;
    };

    if (text.size() > limits.maxBytes) {
        return fail(std::to_string(text.size()) + " bytes, more than " + std::to_string(limits.maxBytes));
    }
    SessionDescription sdp;
    // A single pass over the text, no backtracking: linear in its size whatever it holds.
    bool seenVersion = false;
    std::size_t lineNumber = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = text.find('\n', pos);
        std::string_view raw = text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? text.size() : end + 1;
        ++lineNumber;
        if (!raw.empty() && raw.back() == '\r') {
            raw.remove_suffix(1);
        }
        if (trimTrailing(raw).empty()) {
            continue; // a stray empty line, typically after the last one
        }
        if (raw.size() < 2 || raw[0] < 'a' || raw[0] > 'z' || raw[1] != '=') {
            return fail(describeLine(lineNumber, raw) + ": not a <type>=<value> line");
        }
        const char type = raw[0];
        const std::string_view value = raw.substr(2);

        // RFC 8866 section 5: the description starts with v=0.
        if (!seenVersion) {
            if (type != 'v' || trimTrailing(value) != "0") {
                return fail(describeLine(lineNumber, raw) + ": an SDP starts with v=0");
            }
            seenVersion = true;
        }

        if (type == 'm') {
            if (sdp.media.size() == limits.maxMedia) {
                return fail("more than " + std::to_string(limits.maxMedia) + " media lines");
            }
            auto media = parseMediaLine(value);
            if (!media) {
                return fail(describeLine(lineNumber, raw) + ": malformed m= line");
            }
            sdp.media.push_back(std::move(*media));
            continue;
        }
        if (type == 'o' && !Origin::parse(value)) {
            return fail(describeLine(lineNumber, raw) + ": malformed o= line");
        }
        if (type == 'c' && !Connection::parse(value)) {
            return fail(describeLine(lineNumber, raw) + ": malformed c= line");
        }
        Section& section = sdp.media.empty() ? sdp.session : sdp.media.back();
        if (section.lines.size() == limits.maxSectionLines) {
            return fail(describeLine(lineNumber, raw) + ": more than " + std::to_string(limits.maxSectionLines) +
                        " lines in one " + (sdp.media.empty() ? "session" : "media") + " section");
        }
        section.lines.push_back(Line{type, std::string(value)});
    }

    if (!seenVersion) {
        return fail("empty SDP");
    }
    if (!sdp.session.find('o')) {
        return fail("missing o= line");
    }
    if (!sdp.session.find('s')) {
        return fail("missing s= line");
    }
    return sdp;
}

std::string SessionDescription::serialize() const {
    std::size_t size = 0;
    auto lineSize = [](const Line& line) { return line.value.size() + 4; };
    for (const Line& line : session.lines) {
        size += lineSize(line);
    }
    for (const MediaDescription& m : media) {
        size += 64;
        for (const Line& line : m.lines) {
            size += lineSize(line);
        }
    }

    std::string out;
    out.reserve(size);
    auto append = [&out](char type, std::string_view value) {
        out += type;
        out += '=';
        out += value;
        out += "\r\n";
    };
    for (const Line& line : session.lines) {
        append(line.type, line.value);
    }
    for (const MediaDescription& m : media) {
        append('m', m.mLine());
        for (const Line& line : m.lines) {
            append(line.type, line.value);
        }
    }
    return out;
}

std::optional<Origin> SessionDescription::origin() const {
    const Line* line = session.find('o');
    return line ? Origin::parse(line->value) : std::nullopt;
}

void SessionDescription::setOrigin(const Origin& origin) {
    if (Line* line = session.find('o')) {
        line->value = origin.toString();
        return;
    }
    // RFC 8866 section 5: o= follows v=.
    auto at = session.lines.begin();
    if (at != session.lines.end() && at->type == 'v') {
        ++at;
    }
    session.lines.insert(at, Line{'o', origin.toString()});
}

std::optional<Connection> SessionDescription::connectionFor(std::size_t index) const {
    if (index < media.size()) {
        if (auto connection = media[index].connection()) {
            return connection;
        }
    }
    return session.connection();
}

Direction SessionDescription::directionFor(std::size_t index) const {
    if (index < media.size()) {
        if (auto direction = media[index].direction()) {
            return *direction;
        }
    }
    return session.direction().value_or(Direction::SendRecv);
}

} // namespace rtcgate::sdp
