#include "StopRequest.hpp"

#include <csignal>

namespace rtcgate::load {

namespace {

volatile std::sig_atomic_t stop = 0;

extern "C" void onStopSignal(int /*signal*/) {
    stop = 1;
}

} // namespace

void installStopHandlers() {
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

bool stopRequested() {
    return stop != 0;
}

} // namespace rtcgate::load
