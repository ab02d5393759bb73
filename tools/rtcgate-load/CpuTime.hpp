// CPU time (user + system, all threads) of the daemon and of this process.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>

namespace rtcgate::load {

// From /proc/PID/stat (utime + stime, in clock ticks); nullopt when the
// process does not exist or the file cannot be read.
std::optional<std::chrono::nanoseconds> processCpuTime(pid_t pid);

// getrusage(RUSAGE_SELF).
std::chrono::nanoseconds ownCpuTime();

// CPU time spent by the whole machine, every CPU and every process (the
// "cpu" line of /proc/stat: all but idle and iowait); nullopt when unreadable.
// Less the daemon's and the tool's own, it tells how busy everything else was.
std::optional<std::chrono::nanoseconds> machineBusyTime();

} // namespace rtcgate::load
