#include "rtcgate/sdp/PayloadFormat.hpp"

#include <boost/algorithm/string/predicate.hpp>

#include <array>
#include <charconv>
#include <optional>

namespace rtcgate::sdp {

namespace {

struct StaticPayloadType {
    std::uint8_t payloadType;
    std::string_view encoding;
    std::uint32_t clockRate;
    unsigned channels;
};

// RFC 3551 tables 4 and 5. G722 is sampled at 16 kHz but its RTP clock is 8000 (RFC 3551 section 4.5.2).
constexpr std::array kStaticPayloadTypes{
    StaticPayloadType{0, "PCMU", 8000, 1},   StaticPayloadType{3, "GSM", 8000, 1},
    StaticPayloadType{4, "G723", 8000, 1},   StaticPayloadType{5, "DVI4", 8000, 1},
    StaticPayloadType{6, "DVI4", 16000, 1},  StaticPayloadType{7, "LPC", 8000, 1},
    StaticPayloadType{8, "PCMA", 8000, 1},   StaticPayloadType{9, "G722", 8000, 1},
    StaticPayloadType{10, "L16", 44100, 2},  StaticPayloadType{11, "L16", 44100, 1},
    StaticPayloadType{12, "QCELP", 8000, 1}, StaticPayloadType{13, "CN", 8000, 1},
    StaticPayloadType{14, "MPA", 90000, 1},  StaticPayloadType{15, "G728", 8000, 1},
    StaticPayloadType{16, "DVI4", 11025, 1}, StaticPayloadType{17, "DVI4", 22050, 1},
    StaticPayloadType{18, "G729", 8000, 1},  StaticPayloadType{25, "CelB", 90000, 1},
    StaticPayloadType{26, "JPEG", 90000, 1}, StaticPayloadType{28, "nv", 90000, 1},
    StaticPayloadType{31, "H261", 90000, 1}, StaticPayloadType{32, "MPV", 90000, 1},
    StaticPayloadType{33, "MP2T", 90000, 1}, StaticPayloadType{34, "H263", 90000, 1},
};

template <typename Number>
std::optional<Number> parseNumber(std::string_view text) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::optional<std::uint8_t> parsePayloadType(std::string_view text) {
    auto value = parseNumber<unsigned>(text);
    if (!value || *value > 127) {
        return std::nullopt;
    }
    return static_cast<std::uint8_t>(*value);
}

// A payload-type attribute "name:PT rest": the payload type and the rest, for the attributes rtcgate rewrites.
struct PayloadAttribute {
    std::string_view name; // rtpmap, fmtp, rtcp-fb
    std::uint8_t payloadType = 0;
    std::string_view rest;
};

std::optional<PayloadAttribute> payloadAttribute(const Line& line) {
    if (line.type != 'a') {
        return std::nullopt;
    }
    std::string_view value = line.value;
    for (std::string_view name : {"rtpmap", "fmtp", "rtcp-fb"}) {
        if (value.size() <= name.size() || !value.starts_with(name) || value[name.size()] != ':') {
            continue;
        }
        std::string_view tail = value.substr(name.size() + 1);
        auto space = tail.find(' ');
        auto payloadType = parsePayloadType(tail.substr(0, space));
        if (!payloadType) {
            return std::nullopt; // "a=rtcp-fb:* ..." and malformed lines stay as they are
        }
        std::string_view rest = space == std::string_view::npos ? std::string_view() : tail.substr(space + 1);
        while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) {
            rest.remove_suffix(1);
        }
        return PayloadAttribute{name, *payloadType, rest};
    }
    return std::nullopt;
}

// "opus/48000/2" into the format.
void applyRtpmap(std::string_view value, PayloadFormat& format) {
    auto slash = value.find('/');
    format.encoding = std::string(value.substr(0, slash));
    format.clockRate = 0;
    format.channels = 1;
    if (slash == std::string_view::npos) {
        return;
    }
    std::string_view params = value.substr(slash + 1);
    auto second = params.find('/');
    format.clockRate = parseNumber<std::uint32_t>(params.substr(0, second)).value_or(0);
    if (second != std::string_view::npos) {
        format.channels = parseNumber<unsigned>(params.substr(second + 1)).value_or(1);
    }
}

} // namespace

bool PayloadFormat::is(std::string_view name) const {
    return boost::algorithm::iequals(encoding, name);
}

bool PayloadFormat::sameCodec(const PayloadFormat& other) const {
    return is(other.encoding) && clockRate == other.clockRate && channels == other.channels;
}

std::string PayloadFormat::name() const {
    std::string out = encoding + "/" + std::to_string(clockRate);
    if (channels > 1) {
        out += "/" + std::to_string(channels);
    }
    return out;
}

std::vector<PayloadFormat> readPayloadFormats(const MediaDescription& media) {
    std::vector<PayloadFormat> formats;
    for (const auto& text : media.formats) {
        auto payloadType = parsePayloadType(text);
        if (!payloadType) {
            continue;
        }
        PayloadFormat format;
        format.payloadType = *payloadType;
        for (const auto& entry : kStaticPayloadTypes) {
            if (entry.payloadType == *payloadType) {
                format.encoding = std::string(entry.encoding);
                format.clockRate = entry.clockRate;
                format.channels = entry.channels;
            }
        }
        formats.push_back(std::move(format));
    }
    for (const auto& line : media.lines) {
        auto attribute = payloadAttribute(line);
        if (!attribute) {
            continue;
        }
        for (auto& format : formats) {
            if (format.payloadType != attribute->payloadType) {
                continue;
            }
            if (attribute->name == "rtpmap") {
                applyRtpmap(attribute->rest, format);
            } else if (attribute->name == "fmtp") {
                format.fmtp = std::string(attribute->rest);
            } else {
                format.rtcpFeedback.emplace_back(attribute->rest);
            }
        }
    }
    return formats;
}

void writePayloadFormats(MediaDescription& media, const std::vector<PayloadFormat>& formats) {
    std::optional<std::size_t> firstRemoved;
    std::vector<Line> kept;
    kept.reserve(media.lines.size());
    for (auto& line : media.lines) {
        if (payloadAttribute(line)) {
            if (!firstRemoved) {
                firstRemoved = kept.size();
            }
            continue;
        }
        kept.push_back(std::move(line));
    }

    std::vector<Line> written;
    media.formats.clear();
    for (const auto& format : formats) {
        const std::string payloadType = std::to_string(format.payloadType);
        media.formats.push_back(payloadType);
        if (!format.encoding.empty()) {
            written.push_back({'a', "rtpmap:" + payloadType + " " + format.name()});
        }
        if (!format.fmtp.empty()) {
            written.push_back({'a', "fmtp:" + payloadType + " " + format.fmtp});
        }
        for (const auto& feedback : format.rtcpFeedback) {
            written.push_back({'a', "rtcp-fb:" + payloadType + " " + feedback});
        }
    }
    auto at = kept.begin() + static_cast<std::ptrdiff_t>(firstRemoved.value_or(kept.size()));
    kept.insert(at, std::make_move_iterator(written.begin()), std::make_move_iterator(written.end()));
    media.lines = std::move(kept);
}

} // namespace rtcgate::sdp
