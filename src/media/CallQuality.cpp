#include "rtcgate/media/CallQuality.hpp"

#include <algorithm>

namespace rtcgate::media {

namespace {
// Ro - Is + A with every G.107 default (Table 3) left as is.
constexpr double kDefaultRating = 93.2;
// Cole and Rosenbluth, "Voice over IP performance monitoring", ACM SIGCOMM CCR 31(2), 2001:
// Id = 0.024 d + 0.11 (d - 177.3) H(d - 177.3), fitted to G.107's Id with echo cancelled.
constexpr double kDelaySlope = 0.024;
constexpr double kDelayKnee = 177.3;
constexpr double kDelaySlopeAboveKnee = 0.11;
} // namespace

double rFactor(const QualityInputs& inputs) {
    const double delay = std::max(0.0, static_cast<double>(inputs.oneWayDelay.count()));
    const double delayImpairment =
        kDelaySlope * delay + (delay > kDelayKnee ? kDelaySlopeAboveKnee * (delay - kDelayKnee) : 0.0);

    // G.107 section 3.5 (formula 3-45): Ie,eff = Ie + (95 - Ie) Ppl / (Ppl / BurstR + Bpl), Ppl in percent.
    const double lossPercent = std::clamp(inputs.packetLoss, 0.0, 1.0) * 100.0;
    const double burstRatio = inputs.burstRatio > 0.0 ? inputs.burstRatio : 1.0;
    const double ie = inputs.codec.equipmentImpairment;
    const double effectiveImpairment =
        lossPercent == 0.0
            ? ie
            : ie + (95.0 - ie) * lossPercent / (lossPercent / burstRatio + inputs.codec.packetLossRobustness);

    return std::clamp(kDefaultRating - delayImpairment - effectiveImpairment, 0.0, 100.0);
}

double mosFromR(double r) {
    if (r <= 0.0) {
        return 1.0;
    }
    if (r >= 100.0) {
        return 4.5;
    }
    const double mos = 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7.0e-6;
    return std::clamp(mos, 1.0, 4.5);
}

} // namespace rtcgate::media
