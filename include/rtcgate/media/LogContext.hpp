// Which call, party and media line a log line is about: the objects of a media line carry one, so
// that every warning they write names them.
#pragma once

#include <spdlog/fmt/fmt.h>

#include <string>
#include <string_view>

namespace rtcgate::media {

struct LogContext {
    std::string callId;
    std::string tag;   // the party's; empty until the answer tags it
    unsigned line = 0; // 1-based, as query counts media lines

    bool operator==(const LogContext& other) const = default;
};

} // namespace rtcgate::media

// "[call-id] tag 'A' line 1", as the call's own log lines start with "[call-id]".
template <>
struct fmt::formatter<rtcgate::media::LogContext> : fmt::formatter<std::string_view> {
    template <typename FormatContext>
    auto format(const rtcgate::media::LogContext& context, FormatContext& out) const {
        return fmt::format_to(out.out(), "[{}] tag '{}' line {}", context.callId, context.tag, context.line);
    }
};
