#include "rtcgate/control/NgRequest.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

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
};

// Keys of rtpengine's protocol that change the SDP in ways rtcgate does not
// implement yet: accepted, and named in the reply's warning.
constexpr std::array<std::string_view, 12> kUnsupportedKeys{
    "ice",       "dtls",          "sdes",           "transport protocol", "rtcp mux", "codec",
    "direction", "media address", "address family", "record call",        "tos",      "osrtp",
};

// Keys that carry information rtcgate does not need.
constexpr std::array<std::string_view, 6> kInformationalKeys{
    "via branch", "label", "metadata", "from label", "to label", "sip message type",
};

// Flags that name rtcgate's default behaviour.
constexpr std::array<std::string_view, 4> kDefaultFlags{
    "trust address",
    "symmetric",
    "port latching",
    "loop protect",
};

// The keys whose string value is copied as it is.
std::string NgRequest::*stringField(std::string_view key) {
    static constexpr std::array<std::pair<std::string_view, std::string NgRequest::*>, 4> kFields{{
        {"call id", &NgRequest::callId},
        {"from tag", &NgRequest::fromTag},
        {"to tag", &NgRequest::toTag},
        {"sdp", &NgRequest::sdp},
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
    if (word == "strict source") {
        flags.strictSource = true;
    } else if (word == "sip source address") {
        flags.sipSourceAddress = true;
    } else if (word == "replace origin") {
        flags.replaceOrigin = true;
    } else if (word == "replace session connection") {
        flags.replaceSessionConnection = true;
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
                bool known = key == "flags" ? applyFlag(word, request.flags) : applyReplace(word, request.flags);
                if (!known) {
                    request.ignored.push_back(key + ": " + *s);
                }
            }
        } else if (key == "received from") {
            if (value.isList() && value.asList().size() == 2 && value.asList()[1].isString()) {
                request.receivedFrom = value.asList()[1].asString();
            } else {
                return {std::nullopt, "'received from' must be a list [family, address]"};
            }
        } else if (key == "delete delay") {
            request.deleteDelay = integerAt(value);
        } else if (key == "limit") {
            request.limit = integerAt(value);
        } else if (applyFlag(key, request.flags)) {
            // a flag given as a key of its own
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
                      request.command == NgCommand::Delete || request.command == NgCommand::Query;
    if (callScoped && request.callId.empty()) {
        return {std::nullopt, "No call-id in message"};
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
