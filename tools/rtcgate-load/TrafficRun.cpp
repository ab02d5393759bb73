#include "TrafficRun.hpp"

#include "StopRequest.hpp"

#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <system_error>

namespace rtcgate::load {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kTick = std::chrono::milliseconds{1};
constexpr std::uint32_t kTimerTag = UINT32_MAX;
constexpr int kMaxEvents = 256;
constexpr int kMaxBatchesPerWakeUp = 8; // then the next socket's turn; epoll is level-triggered
// Past the drain: the run stops whatever happens.
constexpr auto kSafetyMargin = std::chrono::seconds{10};

std::int64_t realtimeNs() {
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

[[noreturn]] void throwErrno(const char* what) {
    throw std::system_error(errno, std::generic_category(), what);
}

} // namespace

TrafficRun::TrafficRun(const LoadConfig& config, std::vector<PartySocket>& parties, TrafficPattern& pattern)
    : config_(config), parties_(parties), pattern_(pattern) {
    epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_ < 0) {
        throwErrno("epoll_create1");
    }
    timer_ = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (timer_ < 0) {
        throwErrno("timerfd_create");
    }
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u32 = kTimerTag;
    if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, timer_, &event) != 0) {
        throwErrno("epoll_ctl (timer)");
    }
    for (std::size_t p = 0; p < parties_.size(); ++p) {
        event.data.u32 = static_cast<std::uint32_t>(p);
        if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, parties_[p].fd(), &event) != 0) {
            throwErrno("epoll_ctl (party socket)");
        }
    }
}

TrafficRun::~TrafficRun() {
    if (timer_ >= 0) {
        ::close(timer_);
    }
    if (epoll_ >= 0) {
        ::close(epoll_);
    }
}

std::uint64_t TrafficRun::receivedTotal(const TrafficResult& result) const {
    return result.directions[CallerToCallee].received + result.directions[CalleeToCaller].received;
}

// Tick t sends packet t / ptime of the parties in slot t % ptime: party p is
// in slot p % ptime, so each tick carries 1/ptime of the parties.
void TrafficRun::sendTick(std::uint64_t tick, TrafficResult& result) {
    const std::uint64_t ptime = config_.ptimeMs;
    const auto sequence = static_cast<std::uint32_t>(tick / ptime);
    for (std::size_t p = tick % ptime; p < parties_.size(); p += ptime) {
        const auto datagram = pattern_.packet(p, sequence, realtimeNs());
        const PartySocket& party = parties_[p];
        const ssize_t sent = datagram.empty() ? -1
                                              : ::sendto(party.fd(), datagram.data(), datagram.size(), MSG_DONTWAIT,
                                                         party.destination(), party.destinationLength());
        if (sent == static_cast<ssize_t>(datagram.size())) {
            ++result.directions[p % 2].sent;
        } else {
            ++result.sendErrors;
        }
    }
}

void TrafficRun::receiveFrom(std::size_t party, TrafficResult& result) {
    for (int round = 0; round < kMaxBatchesPerWakeUp; ++round) {
        const std::size_t count = batch_.receive(parties_[party].fd());
        const std::int64_t now = count > 0 ? realtimeNs() : 0;
        for (std::size_t i = 0; i < count; ++i) {
            if (batch_.truncated(i)) {
                ++result.foreign;
                continue;
            }
            pattern_.receive(party, batch_.buffer(i), batch_.packet(i).size(),
                             batch_.kernelTimestampNs(i).value_or(now), result);
        }
        if (count < net::ReceiveBatch::kCapacity) {
            return;
        }
    }
}

TrafficResult TrafficRun::run() {
    TrafficResult result;
    const std::uint64_t totalTicks = config_.packetsPerParty() * config_.ptimeMs;
    const Clock::time_point start = Clock::now();
    const Clock::time_point hardDeadline = start + config_.duration + config_.drain + kSafetyMargin;

    itimerspec period{};
    period.it_interval.tv_nsec = std::chrono::nanoseconds{kTick}.count();
    period.it_value.tv_nsec = 1; // fires at once, then every tick
    if (::timerfd_settime(timer_, 0, &period, nullptr) != 0) {
        throwErrno("timerfd_settime");
    }

    std::array<epoll_event, kMaxEvents> events{};
    std::uint64_t nextTick = 0;
    Clock::time_point sendingDone{};
    bool sending = true;
    for (;;) {
        const int ready = ::epoll_wait(epoll_, events.data(), kMaxEvents, 10);
        if (ready < 0 && errno != EINTR) {
            throwErrno("epoll_wait");
        }
        for (int i = 0; i < ready; ++i) {
            if (events[i].data.u32 == kTimerTag) {
                std::uint64_t expirations = 0;
                [[maybe_unused]] auto n = ::read(timer_, &expirations, sizeof expirations);
            } else {
                receiveFrom(events[i].data.u32, result);
            }
        }

        const Clock::time_point now = Clock::now();
        if (const Clock::time_point due = start + nextTick * kTick;
            sending && now - std::chrono::milliseconds(config_.ptimeMs) >= due) {
            ++result.stalls;
            result.stalled += now - due;
        }
        while (sending && start + nextTick * kTick <= now) {
            const auto lateness = now - (start + nextTick * kTick);
            if (lateness > kTick) {
                ++result.lateTicks;
            }
            result.maxTickLateness = std::max<std::chrono::nanoseconds>(result.maxTickLateness, lateness);
            sendTick(nextTick, result);
            if (++nextTick == totalTicks || stopRequested()) {
                sending = false;
                sendingDone = Clock::now();
                result.sending = sendingDone - start;
                const itimerspec stop{};
                ::timerfd_settime(timer_, 0, &stop, nullptr);
            }
        }
        if (!sending) {
            const std::uint64_t sent = result.directions[0].sent + result.directions[1].sent;
            if (receivedTotal(result) >= sent || now >= sendingDone + config_.drain) {
                break;
            }
        }
        if (now >= hardDeadline) {
            break;
        }
    }
    if (sending) { // stopped by the hard deadline: the tool could not keep up at all
        result.sending = Clock::now() - start;
    } else {
        result.drained = Clock::now() - sendingDone;
    }
    return result;
}

} // namespace rtcgate::load
