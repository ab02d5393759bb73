#include "rtcgate/ice/Candidate.hpp"

#include <sstream>
#include <utility>

namespace rtcgate::ice {

Candidate Candidate::host(std::string foundation, const net::Endpoint& address) {
    return Candidate{std::move(foundation), candidatePriority(kHostTypePreference, kHostLocalPreference, kRtpComponent),
                     address};
}

std::string Candidate::sdpValue() const {
    std::ostringstream line;
    line << foundation << ' ' << unsigned{kRtpComponent} << " udp " << priority << ' '
         << address.address().to_string() << ' ' << address.port() << " typ host";
    return line.str();
}

} // namespace rtcgate::ice
