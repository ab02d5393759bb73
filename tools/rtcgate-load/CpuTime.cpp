#include "CpuTime.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace rtcgate::load {

std::optional<std::chrono::nanoseconds> processCpuTime(pid_t pid) {
    std::ifstream file{"/proc/" + std::to_string(pid) + "/stat"};
    std::string text{std::istreambuf_iterator<char>{file}, std::istreambuf_iterator<char>{}};
    // proc(5): "pid (comm) state ..." where comm may hold spaces and ')';
    // utime and stime are fields 14 and 15, the 12th and 13th after comm.
    const auto commEnd = text.rfind(')');
    if (commEnd == std::string::npos) {
        return std::nullopt;
    }
    std::istringstream fields{text.substr(commEnd + 1)};
    std::string skipped;
    for (int i = 0; i < 11; ++i) {
        fields >> skipped;
    }
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    if (!(fields >> utime >> stime)) {
        return std::nullopt;
    }
    const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    return std::chrono::nanoseconds{static_cast<long long>((utime + stime) * (1'000'000'000ULL / ticksPerSecond))};
}

std::optional<std::chrono::nanoseconds> machineBusyTime() {
    std::ifstream file{"/proc/stat"};
    std::string label;
    if (!(file >> label) || label != "cpu") {
        return std::nullopt;
    }
    // proc(5): user nice system idle iowait irq softirq steal (guest time is in user already).
    unsigned long long busy = 0;
    unsigned long long value = 0;
    for (int field = 0; field < 8 && (file >> value); ++field) {
        if (field != 3 && field != 4) {
            busy += value;
        }
    }
    const long ticksPerSecond = ::sysconf(_SC_CLK_TCK);
    return std::chrono::nanoseconds{static_cast<long long>(busy * (1'000'000'000ULL / ticksPerSecond))};
}

std::chrono::nanoseconds ownCpuTime() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto micros = [](const timeval& t) { return static_cast<long long>(t.tv_sec) * 1'000'000 + t.tv_usec; };
    return std::chrono::microseconds{micros(usage.ru_utime) + micros(usage.ru_stime)};
}

} // namespace rtcgate::load
