#include "rtcgate/daemon/Options.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace rtcgate::daemon {
namespace {

namespace fs = std::filesystem;

class OptionsTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "rtcgate-options-XXXXXX").string();
        ASSERT_NE(mkdtemp(pattern.data()), nullptr);
        dir_ = pattern;
        defaultConfigFile_ = (dir_ / "default.conf").string(); // absent unless a test writes it
    }

    void TearDown() override {
        std::error_code error;
        fs::remove_all(dir_, error);
    }

    std::variant<Options, OptionsExit> parse(const std::vector<std::string>& args) const {
        std::vector<const char*> argv{"rtcgated"};
        for (const auto& arg : args) {
            argv.push_back(arg.c_str());
        }
        return parseOptions(static_cast<int>(argv.size()), argv.data(), defaultConfigFile_);
    }

    Options parseValid(const std::vector<std::string>& args) const {
        auto result = parse(args);
        if (const auto* exit = std::get_if<OptionsExit>(&result)) {
            ADD_FAILURE() << "expected options, got exit " << exit->exitCode << ": " << exit->message;
            return {};
        }
        return std::get<Options>(result);
    }

    OptionsExit parseExit(const std::vector<std::string>& args) const {
        auto result = parse(args);
        if (std::holds_alternative<Options>(result)) {
            ADD_FAILURE() << "expected an exit, got options";
            return {-1, ""};
        }
        return std::get<OptionsExit>(result);
    }

    std::string writeFile(const std::string& name, const std::string& content) const {
        const auto path = dir_ / name;
        std::ofstream(path) << content;
        return path.string();
    }

    fs::path dir_;
    std::string defaultConfigFile_;
};

// Expects exit code kExitBadValue and a message that contains every one of `parts`.
void expectBadValue(const OptionsExit& exit, const std::vector<std::string>& parts) {
    EXPECT_EQ(exit.exitCode, kExitBadValue) << exit.message;
    for (const auto& part : parts) {
        EXPECT_NE(exit.message.find(part), std::string::npos) << "'" << part << "' not in: " << exit.message;
    }
}

TEST_F(OptionsTest, DefaultsWithoutArgumentsOrConfigFile) {
    const Options options = parseValid({});
    EXPECT_EQ(options.interface, "127.0.0.1");
    EXPECT_EQ(options.advertisedAddress, "");
    EXPECT_EQ(options.listenNg, (ListenAddress{"127.0.0.1", 2223}));
    EXPECT_FALSE(options.listenTcpNg.has_value());
    EXPECT_EQ(options.portMin, 30000);
    EXPECT_EQ(options.portMax, 40000);
    EXPECT_EQ(options.numThreads, 0u);
    EXPECT_EQ(options.timeoutSeconds, 60u);
    EXPECT_EQ(options.deleteDelaySeconds, 30u);
    EXPECT_EQ(options.portQuarantineSeconds, 5u);
    EXPECT_EQ(options.logLevel, 6);
    EXPECT_EQ(options.pidfile, "");
    EXPECT_FALSE(options.foreground);
    EXPECT_FALSE(options.dtmfNoSuppress);
    EXPECT_EQ(options.configFile, "none");
    EXPECT_EQ(options.configSection, "rtcgate");
    EXPECT_EQ(options, Options{});
}

TEST_F(OptionsTest, EachLongOption) {
    const Options options =
        parseValid({"--interface=10.0.0.1", "--listen-ng=127.0.0.2:3000", "--listen-tcp-ng=127.0.0.3:3001",
                    "--port-min=20000", "--port-max=20099", "--num-threads=4", "--timeout=90", "--delete-delay=0",
                    "--port-quarantine=0", "--log-level=7", "--pidfile=/run/rtcgate.pid", "--foreground"});
    EXPECT_EQ(options.interface, "10.0.0.1");
    EXPECT_EQ(options.advertisedAddress, "");
    EXPECT_EQ(options.listenNg, (ListenAddress{"127.0.0.2", 3000}));
    EXPECT_EQ(options.listenTcpNg, (ListenAddress{"127.0.0.3", 3001}));
    EXPECT_EQ(options.portMin, 20000);
    EXPECT_EQ(options.portMax, 20099);
    EXPECT_EQ(options.numThreads, 4u);
    EXPECT_EQ(options.timeoutSeconds, 90u);
    EXPECT_EQ(options.deleteDelaySeconds, 0u);
    EXPECT_EQ(options.portQuarantineSeconds, 0u);
    EXPECT_EQ(options.logLevel, 7);
    EXPECT_EQ(options.pidfile, "/run/rtcgate.pid");
    EXPECT_TRUE(options.foreground);
}

