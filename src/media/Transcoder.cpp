#include "rtcgate/media/Transcoder.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/codec/CodecResult.hpp"
#include "rtcgate/jitter/Playout.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

namespace rtcgate::media {

namespace {

// A shard that fell behind (a burst of signaling, a busy machine) catches up by sending the
// packets it owes at once: the receiver's jitter buffer absorbs a burst, not a gap. Further
// behind than this (a stopped process), the missed packets are skipped.
constexpr auto kMaxCatchUp = std::chrono::milliseconds(500);

jitter::JitterBufferConfig jitterConfigFor(const TranscoderConfig& config) {
    jitter::JitterBufferConfig jitter = config.jitter;
    jitter.clockRate = codec::rtpClockRate(config.sourceCodec);
    jitter.frameDuration = std::chrono::milliseconds(config.sourcePtimeMs);
    if (config.sourceCodec == codec::AudioCodec::Opus) {
        // In-band FEC rebuilds a lost frame from the packet after it, which must be there when the
        // lost frame plays: one frame of lookahead on top of what the jitter needs. Without it the
        // playout point lands anywhere within the first frame and FEC works only by chance.
        jitter.minDelay += jitter.frameDuration;
        jitter.maxDelay = std::max(jitter.maxDelay, jitter.minDelay);
    }
    return jitter;
}

// The party's ptime: G.711 in 10 ms steps up to 60 ms, Opus in the frame sizes RFC 7587 names (10, 20, 40,
// 60 ms), 20 ms where it asked for another.
unsigned targetPtimeOf(const TranscoderConfig& config) {
    if (config.targetCodec == codec::AudioCodec::Opus) {
        const unsigned ptime = config.targetPtimeMs;
        return ptime == 10 || ptime == 20 || ptime == 40 || ptime == 60 ? ptime : codec::kFrameMilliseconds;
    }
    return std::clamp(config.targetPtimeMs / 10 * 10, 10U, 60U);
}

// What a source packet of `samples` (8 kHz) lasts, when the jitter buffer can take it as its frame: whole 10 ms
// up to 120 ms (G.711 in any ptime, Opus from 10 ms; RFC 7587 section 4.2).
std::optional<unsigned> frameMillisecondsOf(std::size_t samples) {
    const std::size_t perTen = codec::samplesForMilliseconds(10);
    if (samples == 0 || samples % perTen != 0 || samples > 12 * perTen) {
        return std::nullopt;
    }
    return static_cast<unsigned>(samples / perTen * 10);
}

} // namespace

Transcoder::Transcoder(const TranscoderConfig& config, rtp::RtpStreamWriter& writer, LogContext log)
    : config_(config),
      writer_(writer),
      log_(std::move(log)),
      jitter_(jitterConfigFor(config)),
      decoder_(codec::makeDecoder(config.sourceCodec)),
      encoder_(codec::makeEncoder(config.targetCodec, config.opus)),
      targetSamples_(codec::samplesForMilliseconds(targetPtimeOf(config))),
      targetTicks_(
          static_cast<std::uint32_t>(targetSamples_ * codec::rtpClockRate(config.targetCodec) / codec::kSampleRate)),
      targetPtime_(std::chrono::milliseconds(targetPtimeOf(config))) {
    if (config.sourcePtimeMs == 0 || config.sourcePtimeMs > 120 || config.sourcePtimeMs % 10 != 0) {
        throw std::invalid_argument("unsupported source ptime " + std::to_string(config.sourcePtimeMs));
    }
}

bool Transcoder::push(const rtp::RtpPacket& packet, std::span<const std::uint8_t> payload, Clock::time_point arrival) {
    if (packet.payloadType() != config_.sourcePayloadType) {
        ++statistics_.otherPayload;
        return false;
    }
    followPacketDuration(payload);
    // Opus DTX sends 1-2 byte frames (RFC 7587 section 3.1.3): the gap after them is silence.
    const bool dtx = config_.sourceCodec == codec::AudioCodec::Opus && payload.size() <= 2;
    jitter_.push({.sequence = packet.sequenceNumber(),
                  .timestamp = packet.timestamp(),
                  .ssrc = packet.ssrc(),
                  .marker = packet.marker(),
                  .dtx = dtx,
                  .lowEnergy = dtx},
                 payload, arrival);
    if (jitter_.statistics().resyncs != resyncs_) {
        resyncs_ = jitter_.statistics().resyncs;
        decoder_->reset(); // a new source stream: its decoder state means nothing for the old one
        spdlog::debug("{}: its stream starts afresh (SSRC {:08x}, resync {}): decoder reset", log_, packet.ssrc(),
                      resyncs_);
    }
    return true;
}

void Transcoder::followPacketDuration(std::span<const std::uint8_t> payload) {
    // The party may send another packet size than its a=ptime says (RFC 7587 section 4.2 lets Opus senders
    // choose; carriers send 30 ms under a=ptime:20): the jitter buffer takes what arrives as its frame, from the
    // first packet, or from the second in a row of a new size.
    const auto samples = decoder_->samplesOf(payload);
    const auto milliseconds = samples.ok() ? frameMillisecondsOf(samples.count) : std::nullopt;
    const auto current = static_cast<unsigned>(jitter_.frameDuration().count());
    if (!milliseconds || *milliseconds == current) {
        otherSizeInARow_ = 0;
        return;
    }
    if (jitter_.statistics().received > 0 && ++otherSizeInARow_ < 2) {
        return;
    }
    otherSizeInARow_ = 0;
    jitter_.setFrameDuration(std::chrono::milliseconds(*milliseconds));
    spdlog::debug("{}: sends {} ms packets: the jitter buffer's frame", log_, *milliseconds);
}

bool Transcoder::produceFrame(Clock::time_point at) {
    const jitter::Playout playout = jitter_.pop(at);
    auto out = pcmFree(); // room for the longest Opus packet
    const auto frameSamples =
        codec::samplesForMilliseconds(static_cast<std::uint32_t>(jitter_.frameDuration().count()));
    auto frame = out.first(std::min(out.size(), frameSamples));
    codec::CodecResult result;
    switch (playout.kind) {
    case jitter::Playout::Kind::Packet:
        result = decoder_->decode(playout.payload, out);
        if (result.ok()) {
            ++statistics_.decoded;
            break;
        }
        ++statistics_.decodeErrors;
        result = decoder_->conceal(frame);
        ++statistics_.concealed;
        break;
    case jitter::Playout::Kind::Lost:
        if (playout.nextAvailable) {
            result = decoder_->decodeFec(playout.payload, frame);
            ++statistics_.fecRecovered;
        } else {
            result = decoder_->conceal(frame);
            ++statistics_.concealed;
        }
        break;
    case jitter::Playout::Kind::Stretch:
        result = decoder_->conceal(frame);
        ++statistics_.concealed;
        break;
    case jitter::Playout::Kind::Silence:
        std::fill(frame.begin(), frame.end(), std::int16_t{0});
        pcmCount_ += frame.size();
        return false;
    }
    if (!result.ok()) { // cannot happen with a frame-sized buffer; keep the clock right anyway
        std::fill(frame.begin(), frame.end(), std::int16_t{0});
        result.count = frame.size();
    }
    pcmCount_ += result.count;
    return true;
}

void Transcoder::consumePcm(std::size_t samples) {
    std::copy(pcm_.begin() + static_cast<std::ptrdiff_t>(samples),
              pcm_.begin() + static_cast<std::ptrdiff_t>(pcmCount_), pcm_.begin());
    pcmCount_ -= samples;
}

bool Transcoder::awaitsDueFrame(Clock::time_point now) const {
    return nextSend_ && now >= *nextSend_ && !held_ && pcmCount_ < targetSamples_ && jitter_.awaitsNext(now);
}

std::optional<Transcoder::Packet> Transcoder::next(Clock::time_point now) {
    if (!nextSend_) {
        // Packets fall due half a tick before a tick, not on one: a tick that runs a little late
        // then still sends the same packet, instead of leaving it to the next tick (10 ms of jitter).
        nextSend_ = now - kMediaTickInterval / 2;
    }
    if (now - *nextSend_ > kMaxCatchUp) {
        skip(static_cast<std::uint32_t>((now - *nextSend_) / targetPtime_));
    }
    while (now >= *nextSend_) {
        if (held_) {
            pcmCount_ = 0;
            skip(1);
            continue;
        }
        // Each frame is popped at the time its first sample will be played, so the jitter buffer
        // sees a steady clock whatever the two packet sizes and the tick's lateness. A packet longer
        // than the source's frames holds frames played before it is sent: the last is popped now, the
        // first that much earlier, so that none is asked for before it can have arrived.
        bool audible = pcmCount_ > 0 && pcmAudible_;
        const Clock::duration ahead = std::max(Clock::duration::zero(), targetPtime_ - jitter_.frameDuration());
        while (pcmCount_ < targetSamples_) {
            const auto buffered = std::chrono::microseconds(pcmCount_ * 1000 / (codec::kSampleRate / 1000));
            pcmAudible_ = produceFrame(*nextSend_ - ahead + buffered);
            audible = audible || pcmAudible_;
        }
        const auto frame = std::span(pcm_).first(targetSamples_);
        const bool tone = detectTones(frame);
        const bool generated = generator_ != nullptr && generator_->generate(frame);
        std::size_t length = 0;
        if ((audible && !suppressed_ && !tone) || generated) {
            const std::size_t header = writer_.writeHeader(packet_, config_.targetPayloadType, marker_);
            const auto result = encoder_->encode(frame, std::span(packet_).subspan(header));
            length = result.ok() ? header + result.count : 0;
        }
        consumePcm(targetSamples_);
        if (length == 0) {
            skip(1); // silence: nothing is sent, and the receiver's clock runs on
            continue;
        }
        *nextSend_ += targetPtime_;
        writer_.advance(targetTicks_);
        marker_ = false;
        ++statistics_.sent;
        return Packet{.buffer = packet_, .length = length};
    }
    return std::nullopt;
}

bool Transcoder::detectTones(std::span<const std::int16_t> frame) {
    if (detector_ == nullptr) {
        return false;
    }
    for (const auto& digit : detector_->process(frame)) {
        if (detectedCount_ < detected_.size()) {
            detected_[detectedCount_++] = digit;
        }
    }
    return cuttingTones_ && detector_->current().has_value();
}

void Transcoder::skip(std::uint32_t slots) {
    *nextSend_ += slots * targetPtime_;
    writer_.advance(slots * targetTicks_);
    statistics_.skipped += slots;
    marker_ = true;
}

void Transcoder::setHeld(bool held) {
    if (held_ && !held) {
        jitter_.reset();
    }
    held_ = held;
}

void Transcoder::setOpusComplexity(int complexity) {
    if (config_.targetCodec == codec::AudioCodec::Opus &&
        encoder_->setComplexity(complexity) == codec::CodecStatus::Ok) {
        config_.opus.complexity = complexity;
    }
}

std::optional<int> Transcoder::opusComplexity() const {
    if (config_.targetCodec != codec::AudioCodec::Opus) {
        return std::nullopt;
    }
    return config_.opus.complexity;
}

void Transcoder::setExpectedLoss(int percent) {
    encoder_->setExpectedLoss(std::clamp(percent, 1, 100)); // 0 would turn Opus's FEC copy off
}

} // namespace rtcgate::media
