#include "rtcgate/control/NgRequest.hpp"

#include "rtcgate/dtmf/TelephoneEvent.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string_view>
#include <utility>

namespace rtcgate::control {

namespace {

struct CommandName {
    std::string_view name;
    NgCommand command;
};
constexpr std::array kCommands{
    CommandName{"ping", NgCommand::Ping},
    CommandName{"offer", NgCommand::Offer},
    CommandName{"answer", NgCommand::Answer},
    CommandName{"delete", NgCommand::Delete},
    CommandName{"query", NgCommand::Query},
    CommandName{"list", NgCommand::List},
    CommandName{"statistics", NgCommand::Statistics},
    CommandName{"block dtmf", NgCommand::BlockDtmf},
    CommandName{"unblock dtmf", NgCommand::UnblockDtmf},
    CommandName{"play dtmf", NgCommand::PlayDtmf},
};

// Keys of rtpengine's protocol that change the SDP in ways rtcgate does not
// implement yet: accepted, and named in the reply's warning.
constexpr std::array<std::string_view, 6> kUnsupportedKeys{
    "direction", "media address", "address family", "record call", "tos", "metadata",
};

// Keys that carry information rtcgate does not need: a call is found by its call-id and tags.
constexpr std::array<std::string_view, 2> kInformationalKeys{
    "via branch",
    "sip message type",
};

// Flags that name rtcgate's default behaviour.
constexpr std::array<std::string_view, 3> kDefaultFlags{
    "trust address",
    "symmetric",
    "port latching",
};

// The keys whose string value is copied as it is.
std::string NgRequest::*stringField(std::string_view key) {
    static constexpr std::array<std::pair<std::string_view, std::string NgRequest::*>, 6> kFields{{
        {"call id", &NgRequest::callId},
        {"from tag", &NgRequest::fromTag},
        {"to tag", &NgRequest::toTag},
        {"sdp", &NgRequest::sdp},
        {"label", &NgRequest::label},
        {"from label", &NgRequest::label}, // rtpengine's other name of "label"
    }};
    for (const auto& [name, field] : kFields) {
        if (name == key) {
            return field;
        }
    }
    return nullptr;
}

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& words, std::string_view word) {
    return std::find(words.begin(), words.end(), word) != words.end();
}

const std::string* stringAt(const bencode::Value& value) {
    return value.isString() ? &value.asString() : nullptr;
}

// Applies one flag word; false when it is not a flag rtcgate knows.
bool applyFlag(std::string_view word, NgFlags& flags) {
    constexpr std::string_view kLearningPrefix = "endpoint learning ";
    if (word == "strict source") {
        flags.strictSource = true;
    } else if (word == "media handover") {
        flags.mediaHandover = true;
    } else if (word.starts_with(kLearningPrefix)) {
        flags.endpointLearning = media::parseLearningMode(word.substr(kLearningPrefix.size()));
        return flags.endpointLearning.has_value();
    } else if (word == "sip source address") {
        flags.sipSourceAddress = true;
    } else if (word == "replace origin") {
        flags.replaceOrigin = true;
    } else if (word == "replace session connection") {
        flags.replaceSessionConnection = true;
    } else if (word == "replace zero address") {
        flags.replaceZeroAddress = true;
    } else if (word == "loop protect") {
        flags.loopProtect = true;
    } else if (!contains(kDefaultFlags, word)) {
        return false;
    }
    return true;
}

bool applyReplace(std::string_view word, NgFlags& flags) {
    if (word == "origin") {
        flags.replaceOrigin = true;
    } else if (word == "session connection") {
        flags.replaceSessionConnection = true;
    } else if (word == "zero address") {
        flags.replaceZeroAddress = true;
    } else {
        return false;
    }
    return true;
}

std::optional<long long> integerAt(const bencode::Value& value) {
    if (value.isInteger()) {
        return value.asInteger();
    }
    if (value.isString()) { // some clients send numbers as strings
        const auto& s = value.asString();
        if (!s.empty() && s.size() < 19 &&
            std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); })) {
            return std::stoll(s);
        }
    }
    return std::nullopt;
}

