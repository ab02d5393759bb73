#include "rtcgate/codec/CodecResult.hpp"

namespace rtcgate::codec {

std::string_view toString(CodecStatus status) {
    switch (status) {
    case CodecStatus::Ok:
        return "ok";
    case CodecStatus::InvalidPacket:
        return "invalid packet";
    case CodecStatus::BufferTooSmall:
        return "buffer too small";
    case CodecStatus::BadArgument:
        return "bad argument";
    case CodecStatus::Failed:
        return "failed";
    }
    return "unknown";
}

} // namespace rtcgate::codec
