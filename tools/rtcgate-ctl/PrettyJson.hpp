// Indented JSON output: Boost.JSON 1.81 serializes on one line only.
#pragma once

#include <boost/json/value.hpp>

#include <ostream>

namespace rtcgate::ctl {

void printPretty(std::ostream& os, const boost::json::value& value);

} // namespace rtcgate::ctl