TEST_F(OptionsTest, RtpengineShortOptionsAndSeparateValues) {
    const Options options = parseValid(
        {"-i", "10.0.0.1", "-n", "3000", "-N", "3001",       "-m", "20000",         "-M", "20099", "-o", "90",
         "-d", "5",        "-L", "3",    "-p", "/run/x.pid", "-f", "--num-threads", "8"});
    EXPECT_EQ(options.interface, "10.0.0.1");
    EXPECT_EQ(options.listenNg, (ListenAddress{"0.0.0.0", 3000}));
    EXPECT_EQ(options.listenTcpNg, (ListenAddress{"0.0.0.0", 3001}));
    EXPECT_EQ(options.portMin, 20000);
    EXPECT_EQ(options.portMax, 20099);
    EXPECT_EQ(options.timeoutSeconds, 90u);
    EXPECT_EQ(options.deleteDelaySeconds, 5u);
    EXPECT_EQ(options.logLevel, 3);
    EXPECT_EQ(options.pidfile, "/run/x.pid");
    EXPECT_TRUE(options.foreground);
    EXPECT_EQ(options.numThreads, 8u);
}

TEST_F(OptionsTest, ListenNgRtpengineForms) {
    EXPECT_EQ(parseValid({"--listen-ng=2224"}).listenNg, (ListenAddress{"0.0.0.0", 2224}));
    EXPECT_EQ(parseValid({"--listen-ng=127.0.0.1:2225"}).listenNg, (ListenAddress{"127.0.0.1", 2225}));
    EXPECT_EQ(parseValid({"--listen-ng=[::1]:2226"}).listenNg, (ListenAddress{"::1", 2226}));
    EXPECT_EQ(parseValid({"--listen-ng=[0:0::1]:2227"}).listenNg, (ListenAddress{"::1", 2227}));
    EXPECT_EQ(parseValid({"--listen-tcp-ng=[::1]:65535"}).listenTcpNg, (ListenAddress{"::1", 65535}));
}

TEST_F(OptionsTest, ListenAddressErrors) {
    expectBadValue(parseExit({"--listen-ng=::1:2223"}), {"--listen-ng", "brackets"});
    expectBadValue(parseExit({"--listen-ng=localhost:2223"}), {"--listen-ng", "'localhost'"});
    expectBadValue(parseExit({"--listen-ng=127.0.0.1"}), {"--listen-ng", "'127.0.0.1'"});
    expectBadValue(parseExit({"--listen-ng=127.0.0.1:0"}), {"--listen-ng", "'0'"});
    expectBadValue(parseExit({"--listen-ng=127.0.0.1:65536"}), {"--listen-ng", "'65536'"});
    expectBadValue(parseExit({"--listen-ng=127.0.0.1:22a"}), {"--listen-ng", "'22a'"});
    expectBadValue(parseExit({"--listen-ng=0"}), {"--listen-ng", "'0'"});
    expectBadValue(parseExit({"--listen-ng=[127.0.0.1]:2223"}), {"--listen-ng", "'[127.0.0.1]'"});
    expectBadValue(parseExit({"--listen-ng=127.0.0.1:2223;[::1]:2223"}), {"--listen-ng", "single value"});
    expectBadValue(parseExit({"--listen-tcp-ng=nonsense"}), {"--listen-tcp-ng"});
}

