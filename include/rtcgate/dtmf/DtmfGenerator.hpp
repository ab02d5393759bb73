// In-band DTMF generation (ITU-T Q.23) as 8 kHz linear audio, on spandsp's dtmf_tx: for a party
// that takes its digits as tones. Digits are queued, each with its own duration, level and the
// pause after it, and played frame by frame; while one plays (its pause included) it replaces the
// audio of the frame.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

struct dtmf_tx_state_s; // spandsp's dtmf_tx_state_t

namespace rtcgate::dtmf {

class DtmfGenerator {
public:
    static constexpr std::size_t kQueueCapacity = 32;

    // Allocates spandsp's state; throws std::bad_alloc when it cannot.
    DtmfGenerator();

    // Queues `digit` ('0'-'9', '*', '#', 'A'-'D' or 'a'-'d') to sound for `duration` at `levelDbm0`
    // (the power of the tone pair, -63 to 0, e.g. -10; RFC 4733 volume v is -v dBm0), then `pause`
    // of silence. False when the digit is not a DTMF digit or the queue is full. Never allocates.
    bool queue(char digit, std::chrono::milliseconds duration, int levelDbm0, std::chrono::milliseconds pause) noexcept;

    // Fills `frame` with what is due now: true when it did (tone, pause, and silence after the last
    // queued digit ends within the frame); false, leaving `frame` as it is, when idle.
    bool generate(std::span<std::int16_t> frame) noexcept;

    // Nothing playing and nothing queued.
    bool idle() const { return !playing_ && queuedCount_ == 0; }
    // Digits queued and not yet started.
    std::size_t queued() const noexcept { return queuedCount_; }

    // Drops the queued digits and the one playing.
    void clear() noexcept;

private:
    struct Tone {
        char digit = '\0';
        int durationMs = 0;
        int levelDbm0 = 0;
        int pauseMs = 0;
    };

    bool startNext() noexcept;

    struct Free {
        void operator()(dtmf_tx_state_s* state) const;
    };
    std::unique_ptr<dtmf_tx_state_s, Free> state_;
    std::array<Tone, kQueueCapacity> queue_{};
    std::size_t queueHead_ = 0;
    std::size_t queuedCount_ = 0;
    bool playing_ = false;
};

} // namespace rtcgate::dtmf
