// Why a call refused a signal or a command. media/ says what went wrong; control/ words it for the
// proxy (NgCommandHandler).
#pragma once

#include <cstddef>
#include <string>

namespace rtcgate::media {

enum class CallError {
    UnknownFromTag,
    UnknownToTag,
    NoTag,          // play DTMF named neither party
    NotAnswered,    // the party has no peer yet
    MediaLineCount, // an answer with another number of m= lines than the offer
    OutOfPorts,
    PortsInQuarantine, // none free but pairs released too recently (--port-quarantine)
    OutOfDescriptors,  // the process's open-file limit, not the port range
    NotTranscoded,     // play DTMF toward a party whose media is passed through
    DtmfQueueFull,
};

struct CallFailure {
    CallError error = CallError::UnknownFromTag;
    std::string tag{};           // NotTranscoded: the party the digits were for
    std::size_t answerLines = 0; // MediaLineCount: the answer's m= lines
    std::size_t offerLines = 0;  // MediaLineCount: the offer's
};

} // namespace rtcgate::media