TEST_F(OptionsTest, InterfaceRtpengineForms) {
    Options options = parseValid({"--interface=192.0.2.1"});
    EXPECT_EQ(options.interface, "192.0.2.1");
    EXPECT_EQ(options.advertisedAddress, "");

    options = parseValid({"--interface=internal/192.0.2.2"});
    EXPECT_EQ(options.interface, "192.0.2.2");
    EXPECT_EQ(options.advertisedAddress, "");

    options = parseValid({"--interface=192.0.2.3!203.0.113.7"});
    EXPECT_EQ(options.interface, "192.0.2.3");
    EXPECT_EQ(options.advertisedAddress, "203.0.113.7");

    options = parseValid({"--interface=pub/192.0.2.4!203.0.113.8"});
    EXPECT_EQ(options.interface, "192.0.2.4");
    EXPECT_EQ(options.advertisedAddress, "203.0.113.8");

    options = parseValid({"--interface=::1"});
    EXPECT_EQ(options.interface, "::1");

    options = parseValid({"--interface=2001:db8::1!2001:db8::2"});
    EXPECT_EQ(options.interface, "2001:db8::1");
    EXPECT_EQ(options.advertisedAddress, "2001:db8::2");
}

TEST_F(OptionsTest, InterfaceErrors) {
    expectBadValue(parseExit({"--interface=eth0"}), {"--interface", "'eth0'", "not an IPv4 or IPv6 address"});
    expectBadValue(parseExit({"--interface=0.0.0.0"}), {"--interface", "unspecified"});
    expectBadValue(parseExit({"--interface=::"}), {"--interface", "unspecified"});
    expectBadValue(parseExit({"--interface=192.0.2.1!"}), {"--interface", "''"});
    expectBadValue(parseExit({"--interface=192.0.2.1!0.0.0.0"}), {"--interface", "unspecified"});
    expectBadValue(parseExit({"--interface=192.0.2.1!example.com"}), {"--interface", "'example.com'"});
    expectBadValue(parseExit({"--interface=192.0.2.0/24"}), {"--interface", "'24'"});
    expectBadValue(parseExit({"--interface=192.0.2.1;192.0.2.2"}), {"--interface", "single value"});
}

TEST_F(OptionsTest, PortMinIsRoundedUpToEven) {
    const Options options = parseValid({"--port-min=30001", "--port-max=30010"});
    EXPECT_EQ(options.portMin, 30002);
    EXPECT_EQ(options.portMax, 30010);
}

TEST_F(OptionsTest, SmallestPortRangeHoldsFourPorts) {
    const Options options = parseValid({"--port-min=30000", "--port-max=30003"});
    EXPECT_EQ(options.portMin, 30000);
    EXPECT_EQ(options.portMax, 30003);
    const Options top = parseValid({"--port-min=65532", "--port-max=65535"});
    EXPECT_EQ(top.portMin, 65532);
    EXPECT_EQ(top.portMax, 65535);
}

TEST_F(OptionsTest, PortRangeErrors) {
    expectBadValue(parseExit({"--port-min=1023"}), {"--port-min", "1023", "at least 1024"});
    expectBadValue(parseExit({"--port-min=-5"}), {"--port-min", "at least 1024"});
    expectBadValue(parseExit({"--port-max=65536"}), {"--port-max", "at most 65535"});
    expectBadValue(parseExit({"--port-min=30000", "--port-max=29999"}), {"--port-min 30000", "--port-max 29999"});
    expectBadValue(parseExit({"--port-min=30000", "--port-max=30002"}), {"fewer than 4"});
    // Rounded up to 30002, 30002..30004 holds three ports.
    expectBadValue(parseExit({"--port-min=30001", "--port-max=30004"}), {"fewer than 4"});
    expectBadValue(parseExit({"--port-min=65535", "--port-max=65535"}), {"fewer than 4"});
    expectBadValue(parseExit({"--port-min=abc"}), {"port-min", "abc"});
}

TEST_F(OptionsTest, NumThreadsRange) {
    EXPECT_EQ(parseValid({"--num-threads=256"}).numThreads, 256u);
    expectBadValue(parseExit({"--num-threads=257"}), {"--num-threads", "at most 256"});
    expectBadValue(parseExit({"--num-threads=-1"}), {"--num-threads", "at least 0"});
}

