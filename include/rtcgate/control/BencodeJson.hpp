// Bencode values <-> JSON (Boost.JSON): for tools and tests that speak ng in
// JSON, e.g. rtcgate-ctl.
#pragma once

#include "rtcgate/control/Bencode.hpp"

#include <boost/json.hpp>

#include <string>

namespace rtcgate::bencode {

// Bencode has no null, bool or floating point: booleans become the integers
// 1 and 0, null and floating point are errors.
struct JsonConversion {
    Value value;
    std::string error; // empty when the conversion succeeded; names the JSON Pointer of the culprit

    bool ok() const { return error.empty(); }
};

JsonConversion fromJson(const boost::json::value& json);

// Strings become JSON strings whatever bytes they hold (bencode strings are
// bytes; the ng protocol's are text: SDP, tags, flags).
boost::json::value toJson(const Value& value);

} // namespace rtcgate::bencode
