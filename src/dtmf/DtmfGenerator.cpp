#include "rtcgate/dtmf/DtmfGenerator.hpp"

#include "rtcgate/dtmf/TelephoneEvent.hpp"

// dtmf.h needs these headers before it (SPAN_DECLARE, logging_state_t, tone_report_func_t), in this order.
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/logging.h>
#include <spandsp/super_tone_rx.h>
#include <spandsp/dtmf.h>
// clang-format on

#include <algorithm>
#include <climits>
#include <new>

namespace rtcgate::dtmf {

namespace {
// A digit lasts at most a minute: longer requests are cut (spandsp counts in int samples).
constexpr int kMaxMs = 60'000;
// Two tones of equal level L sum to a power of L + 3 dB.
constexpr int kPairOverToneDb = 3;

int clampMs(std::chrono::milliseconds value) {
    return static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(value.count(), 0, kMaxMs));
}
} // namespace

void DtmfGenerator::Free::operator()(dtmf_tx_state_s* state) const {
    dtmf_tx_free(state);
}

DtmfGenerator::DtmfGenerator() : state_(dtmf_tx_init(nullptr)) {
    if (!state_) {
        throw std::bad_alloc();
    }
}

bool DtmfGenerator::queue(char digit, std::chrono::milliseconds duration, int levelDbm0,
                          std::chrono::milliseconds pause) noexcept {
    const std::optional<std::uint8_t> event = eventOf(digit);
    if (!event || queuedCount_ == queue_.size()) {
        return false;
    }
    queue_[(queueHead_ + queuedCount_) % queue_.size()] = Tone{
        .digit = digitOf(*event),
        .durationMs = clampMs(duration),
        .levelDbm0 = std::clamp(levelDbm0, -63, 0),
        .pauseMs = clampMs(pause),
    };
    ++queuedCount_;
    return true;
}

bool DtmfGenerator::generate(std::span<std::int16_t> frame) noexcept {
    if (idle() || frame.size() > INT_MAX) {
        return false;
    }
    std::size_t filled = 0;
    bool produced = false;
    while (filled < frame.size()) {
        if (!playing_ && !startNext()) {
            break;
        }
        const int wanted = static_cast<int>(frame.size() - filled);
        const int count = dtmf_tx(state_.get(), frame.data() + filled, wanted);
        filled += static_cast<std::size_t>(std::max(count, 0));
        produced = produced || count > 0;
        if (count < wanted) {
            playing_ = false; // its tone and pause are over
        }
    }
    if (!produced) {
        return false;
    }
    std::fill(frame.begin() + static_cast<std::ptrdiff_t>(filled), frame.end(), std::int16_t{0});
    return true;
}

void DtmfGenerator::clear() noexcept {
    queuedCount_ = 0;
    playing_ = false;
    dtmf_tx_init(state_.get()); // forgets the tone playing
}

bool DtmfGenerator::startNext() noexcept {
    if (queuedCount_ == 0) {
        return false;
    }
    const Tone tone = queue_[queueHead_];
    queueHead_ = (queueHead_ + 1) % queue_.size();
    --queuedCount_;
    // spandsp takes the timing and level when a digit starts: so one digit is handed over at a time.
    dtmf_tx_set_timing(state_.get(), tone.durationMs, tone.pauseMs);
    dtmf_tx_set_level(state_.get(), tone.levelDbm0 - kPairOverToneDb, 0);
    const char digit = tone.digit;
    dtmf_tx_put(state_.get(), &digit, 1);
    playing_ = true;
    return true;
}

} // namespace rtcgate::dtmf