TEST_F(OptionsTest, TimeoutAndDeleteDelayRanges) {
    expectBadValue(parseExit({"--timeout=0"}), {"--timeout", "at least 1"});
    expectBadValue(parseExit({"--delete-delay=-1"}), {"--delete-delay", "at least 0"});
    expectBadValue(parseExit({"--timeout=99999999999"}), {"timeout"});
}

TEST_F(OptionsTest, LogLevelNamesAndNumbers) {
    const std::vector<std::pair<std::string, int>> levels{
        {"emerg", 0},  {"alert", 1}, {"crit", 2},  {"error", 3}, {"err", 3}, {"warning", 4}, {"warn", 4},
        {"notice", 5}, {"info", 6},  {"debug", 7}, {"DEBUG", 7}, {"0", 0},   {"7", 7},
    };
    for (const auto& [text, level] : levels) {
        EXPECT_EQ(parseValid({"--log-level=" + text}).logLevel, level) << text;
    }
}

TEST_F(OptionsTest, LogLevelErrors) {
    for (const std::string text : {"8", "-1", "verbose", "6x"}) {
        expectBadValue(parseExit({"--log-level=" + text}), {"--log-level", "'" + text + "'"});
    }
}

TEST_F(OptionsTest, CommandLineSyntaxErrorsAreUsageErrors) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--no-such-option"},
             {"--port-min"},
             {"--log-level="},
             {"stray"},
             {"--port-min=30000", "30001"},
             {"--port=30000"}, // no abbreviations
             {"--interface=192.0.2.1", "--interface=192.0.2.2"},
         }) {
        const OptionsExit exit = parseExit(args);
        EXPECT_EQ(exit.exitCode, kExitUsage) << args.front() << ": " << exit.message;
        EXPECT_NE(exit.message.find("--help"), std::string::npos) << exit.message;
    }
}

TEST_F(OptionsTest, HelpListsEveryOptionWithItsDefault) {
    const OptionsExit exit = parseExit({"--help"});
    EXPECT_EQ(exit.exitCode, kExitOk);
    for (const std::string& part : std::vector<std::string>{"--help",
                                                            "--version",
                                                            "--config-file",
                                                            "--config-section",
                                                            "--interface",
                                                            "--listen-ng",
                                                            "--listen-tcp-ng",
                                                            "--port-min",
                                                            "--port-max",
                                                            "--num-threads",
                                                            "--timeout",
                                                            "--delete-delay",
                                                            "--log-level",
                                                            "--pidfile",
                                                            "--foreground",
                                                            "(=127.0.0.1)",
                                                            "(=127.0.0.1:2223)",
                                                            "(=30000)",
                                                            "(=40000)",
                                                            "(=0)",
                                                            "(=60)",
                                                            "(=30)",
                                                            "(=6)",
                                                            "(=rtcgate)",
                                                            defaultConfigFile_ + " if it exists"}) {
        EXPECT_NE(exit.message.find(part), std::string::npos) << "'" << part << "' not in:\n" << exit.message;
    }
    EXPECT_EQ(parseExit({"-h"}).message, exit.message);
}

TEST_F(OptionsTest, HelpWinsOverBadValues) {
    const OptionsExit exit = parseExit({"--port-min=1", "--help"});
    EXPECT_EQ(exit.exitCode, kExitOk);
    EXPECT_NE(exit.message.find("Usage:"), std::string::npos);
}

TEST_F(OptionsTest, Version) {
    const OptionsExit exit = parseExit({"--version"});
    EXPECT_EQ(exit.exitCode, kExitOk);
    EXPECT_EQ(exit.message.rfind("rtcgated ", 0), 0u) << exit.message;
    EXPECT_GT(exit.message.size(), std::string("rtcgated \n").size());
    EXPECT_EQ(exit.message.back(), '\n');
    EXPECT_EQ(parseExit({"-v"}).message, exit.message);
}

