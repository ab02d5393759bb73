// What a codec call on the packet path returns: never an exception, a status and a count.
#pragma once

#include <cstddef>
#include <string_view>

namespace rtcgate::codec {

enum class CodecStatus {
    Ok,
    InvalidPacket,  // a corrupt or empty Opus packet
    BufferTooSmall, // the output span cannot hold the result
    BadArgument,    // e.g. a frame size Opus does not support (not a multiple of 2.5 ms)
    Failed,         // any other libopus error
};

std::string_view toString(CodecStatus status);

struct CodecResult {
    CodecStatus status = CodecStatus::Ok;
    std::size_t count = 0; // samples decoded or bytes encoded; 0 unless status is Ok

    bool ok() const { return status == CodecStatus::Ok; }
};

} // namespace rtcgate::codec
