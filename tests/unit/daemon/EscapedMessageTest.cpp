#include "rtcgate/daemon/EscapedMessage.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

namespace rtcgate::daemon {
namespace {

TEST(EscapedMessageTest, ControlCharactersFromTheNetworkCannotForgeALogLine) {
    std::ostringstream written;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(written);
    spdlog::logger logger("escaped", sink);
    logger.set_formatter(makeLogFormatter());
    const std::string callId = "c1\r\n2026-12-07 00:00:00.000 [crit] forged\x1b[2J\x7f";
    logger.info("[{}] offer from-tag '{}'", callId, "tag\tä");
    logger.flush();
    const std::string line = written.str();
    EXPECT_EQ(line.find('\n'), line.size() - 1) << line; // one line, ended by the sink's own newline
    EXPECT_NE(line.find("[info] [c1\\x0d\\x0a2026-12-07 00:00:00.000 [crit] forged\\x1b[2J\\x7f] offer from-tag "
                        "'tag\\x09ä'"),
              std::string::npos)
        << line;
}

} // namespace
} // namespace rtcgate::daemon