TEST_F(OptionsTest, ConfigFileSectionIsRead) {
    const auto path = writeFile("rtcgate.conf", "# comment\n"
                                                "[rtcgate]\n"
                                                "interface = internal/192.0.2.1!203.0.113.9\n"
                                                "listen-ng = [::1]:3000\n"
                                                "listen-tcp-ng = 3001\n"
                                                "port-min = 20001\n"
                                                "port-max = 20099\n"
                                                "num-threads = 3\n"
                                                "timeout = 45\n"
                                                "delete-delay = 10\n"
                                                "log-level = debug\n"
                                                "pidfile = /run/rtcgate.pid\n"
                                                "foreground = true\n");
    const Options options = parseValid({"--config-file=" + path});
    EXPECT_EQ(options.interface, "192.0.2.1");
    EXPECT_EQ(options.advertisedAddress, "203.0.113.9");
    EXPECT_EQ(options.listenNg, (ListenAddress{"::1", 3000}));
    EXPECT_EQ(options.listenTcpNg, (ListenAddress{"0.0.0.0", 3001}));
    EXPECT_EQ(options.portMin, 20002);
    EXPECT_EQ(options.portMax, 20099);
    EXPECT_EQ(options.numThreads, 3u);
    EXPECT_EQ(options.timeoutSeconds, 45u);
    EXPECT_EQ(options.deleteDelaySeconds, 10u);
    EXPECT_EQ(options.logLevel, 7);
    EXPECT_EQ(options.pidfile, "/run/rtcgate.pid");
    EXPECT_TRUE(options.foreground);
    EXPECT_EQ(options.configFile, path);
}

TEST_F(OptionsTest, ConfigFileOtherSectionsAreIgnored) {
    const auto path = writeFile("shared.conf", "[rtpengine]\n"
                                               "interface = 192.0.2.50\n"
                                               "table = 0\n"
                                               "[rtcgate]\n"
                                               "port-min = 21000\n"
                                               "[other]\n"
                                               "port-min = 22000\n"
                                               "whatever = 1\n");
    const Options options = parseValid({"--config-file=" + path});
    EXPECT_EQ(options.interface, "127.0.0.1");
    EXPECT_EQ(options.portMin, 21000);
}

TEST_F(OptionsTest, CommandLineWinsOverConfigFile) {
    const auto path = writeFile("rtcgate.conf", "[rtcgate]\n"
                                                "port-min = 21000\n"
                                                "port-max = 29999\n"
                                                "interface = 192.0.2.1\n");
    const Options options = parseValid({"--port-min=25000", "--config-file=" + path, "-i", "192.0.2.2"});
    EXPECT_EQ(options.portMin, 25000);
    EXPECT_EQ(options.portMax, 29999); // from the file
    EXPECT_EQ(options.interface, "192.0.2.2");
}

TEST_F(OptionsTest, ConfigSectionSelectsAnotherSection) {
    const auto path = writeFile("rtpengine.conf", "[rtcgate]\n"
                                                  "port-min = 21000\n"
                                                  "[rtpengine]\n"
                                                  "port-min = 23000\n"
                                                  "listen-ng = 127.0.0.1:22222\n");
    const Options options = parseValid({"--config-file=" + path, "--config-section=rtpengine"});
    EXPECT_EQ(options.portMin, 23000);
    EXPECT_EQ(options.listenNg, (ListenAddress{"127.0.0.1", 22222}));
    EXPECT_EQ(options.configSection, "rtpengine");
    expectBadValue(parseExit({"--config-section", ""}), {"--config-section"});
}

TEST_F(OptionsTest, AnRtpengineConfFileIsReadAndItsOtherOptionsAreIgnoredByName) {
    const auto path = writeFile("rtpengine.conf", "[rtpengine]\n"
                                                  "table = -1\n"
                                                  "interface = 192.0.2.7\n"
                                                  "listen-ng = 127.0.0.1:22222\n"
                                                  "port-min = 23000\n"
                                                  "port-max = 32000\n"
                                                  "log-facility = local1\n"
                                                  "tos = 184\n"
                                                  "no-fallback = true\n");
    const Options options = parseValid({"--config-file=" + path, "--config-section=rtpengine"});
    EXPECT_EQ(options.interface, "192.0.2.7");
    EXPECT_EQ(options.portMin, 23000);
    EXPECT_EQ(options.ignoredRtpengineOptions,
              (std::vector<std::string>{"log-facility", "no-fallback", "table", "tos"}));
    const auto typo = writeFile("typo.conf", "[rtpengine]\ntabel = -1\n");
    expectBadValue(parseExit({"--config-file=" + typo, "--config-section=rtpengine"}), {"unknown key 'tabel'"});
}

