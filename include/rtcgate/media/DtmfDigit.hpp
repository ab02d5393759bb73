// A DTMF digit as a call sees it: one a party sent (query lists it), and the ng "play DTMF" request.
#pragma once

#include "rtcgate/dtmf/DtmfEventLog.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace rtcgate::media {

struct DtmfDigit {
    char digit = '\0';
    std::uint32_t durationMs = 0;
    std::uint8_t volume = 0; // -dBm0
    dtmf::DtmfSource source = dtmf::DtmfSource::Rfc4733;
    std::chrono::system_clock::time_point ended;
};

// ng "play DTMF".
struct DtmfPlay {
    std::string fromTag; // the party that "dials": the digits go to its peer (rtpengine's selection)
    std::string toTag;   // else the party the digits go to
    std::string digits;  // '0'-'9', '*', '#', 'A'-'D' only, at least one (NgRequest refuses any other code)
    std::chrono::milliseconds duration{250};
    std::chrono::milliseconds pause{100};
    int volume = 8; // -dBm0
};

} // namespace rtcgate::media
