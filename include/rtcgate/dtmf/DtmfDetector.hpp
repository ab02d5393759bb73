// In-band DTMF detection (ITU-T Q.23/Q.24) on 8 kHz linear audio, on spandsp's dtmf_rx: for a
// party that sends its digits as tones. Each digit is reported once, when it ends, with where it
// started in the audio fed so far and how long it lasted.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

struct dtmf_rx_state_s; // spandsp's dtmf_rx_state_t

namespace rtcgate::dtmf {

struct DetectedDigit {
    char digit = '\0';             // '0'-'9', '*', '#', 'A'-'D'
    std::uint64_t startSample = 0; // index, in all the samples fed, of the digit's first sample
    std::uint32_t durationSamples = 0;
    int levelDbm0 = 0; // the power of the tone pair as the detector measured it

    std::uint32_t durationMs() const { return durationSamples / 8; }
};

class DtmfDetector {
public:
    static constexpr std::size_t kMaxDigitsPerCall = 8;

    // Allocates spandsp's state; throws std::bad_alloc when it cannot.
    DtmfDetector();

    // spandsp calls back into this object: it stays where it was made.
    DtmfDetector(const DtmfDetector&) = delete;
    DtmfDetector& operator=(const DtmfDetector&) = delete;

    // Feeds the next samples (e.g. one 20 ms frame); returns the digits that ended within them, in
    // order (at most kMaxDigitsPerCall: feed frames, not seconds), valid until the next call. Never
    // allocates. spandsp confirms a change two 102-sample blocks (25.5 ms) after it happens: a digit
    // is reported that much after its end, and starts and durations are exact to one block (12.75 ms).
    std::span<const DetectedDigit> process(std::span<const std::int16_t> samples) noexcept;

    // The digit sounding now, if any (its durationSamples is still 0): to suppress the tone from the
    // audio passed on, or to start an RFC 4733 event before the digit ends.
    std::optional<DetectedDigit> current() const;

    std::uint64_t samplesProcessed() const { return samplesProcessed_; }

private:
    static void onToneChange(void* self, int code, int level, int delay);
    void toneChanged(int code, int level);

    struct Free {
        void operator()(dtmf_rx_state_s* state) const;
    };
    std::unique_ptr<dtmf_rx_state_s, Free> state_;
    std::uint64_t samplesProcessed_ = 0;
    std::size_t blockFill_ = 0;          // samples of spandsp's current block fed so far
    std::uint64_t confirmedAt_ = 0;      // the sample index at which a change reported now was confirmed
    std::uint64_t digitConfirmedAt_ = 0; // ... and at which it reported the current digit's start
    bool inDigit_ = false;
    DetectedDigit current_;
    std::array<DetectedDigit, kMaxDigitsPerCall> detected_{};
    std::size_t detectedCount_ = 0;
};

} // namespace rtcgate::dtmf