TEST_F(OptionsTest, DtmfNoSuppressIsRtpenginesFlagAndNotIgnored) {
    const Options options = parseValid({"--dtmf-no-suppress"});
    EXPECT_TRUE(options.dtmfNoSuppress);
    EXPECT_TRUE(options.ignoredRtpengineOptions.empty());
    const auto path = writeFile("suppress.conf", "[rtpengine]\ndtmf-no-suppress = true\n");
    EXPECT_TRUE(parseValid({"--config-file=" + path, "--config-section=rtpengine"}).dtmfNoSuppress);
}

TEST_F(OptionsTest, AnRtpengineCommandLineIsAcceptedAndItsOtherOptionsAreIgnoredByName) {
    const Options options = parseValid(
        {"--table=-1", "--no-fallback", "--interface=192.0.2.8", "--log-stderr", "--listen-udp=127.0.0.1:12222"});
    EXPECT_EQ(options.interface, "192.0.2.8");
    EXPECT_EQ(options.ignoredRtpengineOptions,
              (std::vector<std::string>{"listen-udp", "log-stderr", "no-fallback", "table"}));
    EXPECT_TRUE(parseValid({}).ignoredRtpengineOptions.empty());
    const auto help = parseExit({"--help"});
    EXPECT_EQ(help.message.find("table"), std::string::npos) << "ignored options are not advertised";
    EXPECT_EQ(parseExit({"--tabel=-1"}).exitCode, kExitUsage);
}

TEST_F(OptionsTest, LoadLimitsAreRtpenginesAndNoneByDefault) {
    const Options none = parseValid({});
    EXPECT_FALSE(none.maxSessions || none.maxLoad || none.maxCpu || none.maxBandwidth);
    const Options set = parseValid({"--max-sessions=10", "--max-load=4.5", "--max-cpu=80", "--max-bandwidth=1000000"});
    EXPECT_EQ(set.maxSessions, 10U);
    EXPECT_EQ(set.maxLoad, 4.5);
    EXPECT_EQ(set.maxCpu, 80.0);
    EXPECT_EQ(set.maxBandwidth, 1000000U);
    EXPECT_TRUE(set.ignoredRtpengineOptions.empty());
    // rtpengine's "no limit": -1 sessions, 0 for the others.
    const Options off = parseValid({"--max-sessions=-1", "--max-load=0", "--max-cpu=0", "--max-bandwidth=0"});
    EXPECT_FALSE(off.maxSessions || off.maxLoad || off.maxCpu || off.maxBandwidth);
    EXPECT_EQ(parseValid({"--max-sessions=0"}).maxSessions, 0U); // no new call at all
    expectBadValue(parseExit({"--max-sessions=-2"}), {"--max-sessions"});
    expectBadValue(parseExit({"--max-cpu=-5"}), {"--max-cpu"});
    expectBadValue(parseExit({"--max-bandwidth=-1"}), {"--max-bandwidth"});
    const auto path = writeFile("limits.conf", "[rtpengine]\nmax-sessions = 5\nmax-cpu = 90.5\n");
    const Options fromFile = parseValid({"--config-file=" + path, "--config-section=rtpengine"});
    EXPECT_EQ(fromFile.maxSessions, 5U);
    EXPECT_EQ(fromFile.maxCpu, 90.5);
    EXPECT_TRUE(fromFile.ignoredRtpengineOptions.empty());
}

