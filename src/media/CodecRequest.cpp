#include "rtcgate/media/CodecRequest.hpp"

#include <boost/algorithm/string/predicate.hpp>

#include <algorithm>
#include <array>
#include <charconv>

namespace rtcgate::media {

namespace {

template <typename Number>
std::optional<Number> parseNumber(std::string_view text) {
    Number value{};
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

bool hasAll(const std::vector<CodecMatch>& matches) {
    return std::any_of(matches.begin(), matches.end(), [](const CodecMatch& m) { return m.all; });
}

bool namesEvents(const std::vector<CodecMatch>& matches) {
    return std::any_of(matches.begin(), matches.end(),
                       [](const CodecMatch& match) { return match.names("telephone-event"); });
}

} // namespace

std::optional<CodecMatch> CodecMatch::parse(std::string_view text) {
    CodecMatch match;
    auto slash = text.find('/');
    std::string_view name = text.substr(0, slash);
    if (name.empty()) {
        return std::nullopt;
    }
    if (name == "all" || name == "full") {
        match.all = true;
        match.full = name == "full";
        return match;
    }
    if (std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        auto payloadType = parseNumber<unsigned>(name);
        if (!payloadType || *payloadType > 127) {
            return std::nullopt;
        }
        match.payloadType = static_cast<std::uint8_t>(*payloadType);
        return match;
    }
    match.name = std::string(name);
    if (slash == std::string_view::npos) {
        return match;
    }
    std::string_view params = text.substr(slash + 1);
    auto second = params.find('/');
    match.clockRate = parseNumber<std::uint32_t>(params.substr(0, second));
    if (!match.clockRate) {
        return std::nullopt;
    }
    if (second == std::string_view::npos) {
        return match;
    }
    // channels/bitrate/ptime/format parameters, each of them may be empty ("opus/48000/2///useinbandfec=1").
    std::array<std::string_view, 4> fields{};
    std::string_view rest = params.substr(second + 1);
    for (auto& field : fields) {
        const auto end = rest.find('/');
        field = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    if (!fields[0].empty()) { // "iLBC/8000//..." leaves the channels out
        match.channels = parseNumber<unsigned>(fields[0]);
        if (!match.channels) {
            return std::nullopt;
        }
    }
    if (!fields[3].empty()) {
        // Kamailio's flag form writes "=" as "--" ("codec-transcode-opus/48000/2///useinbandfec--1").
        std::string fmtp(fields[3]);
        for (auto at = fmtp.find("--"); at != std::string::npos; at = fmtp.find("--", at + 1)) {
            fmtp.replace(at, 2, "=");
        }
        match.fmtp = std::move(fmtp);
    }
    return match;
}

bool CodecMatch::matches(const sdp::PayloadFormat& format) const {
    if (all) {
        return true;
    }
    if (payloadType) {
        return format.payloadType == *payloadType;
    }
    if (!format.is(name)) {
        return false;
    }
    if (clockRate && format.clockRate != *clockRate) {
        return false;
    }
    // rtpengine: "opus/48000" is the one-channel codec (its encoding_with_params).
    if (clockRate && format.channels != channels.value_or(1)) {
        return false;
    }
    return true;
}

bool CodecMatch::names(std::string_view encoding) const {
    return !name.empty() && boost::algorithm::iequals(name, encoding);
}

std::string CodecMatch::toString() const {
    if (all) {
        return full ? "full" : "all";
    }
    if (payloadType) {
        return std::to_string(*payloadType);
    }
    std::string out = name;
    if (clockRate) {
        out += "/" + std::to_string(*clockRate);
        if (channels) {
            out += "/" + std::to_string(*channels);
        }
    }
    return out;
}

bool CodecRequest::empty() const {
    return strip.empty() && except.empty() && offer.empty() && transcode.empty() && mask.empty() && accept.empty() &&
           !alwaysTranscode && !forceTranscoding && !injectDtmf;
}

bool CodecRequest::transcodesEvents() const {
    return namesEvents(transcode);
}

bool CodecRequest::asksForTranscoding() const {
    return !transcode.empty() || !accept.empty() || alwaysTranscode || forceTranscoding || injectDtmf;
}

bool CodecRequest::acceptsEvents() const {
    return namesEvents(accept);
}

bool CodecRequest::stripsAll() const {
    return hasAll(strip);
}

bool CodecRequest::masksAll() const {
    return hasAll(mask);
}

bool CodecRequest::full() const {
    auto isFull = [](const CodecMatch& m) { return m.full; };
    return std::any_of(strip.begin(), strip.end(), isFull) || std::any_of(mask.begin(), mask.end(), isFull);
}

bool anyMatches(const std::vector<CodecMatch>& matches, const sdp::PayloadFormat& format, bool explicitOnly) {
    return std::any_of(matches.begin(), matches.end(),
                       [&](const CodecMatch& m) { return (!explicitOnly || !m.all) && m.matches(format); });
}

} // namespace rtcgate::media
