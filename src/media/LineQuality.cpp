#include "rtcgate/media/LineQuality.hpp"

#include "rtcgate/codec/AudioFormat.hpp"
#include "rtcgate/media/CallQuality.hpp"

namespace rtcgate::media {

QualitySnapshot measureQuality(const jitter::JitterStatistics& jitter, const TranscoderStatistics& transcoder,
                               const LegRtcpSnapshot& rtcp) {
    QualitySnapshot q;
    const auto frames = static_cast<double>(jitter.received + jitter.lost);
    q.loss = frames > 0 ? static_cast<double>(jitter.lost) / frames : 0;
    q.jitterMs = rtcp.jitterMs;
    // Frames lost in what was taken for a pause were not concealed but are missing all the same.
    const auto played =
        static_cast<double>(transcoder.decoded + transcoder.fecRecovered + transcoder.concealed + jitter.silent);
    q.concealedShare = played > 0 ? static_cast<double>(transcoder.concealed + jitter.silent) / played : 0;
    auto oneWay = std::chrono::duration_cast<std::chrono::milliseconds>(jitter.currentDelay) +
                  std::chrono::milliseconds(codec::kFrameMilliseconds); // buffering and packetization
    if (rtcp.roundTrip) {
        q.rttMs = static_cast<double>(rtcp.roundTrip->count()) / 1000;
        oneWay += std::chrono::duration_cast<std::chrono::milliseconds>(*rtcp.roundTrip / 2);
    }
    q.mos = mosFromR(rFactor({.packetLoss = q.concealedShare, .oneWayDelay = oneWay}));
    return q;
}

void QualityHistory::add(const QualitySample& sample) {
    const QualitySnapshot& q = sample.quality;
    ++samples_;
    sum_.loss += q.loss;
    sum_.jitterMs += q.jitterMs;
    sum_.concealedShare += q.concealedShare;
    sum_.mos += q.mos;
    if (q.rttMs) {
        ++withRoundTrip_;
        roundTripSum_ += *q.rttMs;
    }
    last_ = sample.at;
    ssrc_ = sample.ssrc;
    if (!lowest_ || q.mos < lowest_->quality.mos) {
        lowest_ = sample;
    }
    if (!highest_ || q.mos > highest_->quality.mos) {
        highest_ = sample;
    }
}

std::optional<QualitySample> QualityHistory::average() const {
    if (samples_ == 0) {
        return std::nullopt;
    }
    const auto n = static_cast<double>(samples_);
    QualitySnapshot mean{.loss = sum_.loss / n,
                         .jitterMs = sum_.jitterMs / n,
                         .rttMs = std::nullopt,
                         .concealedShare = sum_.concealedShare / n,
                         .mos = sum_.mos / n};
    if (withRoundTrip_ > 0) {
        mean.rttMs = roundTripSum_ / static_cast<double>(withRoundTrip_);
    }
    return QualitySample{.quality = mean, .at = last_, .ssrc = ssrc_};
}

} // namespace rtcgate::media