TEST_F(OptionsTest, AdaptiveOpusComplexityIsOffByDefaultAndAPercent) {
    EXPECT_EQ(parseValid({}).opusComplexityCpu, 0.0);
    EXPECT_EQ(parseValid({"--opus-complexity-cpu=70"}).opusComplexityCpu, 70.0);
    expectBadValue(parseExit({"--opus-complexity-cpu=-1"}), {"--opus-complexity-cpu"});
    expectBadValue(parseExit({"--opus-complexity-cpu=101"}), {"--opus-complexity-cpu"});
}

TEST_F(OptionsTest, ConfigFileUnknownKeyIsRejectedByName) {
    const auto path = writeFile("rtcgate.conf", "[rtcgate]\n"
                                                "port-min = 21000\n"
                                                "prot-max = 21999\n");
    expectBadValue(parseExit({"--config-file=" + path}), {path, "unknown key 'prot-max'", "[rtcgate]"});
}

TEST_F(OptionsTest, ConfigFileRejectsCommandLineOnlyKeys) {
    const auto path = writeFile("rtcgate.conf", "[rtcgate]\nconfig-file = /etc/other.conf\n");
    expectBadValue(parseExit({"--config-file=" + path}), {path, "'config-file'", "command line"});
}

TEST_F(OptionsTest, ConfigFileKeyOutsideAnySectionIsRejected) {
    const auto path = writeFile("rtcgate.conf", "port-min = 21000\n[rtcgate]\n");
    expectBadValue(parseExit({"--config-file=" + path}), {path, "'port-min'", "outside any section"});
}

TEST_F(OptionsTest, ConfigFileValuesAreValidated) {
    const auto badPort = writeFile("port.conf", "[rtcgate]\nport-min = 70000\n");
    expectBadValue(parseExit({"--config-file=" + badPort}), {"--port-min", "at most 65535"});
    const auto notNumber = writeFile("number.conf", "[rtcgate]\ntimeout = soon\n");
    expectBadValue(parseExit({"--config-file=" + notNumber}), {notNumber, "soon"});
    const auto badBool = writeFile("bool.conf", "[rtcgate]\nforeground = maybe\n");
    expectBadValue(parseExit({"--config-file=" + badBool}), {badBool, "maybe"});
    const auto emptyListen = writeFile("empty-listen.conf", "[rtcgate]\nlisten-ng =\n");
    expectBadValue(parseExit({"--config-file=" + emptyListen}), {"--listen-ng", "''"});
    const auto emptyLevel = writeFile("empty-level.conf", "[rtcgate]\nlog-level =\n");
    expectBadValue(parseExit({"--config-file=" + emptyLevel}), {"--log-level", "''"});
    const auto list = writeFile("list.conf", "[rtcgate]\ninterface = a/192.0.2.1;b/192.0.2.2\n");
    expectBadValue(parseExit({"--config-file=" + list}), {"--interface", "single value"});
}

TEST_F(OptionsTest, ConfigFileSyntaxAndDuplicateKeyErrors) {
    const auto syntax = writeFile("syntax.conf", "[rtcgate]\nport-min 21000\n");
    expectBadValue(parseExit({"--config-file=" + syntax}), {syntax});
    const auto duplicate = writeFile("duplicate.conf", "[rtcgate]\nport-min = 21000\nport-min = 22000\n");
    expectBadValue(parseExit({"--config-file=" + duplicate}), {duplicate, "port-min"});
}

TEST_F(OptionsTest, MissingExplicitConfigFileIsAnError) {
    const auto path = (dir_ / "missing.conf").string();
    expectBadValue(parseExit({"--config-file=" + path}), {path, "does not exist"});
    expectBadValue(parseExit({"--config-file=" + dir_.string()}), {"directory"});
}

TEST_F(OptionsTest, DefaultConfigFileIsReadWhenItExists) {
    writeFile("default.conf", "[rtcgate]\nport-min = 21000\n");
    const Options options = parseValid({});
    EXPECT_EQ(options.portMin, 21000);
    EXPECT_EQ(options.configFile, defaultConfigFile_);
}

TEST_F(OptionsTest, ConfigFileNoneReadsNoFile) {
    writeFile("default.conf", "[rtcgate]\nport-min = 21000\n");
    const Options options = parseValid({"--config-file=none"});
    EXPECT_EQ(options.portMin, 30000);
    EXPECT_EQ(options.configFile, "none");
}

