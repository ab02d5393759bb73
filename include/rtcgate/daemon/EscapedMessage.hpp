// The log pattern's message flag (%*): the message with its control characters written as \xNN, so that a CR or
// LF in a call-id, tag or flag from the network cannot start a forged log line, nor an escape sequence reach a
// terminal.
#pragma once

#include <spdlog/pattern_formatter.h>

#include <memory>

namespace rtcgate::daemon {

class EscapedMessage final : public spdlog::custom_flag_formatter {
public:
    static constexpr char kFlag = '*';

    void format(const spdlog::details::log_msg& message, const std::tm& time, spdlog::memory_buf_t& out) override;
    std::unique_ptr<spdlog::custom_flag_formatter> clone() const override;
};

// "2026-12-07 14:00:00.000 [info] message", the message escaped.
std::unique_ptr<spdlog::formatter> makeLogFormatter();

} // namespace rtcgate::daemon
