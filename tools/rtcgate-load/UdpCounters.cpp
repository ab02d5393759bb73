#include "UdpCounters.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace rtcgate::load {

UdpCounters UdpCounters::operator-(const UdpCounters& earlier) const {
    return {inDatagrams - earlier.inDatagrams, noPorts - earlier.noPorts, inErrors - earlier.inErrors,
            rcvbufErrors - earlier.rcvbufErrors, sndbufErrors - earlier.sndbufErrors};
}

std::optional<UdpCounters> readUdpCounters() {
    std::ifstream file{"/proc/net/snmp"};
    std::string line;
    std::vector<std::string> names;
    while (std::getline(file, line)) {
        if (!line.starts_with("Udp: ")) {
            continue;
        }
        std::istringstream words{line.substr(5)};
        if (names.empty()) { // the first Udp: line names the fields, the second has their values
            for (std::string name; words >> name;) {
                names.push_back(name);
            }
            continue;
        }
        std::map<std::string, std::int64_t, std::less<>> values;
        std::int64_t value = 0;
        for (std::size_t i = 0; i < names.size() && (words >> value); ++i) {
            values[names[i]] = value;
        }
        auto get = [&](std::string_view name) {
            auto it = values.find(name);
            return it == values.end() ? std::int64_t{0} : it->second;
        };
        return UdpCounters{get("InDatagrams"), get("NoPorts"), get("InErrors"), get("RcvbufErrors"),
                           get("SndbufErrors")};
    }
    return std::nullopt;
}

} // namespace rtcgate::load
