#include "rtcgate/control/BencodeJson.hpp"

#include <cstdint>
#include <limits>
#include <utility>

namespace rtcgate::bencode {

namespace {

// RFC 6901: '~' and '/' inside a reference token are escaped.
std::string pointerToken(std::string_view token) {
    std::string out;
    for (char c : token) {
        if (c == '~') {
            out += "~0";
        } else if (c == '/') {
            out += "~1";
        } else {
            out += c;
        }
    }
    return out;
}

std::string where(const std::string& pointer) {
    return pointer.empty() ? std::string{"the top level"} : "\"" + pointer + "\"";
}

bool convert(const boost::json::value& json, Value& out, std::string& pointer, std::string& error) {
    switch (json.kind()) {
    case boost::json::kind::int64:
        out = Value{Integer{json.get_int64()}};
        return true;
    case boost::json::kind::uint64:
        if (json.get_uint64() > static_cast<std::uint64_t>(std::numeric_limits<Integer>::max())) {
            error = "integer at " + where(pointer) + " is out of the 64-bit signed range";
            return false;
        }
        out = Value{static_cast<Integer>(json.get_uint64())};
        return true;
    case boost::json::kind::bool_:
        out = Value{Integer{json.get_bool() ? 1 : 0}};
        return true;
    case boost::json::kind::string:
        out = Value{std::string_view{json.get_string()}};
        return true;
    case boost::json::kind::array: {
        List list;
        list.reserve(json.get_array().size());
        for (std::size_t i = 0; i < json.get_array().size(); ++i) {
            std::size_t length = pointer.size();
            pointer += "/" + std::to_string(i);
            if (!convert(json.get_array()[i], list.emplace_back(), pointer, error)) {
                return false;
            }
            pointer.resize(length);
        }
        out = Value{std::move(list)};
        return true;
    }
    case boost::json::kind::object: {
        Dict dict;
        for (const auto& member : json.get_object()) {
            std::size_t length = pointer.size();
            pointer += "/" + pointerToken(member.key());
            // A boost::json::object holds each key once, so no entry is overwritten.
            if (!convert(member.value(), dict[std::string{member.key()}], pointer, error)) {
                return false;
            }
            pointer.resize(length);
        }
        out = Value{std::move(dict)};
        return true;
    }
    case boost::json::kind::null:
        error = "null at " + where(pointer) + " has no bencode equivalent";
        return false;
    case boost::json::kind::double_:
        error = "floating-point number at " + where(pointer) + " has no bencode equivalent";
        return false;
    }
    error = "unknown JSON kind at " + where(pointer);
    return false;
}

} // namespace

JsonConversion fromJson(const boost::json::value& json) {
    JsonConversion result;
    std::string pointer;
    if (!convert(json, result.value, pointer, result.error)) {
        result.value = Value{};
    }
    return result;
}

boost::json::value toJson(const Value& value) {
    if (value.isInteger()) {
        return value.asInteger();
    }
    if (value.isString()) {
        return boost::json::string{value.asString()};
    }
    if (value.isList()) {
        boost::json::array array;
        array.reserve(value.asList().size());
        for (const Value& item : value.asList()) {
            array.push_back(toJson(item));
        }
        return array;
    }
    boost::json::object object;
    object.reserve(value.asDict().size());
    for (const auto& [key, item] : value.asDict()) {
        object.emplace(key, toJson(item));
    }
    return object;
}

} // namespace rtcgate::bencode
