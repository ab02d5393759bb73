#include "PrettyJson.hpp"

#include <boost/json/serialize.hpp>

#include <string>

namespace rtcgate::ctl {

namespace {

void print(std::ostream& os, const boost::json::value& value, std::string& indent) {
    if (value.is_object() && !value.get_object().empty()) {
        os << "{\n";
        indent.append(2, ' ');
        bool first = true;
        for (const auto& member : value.get_object()) {
            os << (first ? "" : ",\n") << indent << boost::json::serialize(member.key()) << ": ";
            print(os, member.value(), indent);
            first = false;
        }
        indent.resize(indent.size() - 2);
        os << '\n' << indent << '}';
    } else if (value.is_array() && !value.get_array().empty()) {
        os << "[\n";
        indent.append(2, ' ');
        bool first = true;
        for (const auto& item : value.get_array()) {
            os << (first ? "" : ",\n") << indent;
            print(os, item, indent);
            first = false;
        }
        indent.resize(indent.size() - 2);
        os << '\n' << indent << ']';
    } else {
        os << boost::json::serialize(value);
    }
}

} // namespace

void printPretty(std::ostream& os, const boost::json::value& value) {
    std::string indent;
    print(os, value, indent);
    os << '\n';
}

} // namespace rtcgate::ctl