TEST_F(OptionsTest, DtlsCertificateAndKeyGoTogether) {
    const Options options = parseValid({"--dtls-cert=/etc/rtcgate/cert.pem", "--dtls-key", "/etc/rtcgate/key.pem"});
    EXPECT_EQ(options.dtlsCert, "/etc/rtcgate/cert.pem");
    EXPECT_EQ(options.dtlsKey, "/etc/rtcgate/key.pem");
    EXPECT_EQ(parseValid({}).dtlsCert, "");
    expectBadValue(parseExit({"--dtls-cert=/etc/rtcgate/cert.pem"}), {"--dtls-cert", "--dtls-key"});
    expectBadValue(parseExit({"--dtls-key=/etc/rtcgate/key.pem"}), {"--dtls-cert", "--dtls-key"});
}

TEST_F(OptionsTest, DtmfLogDestIsNoneByDefault) {
    EXPECT_FALSE(parseValid({}).dtmfLogDest.has_value());
    const auto help = parseExit({"--help"});
    EXPECT_NE(help.message.find("--dtmf-log-dest ADDR:PORT"), std::string::npos) << help.message;
}

TEST_F(OptionsTest, DtmfLogDestTakesAnIPv4OrBracketedIPv6AddressAndPort) {
    EXPECT_EQ(parseValid({"--dtmf-log-dest=127.0.0.1:5000"}).dtmfLogDest, net::makeEndpoint("127.0.0.1", 5000));
    EXPECT_EQ(parseValid({"--dtmf-log-dest", "[::1]:5000"}).dtmfLogDest, net::makeEndpoint("::1", 5000));
    const Options options = parseValid({"--dtmf-log-dest=192.0.2.9:65535"});
    EXPECT_TRUE(options.ignoredRtpengineOptions.empty()) << "dtmf-log-dest is implemented, not ignored";
}

TEST_F(OptionsTest, DtmfLogDestFromTheConfigFile) {
    const auto path = writeFile("rtcgate.conf", "[rtcgate]\ndtmf-log-dest = [2001:db8::1]:5001\n");
    EXPECT_EQ(parseValid({"--config-file=" + path}).dtmfLogDest, net::makeEndpoint("2001:db8::1", 5001));
    EXPECT_EQ(parseValid({"--config-file=" + path, "--dtmf-log-dest=127.0.0.1:5002"}).dtmfLogDest,
              net::makeEndpoint("127.0.0.1", 5002));
    const auto empty = writeFile("empty.conf", "[rtcgate]\ndtmf-log-dest =\n");
    expectBadValue(parseExit({"--config-file=" + empty}), {"--dtmf-log-dest", "''"});
}

TEST_F(OptionsTest, DtmfLogDestWithoutAPortIsRejected) {
    for (const std::string value : {"127.0.0.1", "[::1]", "127.0.0.1:", "[::1]:"}) {
        expectBadValue(parseExit({"--dtmf-log-dest=" + value}), {"--dtmf-log-dest", "'" + value + "'"});
    }
    expectBadValue(parseExit({"--dtmf-log-dest=127.0.0.1"}), {"no port"});
    expectBadValue(parseExit({"--dtmf-log-dest=127.0.0.1:70000"}), {"not a port number"});
}

TEST_F(OptionsTest, DtmfLogDestWithABadAddressIsRejected) {
    for (const std::string value : {"5000", "localhost:5000", "127.0.0.256:5000", "::1:5000", "[127.0.0.1]:5000",
                                    "0.0.0.0:5000", "[::]:5000", "127.0.0.1:5000;127.0.0.2:5000"}) {
        expectBadValue(parseExit({"--dtmf-log-dest=" + value}), {"--dtmf-log-dest", "'" + value + "'"});
    }
    expectBadValue(parseExit({"--dtmf-log-dest=5000"}), {"no address"});
    expectBadValue(parseExit({"--dtmf-log-dest=0.0.0.0:5000"}), {"not an address to send to"});
}

} // namespace
} // namespace rtcgate::daemon