// An integer, or a string of one (some clients send numbers as strings), with an optional '-'.
std::optional<long long> signedIntegerAt(const bencode::Value& value) {
    if (value.isInteger()) {
        return value.asInteger();
    }
    long long number = 0;
    const auto* s = stringAt(value);
    if (s == nullptr || s->empty()) {
        return std::nullopt;
    }
    const auto [end, error] = std::from_chars(s->data(), s->data() + s->size(), number);
    return error == std::errc{} && end == s->data() + s->size() ? std::optional(number) : std::nullopt;
}

// play DTMF's "code": an event number 0-15, or a string of DTMF digits; empty when it is neither.
std::string dtmfDigitsAt(const bencode::Value& value) {
    if (value.isInteger()) {
        const char digit = value.asInteger() >= 0 && value.asInteger() <= 15
                               ? dtmf::digitOf(static_cast<std::uint8_t>(value.asInteger()))
                               : '\0';
        return digit == '\0' ? std::string() : std::string(1, digit);
    }
    if (!value.isString() || value.asString().empty()) {
        return {};
    }
    std::string digits;
    for (const char c : value.asString()) {
        const auto event = dtmf::eventOf(c);
        if (!event) {
            return {};
        }
        digits += dtmf::digitOf(*event);
    }
    return digits;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

bool applyIce(std::string_view value, media::TransportRequest& transport) {
    const std::string word = normalizeNgWord(value);
    if (word == "force" || word == "force relay") {
        transport.ice = media::IceRequest::Force;
    } else if (word == "remove") {
        transport.ice = media::IceRequest::Remove;
    } else if (word == "default" || word == "optional") {
        transport.ice = media::IceRequest::Default;
    } else {
        return false;
    }
    return true;
}

bool applyDtls(std::string_view value, media::TransportRequest& transport) {
    const std::string word = normalizeNgWord(value);
    if (word == "off" || word == "no" || word == "disable") {
        transport.dtls = media::DtlsRequest::Off;
    } else if (word == "passive") {
        transport.dtls = media::DtlsRequest::Passive;
    } else if (word == "active") {
        transport.dtls = media::DtlsRequest::Active;
    } else if (word == "default" || word == "actpass") {
        transport.dtls = media::DtlsRequest::Default;
    } else {
        return false;
    }
    return true;
}

// One SDES word: off, no-SUITE, only-SUITE. Suite names keep their underscores,
// so the word is read as sent, not normalized.
bool applySdes(std::string_view value, media::TransportRequest& transport) {
    const std::string word = lowercase(value);
    if (word == "off" || word == "no" || word == "disable") {
        transport.sdes.off = true;
        return true;
    }
    for (auto [prefix, list] : {std::pair{std::string_view("no"), &transport.sdes.excluded},
                                std::pair{std::string_view("only"), &transport.sdes.only}}) {
        if (word.size() > prefix.size() + 1 && word.starts_with(prefix) &&
            (word[prefix.size()] == '-' || word[prefix.size()] == '_')) {
            std::string suite(value.substr(prefix.size() + 1));
            std::transform(suite.begin(), suite.end(), suite.begin(), [](unsigned char c) { return std::toupper(c); });
            if (auto profile = srtp::srtpProfileFromSdesSuite(suite)) {
                list->push_back(*profile);
                return true;
            }
            // F8 and NULL are never offered: excluding one is done already; asking for one alone cannot be.
            return srtp::isUnusableSdesSuite(suite) && list == &transport.sdes.excluded;
        }
    }
    return false;
}

bool applyRtcpMux(std::string_view value, media::TransportRequest& transport) {
    const std::string word = normalizeNgWord(value);
    auto& mux = transport.rtcpMux;
    for (auto [name, field] :
         {std::pair{"offer", &mux.offer}, std::pair{"require", &mux.require}, std::pair{"demux", &mux.demux},
          std::pair{"accept", &mux.accept}, std::pair{"reject", &mux.reject}}) {
        if (word == name) {
            *field = true;
            return true;
        }
    }
    return false;
}

// OSRTP (RFC 8643): "offer", "accept" (rtpengine's "accept-RFC" too; its "accept-legacy" is not done).
bool applyOsrtp(std::string_view value, media::TransportRequest& transport) {
    const std::string word = normalizeNgWord(value);
    if (word == "offer") {
        transport.osrtp.offer = true;
    } else if (word == "accept" || word == "accept rfc") {
        transport.osrtp.accept = true;
    } else {
        return false;
    }
    return true;
}

bool applyTransportProtocol(std::string_view value, media::TransportRequest& transport) {
    constexpr std::array<std::string_view, 6> kProtocols{
        "RTP/AVP", "RTP/AVPF", "RTP/SAVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVP", "UDP/TLS/RTP/SAVPF",
    };
    std::string upper(value);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (std::find(kProtocols.begin(), kProtocols.end(), upper) == kProtocols.end()) {
        return false;
    }
    transport.protocol = upper;
    return true;
}

using TransportWordParser = bool (*)(std::string_view, media::TransportRequest&);

// The transport keys; `key` is normalized.
TransportWordParser transportParser(std::string_view key) {
    if (key == "ice") {
        return applyIce;
    }
    if (key == "dtls") {
        return applyDtls;
    }
    if (key == "sdes") {
        return applySdes;
    }
    if (key == "rtcp mux") {
        return applyRtcpMux;
    }
    if (key == "transport protocol") {
        return applyTransportProtocol;
    }
    if (key == "osrtp") {
        return applyOsrtp;
    }
    return nullptr;
}

// A transport key's value: a string, or (SDES, rtcp-mux) a list of strings.
// Words rtcgate does not know are named in `ignored`.
void applyTransportValue(const std::string& rawKey, TransportWordParser parser, const bencode::Value& value,
                         media::TransportRequest& transport, std::vector<std::string>& ignored) {
    auto apply = [&](const bencode::Value& item) {
        const auto* word = stringAt(item);
        if (word == nullptr || !parser(*word, transport)) {
            ignored.push_back(rawKey + ": " + (word != nullptr ? *word : std::string("(not a string)")));
        }
    };
    if (value.isList()) {
        for (const auto& item : value.asList()) {
            apply(item);
        }
    } else {
        apply(value);
    }
}

// Flags that carry a transport key: "SDES-off", "rtcp-mux-demux", and the
// "key=value" form ("ICE=force", "transport-protocol=RTP/AVP").
bool applyTransportFlag(std::string_view word, media::TransportRequest& transport) {
    if (auto equals = word.find('='); equals != std::string_view::npos) {
        auto parser = transportParser(normalizeNgWord(word.substr(0, equals)));
        return parser != nullptr && parser(word.substr(equals + 1), transport);
    }
    const std::string lower = lowercase(word);
    for (auto [prefix, parser] :
         {std::pair{std::string_view("sdes"), &applySdes}, std::pair{std::string_view("rtcp-mux"), &applyRtcpMux},
          std::pair{std::string_view("rtcp_mux"), &applyRtcpMux}, std::pair{std::string_view("osrtp"), &applyOsrtp}}) {
        if (lower.size() > prefix.size() + 1 && lower.starts_with(prefix) &&
            (lower[prefix.size()] == '-' || lower[prefix.size()] == '_')) {
            return parser(word.substr(prefix.size() + 1), transport);
        }
    }
    return false;
}

// The lists of the "codec" dictionary; `key` is normalized. rtpengine's "consume" is its "mask" that also
// engages transcoding, which rtcgate decides from the answer anyway.
std::vector<media::CodecMatch>* codecList(std::string_view key, media::CodecRequest& codec) {
    if (key == "strip") {
        return &codec.strip;
    }
    if (key == "except") {
        return &codec.except;
    }
    if (key == "offer") {
        return &codec.offer;
    }
    if (key == "transcode") {
        return &codec.transcode;
    }
    if (key == "mask" || key == "consume") {
        return &codec.mask;
    }
    if (key == "accept") {
        return &codec.accept;
    }
    return nullptr;
}

void addCodecMatch(std::string_view entry, std::vector<media::CodecMatch>& list, const std::string& where,
                   std::vector<std::string>& ignored) {
    if (auto match = media::CodecMatch::parse(entry)) {
        list.push_back(*match);
    } else {
        ignored.push_back(where + ": " + std::string(entry));
    }
}

// The "codec" dictionary: each sub-key a list of strings, or one string of comma-separated entries (as rtpengine
// reads a string where it expects a list).
void applyCodecDictionary(const bencode::Value& value, media::CodecRequest& codec, std::vector<std::string>& ignored) {
    if (!value.isDict()) {
        ignored.emplace_back("codec (not a dictionary)");
        return;
    }
    for (const auto& [rawKey, item] : value.asDict()) {
        auto* list = codecList(normalizeNgWord(rawKey), codec);
        const std::string where = "codec-" + rawKey;
        if (list == nullptr) {
            ignored.push_back("codec: " + rawKey);
        } else if (item.isList()) {
            for (const auto& entry : item.asList()) {
                if (const auto* text = stringAt(entry)) {
                    addCodecMatch(*text, *list, where, ignored);
                } else {
                    ignored.push_back(where + ": (not a string)");
                }
            }
        } else if (const auto* text = stringAt(item)) {
            std::string_view rest = *text;
            while (!rest.empty()) {
                auto comma = rest.find(',');
                addCodecMatch(rest.substr(0, comma), *list, where, ignored);
                rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
            }
        } else {
            ignored.push_back(where + ": (not a string)");
        }
    }
}

// The codec flags: "always transcode", "force transcoding", "inject DTMF" (`word` normalized), and the codec-* forms of
// the dictionary ("codec-strip-PCMA", "codec-mask-opus", "transcode-PCMU"): the codec name is kept as sent.
bool applyCodecFlag(std::string_view word, std::string_view raw, media::CodecRequest& codec,
                    std::vector<std::string>& ignored) {
    if (word == "always transcode") {
        codec.alwaysTranscode = true;
        return true;
    }
    if (word == "force transcoding") {
        codec.forceTranscoding = true;
        return true;
    }
    if (word == "inject dtmf") {
        codec.injectDtmf = true;
        return true;
    }
    constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kPrefixes{{
        {"codec strip ", "strip"},
        {"codec except ", "except"},
        {"codec offer ", "offer"},
        {"codec transcode ", "transcode"},
        {"transcode ", "transcode"},
        {"codec mask ", "mask"},
        {"codec consume ", "consume"},
        {"codec accept ", "accept"},
    }};
    for (auto [prefix, key] : kPrefixes) {
        if (word.size() > prefix.size() && word.starts_with(prefix)) {
            addCodecMatch(raw.substr(prefix.size()), *codecList(key, codec), "codec-" + std::string(key), ignored);
            return true;
        }
    }
    return false;
}

} // namespace

