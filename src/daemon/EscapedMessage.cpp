#include "rtcgate/daemon/EscapedMessage.hpp"

#include <array>

namespace rtcgate::daemon {

void EscapedMessage::format(const spdlog::details::log_msg& message, const std::tm& /*time*/,
                            spdlog::memory_buf_t& out) {
    constexpr std::string_view kHex = "0123456789abcdef";
    for (const char c : message.payload) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte < 0x20 || byte == 0x7f) {
            const std::array<char, 4> escaped{'\\', 'x', kHex[byte >> 4U], kHex[byte & 0x0fU]};
            out.append(escaped.data(), escaped.data() + escaped.size());
        } else {
            out.push_back(c);
        }
    }
}

std::unique_ptr<spdlog::custom_flag_formatter> EscapedMessage::clone() const {
    return std::make_unique<EscapedMessage>();
}

std::unique_ptr<spdlog::formatter> makeLogFormatter() {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<EscapedMessage>(EscapedMessage::kFlag).set_pattern("%Y-%m-%d %H:%M:%S.%e [%l] %*");
    return formatter;
}

} // namespace rtcgate::daemon
