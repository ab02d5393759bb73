#include "rtcgate/dtmf/DtmfDetector.hpp"

// dtmf.h needs these headers before it (SPAN_DECLARE, logging_state_t, tone_report_func_t), in this order.
// clang-format off
#include <spandsp/telephony.h>
#include <spandsp/logging.h>
#include <spandsp/super_tone_rx.h>
#include <spandsp/dtmf.h>
// clang-format on

#include <algorithm>
#include <new>

namespace rtcgate::dtmf {

namespace {
// spandsp decides on blocks of 102 samples (DTMF_SAMPLES_PER_BLOCK) and needs two blocks that
// agree to confirm a change.
constexpr std::size_t kBlockSamples = 102;
constexpr std::uint64_t kConfirmationDelaySamples = 2 * kBlockSamples;
} // namespace

void DtmfDetector::Free::operator()(dtmf_rx_state_s* state) const {
    dtmf_rx_free(state);
}

DtmfDetector::DtmfDetector() : state_(dtmf_rx_init(nullptr, nullptr, nullptr)) {
    if (!state_) {
        throw std::bad_alloc();
    }
    dtmf_rx_set_realtime_callback(state_.get(), &DtmfDetector::onToneChange, this);
}

std::span<const DetectedDigit> DtmfDetector::process(std::span<const std::int16_t> samples) noexcept {
    detectedCount_ = 0;
    std::size_t done = 0;
    while (done < samples.size()) {
        // spandsp reports changes only at the end of a block: fed up to each block's end, the end
        // of what it was fed is where the change was confirmed.
        const std::size_t count = std::min(samples.size() - done, kBlockSamples - blockFill_);
        confirmedAt_ = samplesProcessed_ + count;
        dtmf_rx(state_.get(), samples.data() + done, static_cast<int>(count));
        samplesProcessed_ += count;
        blockFill_ = (blockFill_ + count) % kBlockSamples;
        done += count;
    }
    return std::span(detected_).first(detectedCount_);
}

std::optional<DetectedDigit> DtmfDetector::current() const {
    if (!inDigit_) {
        return std::nullopt;
    }
    return current_;
}

void DtmfDetector::onToneChange(void* self, int code, int level, int /*delay*/) {
    static_cast<DtmfDetector*>(self)->toneChanged(code, level);
}

void DtmfDetector::toneChanged(int code, int level) {
    if (inDigit_) {
        current_.durationSamples = static_cast<std::uint32_t>(confirmedAt_ - digitConfirmedAt_);
        if (detectedCount_ < detected_.size()) {
            detected_[detectedCount_++] = current_;
        }
        inDigit_ = false;
    }
    // A new digit may follow the previous one without a gap (spandsp reports no end between them).
    if (code != 0) {
        current_ = DetectedDigit{
            .digit = static_cast<char>(code),
            .startSample = confirmedAt_ >= kConfirmationDelaySamples ? confirmedAt_ - kConfirmationDelaySamples : 0,
            .durationSamples = 0,
            .levelDbm0 = level,
        };
        digitConfirmedAt_ = confirmedAt_;
        inDigit_ = true;
    }
}

} // namespace rtcgate::dtmf