std::string_view toString(NgCommand command) {
    for (const auto& c : kCommands) {
        if (c.command == command) {
            return c.name;
        }
    }
    return "?";
}

std::string normalizeNgWord(std::string_view word) {
    std::string out;
    out.reserve(word.size());
    for (char c : word) {
        out.push_back(c == '-' || c == '_' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    return out;
}

NgRequest::Parsed NgRequest::parse(const bencode::Value& message) {
    if (!message.isDict()) {
        return {std::nullopt, "Message is not a dictionary"};
    }
    NgRequest request;
    std::optional<std::string> commandName;
    for (const auto& [rawKey, value] : message.asDict()) {
        std::string key = normalizeNgWord(rawKey);
        if (key == "command") {
            if (const auto* s = stringAt(value)) {
                commandName = normalizeNgWord(*s);
            }
        } else if (auto field = stringField(key)) {
            if (const auto* text = stringAt(value)) {
                request.*field = *text;
            }
        } else if (key == "flags" || key == "replace") {
            if (!value.isList()) {
                return {std::nullopt, "'" + rawKey + "' is not a list"};
            }
            for (const auto& item : value.asList()) {
                const auto* s = stringAt(item);
                if (s == nullptr) {
                    return {std::nullopt, "'" + rawKey + "' holds a non-string"};
                }
                std::string word = normalizeNgWord(*s);
                bool known = key == "flags"
                                 ? applyFlag(word, request.flags) || applyTransportFlag(*s, request.transport) ||
                                       applyCodecFlag(word, *s, request.codec, request.ignored)
                                 : applyReplace(word, request.flags);
                if (!known) {
                    request.ignored.push_back(key + ": " + *s);
                }
            }
        } else if (key == "supports") {
            if (!value.isList()) {
                return {std::nullopt, "'" + rawKey + "' is not a list"};
            }
            for (const auto& item : value.asList()) {
                const auto* feature = stringAt(item);
                if (feature != nullptr && normalizeNgWord(*feature) == "load limit") {
                    request.supportsLoadLimit = true;
                } else {
                    request.ignored.push_back(rawKey + ": " + (feature != nullptr ? *feature : "(not a string)"));
                }
            }
        } else if (key == "received from") {
            if (value.isList() && value.asList().size() == 2 && value.asList()[1].isString()) {
                request.receivedFrom = value.asList()[1].asString();
            } else {
                return {std::nullopt, "'received from' must be a list [family, address]"};
            }
        } else if (auto parser = transportParser(key)) {
            applyTransportValue(rawKey, parser, value, request.transport, request.ignored);
        } else if (key == "codec") {
            applyCodecDictionary(value, request.codec, request.ignored);
        } else if (key == "delete delay") {
            request.deleteDelay = integerAt(value);
        } else if (key == "endpoint learning") {
            const auto* mode = stringAt(value);
            if (!mode || !applyFlag("endpoint learning " + normalizeNgWord(*mode), request.flags)) {
                request.ignored.push_back(rawKey + ": " + (mode != nullptr ? *mode : "(not a string)"));
            }
        } else if (key == "limit") {
            request.limit = integerAt(value);
        } else if (key == "code" || key == "digit") {
            request.dtmfDigits = dtmfDigitsAt(value);
        } else if (key == "duration") {
            request.dtmfDuration = signedIntegerAt(value);
        } else if (key == "volume") {
            request.dtmfVolume = signedIntegerAt(value);
        } else if (key == "pause") {
            request.dtmfPause = signedIntegerAt(value);
        } else if (applyFlag(key, request.flags)) {
            // a flag given as a key of its own
        } else if (key == "always transcode" || key == "force transcoding") {
            applyCodecFlag(key, rawKey, request.codec, request.ignored);
        } else if (!contains(kInformationalKeys, key)) {
            request.ignored.push_back(contains(kUnsupportedKeys, key) ? rawKey + " (not supported yet)" : rawKey);
        }
    }
    if (!commandName) {
        return {std::nullopt, "No command in message"};
    }
    auto it = std::find_if(kCommands.begin(), kCommands.end(), [&](const auto& c) { return c.name == *commandName; });
    if (it == kCommands.end()) {
        return {std::nullopt, "Unrecognized command"};
    }
    request.command = it->command;

    bool callScoped = request.command == NgCommand::Offer || request.command == NgCommand::Answer ||
                      request.command == NgCommand::Delete || request.command == NgCommand::Query ||
                      request.command == NgCommand::BlockDtmf || request.command == NgCommand::UnblockDtmf ||
                      request.command == NgCommand::PlayDtmf;
    if (callScoped && request.callId.empty()) {
        return {std::nullopt, "No call-id in message"};
    }
    if (request.command == NgCommand::PlayDtmf && request.dtmfDigits.empty()) {
        return {std::nullopt, "No valid DTMF code in message"};
    }
    bool signaling = request.command == NgCommand::Offer || request.command == NgCommand::Answer;
    if (signaling && request.fromTag.empty()) {
        return {std::nullopt, "No from-tag in message"};
    }
    if (request.command == NgCommand::Answer && request.toTag.empty()) {
        return {std::nullopt, "No to-tag in message"};
    }
    if (signaling && request.toTag == request.fromTag) {
        return {std::nullopt, "from-tag and to-tag are the same"};
    }
    if (signaling && request.sdp.empty()) {
        return {std::nullopt, "No SDP body in message"};
    }
    return {std::move(request), {}};
}

} // namespace rtcgate::control
