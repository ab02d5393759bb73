#include "AudioCheck.hpp"

#include "TestSignal.hpp"
#include "ToneDetector.hpp"

#include "rtcgate/codec/AudioFormat.hpp"

#include <algorithm>
#include <span>

namespace rtcgate::load {

namespace {

constexpr std::int64_t kNanosecondsPerSample = 1'000'000'000 / codec::kSampleRate;
constexpr std::int64_t kNanosecondsPerPeriod =
    kNanosecondsPerSample * static_cast<std::int64_t>(TestSignal::samplesPerPeriod(codec::kSampleRate));
// A frame this much louder than the steady tone holds some of the marker.
constexpr double kSteadyAtMost = 1.2;
// Two onsets are each found to a few samples.
constexpr std::uint64_t kMarkerSpanTolerance = 40;

} // namespace

AudioStatistics& AudioStatistics::operator+=(const AudioStatistics& other) {
    packets += other.packets;
    late += other.late;
    undecodable += other.undecodable;
    sequenceGaps += other.sequenceGaps;
    heardSamples += other.heardSamples;
    silentSamples += other.silentSamples;
    missingSamples += other.missingSamples;
    droppedSamples += other.droppedSamples;
    extraSamples += other.extraSamples;
    longestHoleSamples = std::max(longestHoleSamples, other.longestHoleSamples);
    warmUpSamples += other.warmUpSamples;
    markers += other.markers;
    return *this;
}

void AudioCheck::countHole(std::uint64_t samples, AudioStatistics& statistics) {
    currentHole_ += samples;
    statistics.longestHoleSamples = std::max(statistics.longestHoleSamples, currentHole_);
}

void AudioCheck::accountSinceLastMarker(std::uint64_t onset, std::int64_t heardAt, AudioStatistics& statistics) {
    if (lastMarkerPosition_ && onset > *lastMarkerPosition_) {
        const std::int64_t periods = (heardAt - lastMarkerNs_ + kNanosecondsPerPeriod / 2) / kNanosecondsPerPeriod;
        const std::uint64_t expected = static_cast<std::uint64_t>(std::max<std::int64_t>(periods, 0)) *
                                       TestSignal::samplesPerPeriod(codec::kSampleRate);
        const std::uint64_t heard = onset - *lastMarkerPosition_;
        if (heard + kMarkerSpanTolerance < expected) {
            statistics.droppedSamples += expected - heard;
        } else if (heard > expected + kMarkerSpanTolerance) {
            statistics.extraSamples += heard - expected;
        }
    }
    lastMarkerPosition_ = onset;
    lastMarkerNs_ = heardAt;
}

void AudioCheck::followSteadyLevel(const FrameTones& tones) {
    if (!tones.heard()) {
        return;
    }
    if (steadyAmplitude_ == 0) {
        steadyAmplitude_ = tones.amplitude();
    } else if (tones.amplitude() < kSteadyAtMost * steadyAmplitude_) { // not a frame of the marker
        steadyAmplitude_ += (tones.amplitude() - steadyAmplitude_) / 8;
    }
}

std::optional<std::int64_t> AudioCheck::receive(const rtp::RtpPacket& packet, std::int64_t arrivalNs,
                                                AudioStatistics& statistics) {
    const std::uint32_t ticksPerSample = codec_ == LoopCodec::Opus ? codec::kOpusRtpClockRate / codec::kSampleRate : 1;
    bool contiguous = started_;
    if (started_) {
        const auto ahead = static_cast<std::int16_t>(packet.sequenceNumber() - nextSequence_);
        if (ahead < 0) {
            ++statistics.late;
            return std::nullopt;
        }
        statistics.sequenceGaps += static_cast<std::uint64_t>(ahead);
        const auto jump = static_cast<std::int32_t>(packet.timestamp() - nextTimestamp_);
        if (jump > 0 && packets_ >= kWarmUpPackets) {
            const auto missing = static_cast<std::uint64_t>(jump) / ticksPerSample;
            statistics.missingSamples += missing;
            countHole(missing, statistics);
            position_ += missing;
        }
        contiguous = ahead == 0 && jump == 0;
    }

    // The new frame goes after the previous one, which moves to the front.
    std::span<std::int16_t> frame{frames_.data() + codec::kOpusMaxPacketSamples, codec::kOpusMaxPacketSamples};
    std::size_t samples = 0;
    if (codec_ == LoopCodec::Opus) {
        const codec::CodecResult decoded = opus_.decode(packet.payload(), frame);
        if (!decoded.ok()) {
            ++statistics.undecodable;
            return std::nullopt;
        }
        samples = decoded.count;
    } else {
        samples = pcmu_.decode(packet.payload(), frame);
    }
    started_ = true;
    nextSequence_ = static_cast<std::uint16_t>(packet.sequenceNumber() + 1);
    nextTimestamp_ = packet.timestamp() + static_cast<std::uint32_t>(samples) * ticksPerSample;
    ++statistics.packets;
    const auto heard = frame.first(samples);

    std::optional<std::int64_t> markerHeardAt;
    if (packets_++ < kWarmUpPackets) {
        statistics.warmUpSamples += samples;
    } else {
        const FrameTones tones = ToneDetector::measure(heard);
        if (tones.heard()) {
            statistics.heardSamples += samples;
            currentHole_ = 0;
        } else {
            statistics.silentSamples += samples;
            countHole(samples, statistics);
        }
        const bool marker = steadyAmplitude_ > 0 && tones.markerHeard(steadyAmplitude_);
        if (marker && !markerOn_) {
            const std::size_t before = contiguous ? previousSamples_ : 0;
            const auto onset = ToneDetector::markerOnset({frame.data() - before, before + samples}, steadyAmplitude_);
            if (onset) {
                ++statistics.markers;
                markerHeardAt = *onset < before
                                    ? previousArrivalNs_ + static_cast<std::int64_t>(*onset) * kNanosecondsPerSample
                                    : arrivalNs + static_cast<std::int64_t>(*onset - before) * kNanosecondsPerSample;
                accountSinceLastMarker(position_ + *onset - before, *markerHeardAt, statistics);
            }
        }
        markerOn_ = marker;
        followSteadyLevel(tones);
    }

    position_ += samples;
    // Keep this frame just before where the next one is decoded.
    std::copy(heard.begin(), heard.end(), frame.data() - samples);
    previousSamples_ = samples;
    previousArrivalNs_ = arrivalNs;
    return markerHeardAt;
}

} // namespace rtcgate::load
