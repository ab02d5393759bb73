// An estimate of a call's listening-and-talking quality from what the transport measured: the
// E-model of ITU-T G.107 with every default left at its value, so R = 93.2 - Id - Ie,eff.
#pragma once

#include <chrono>

namespace rtcgate::media {

// How a codec and its loss concealment degrade speech (ITU-T G.107 section 3.5).
struct CodecImpairment {
    double equipmentImpairment;  // Ie, with no loss
    double packetLossRobustness; // Bpl: the larger, the better loss is concealed
};

// G.711 with the packet loss concealment of G.711 Appendix I, under random loss:
// ITU-T G.113 Appendix I gives Ie = 0 and Bpl = 25.1.
inline constexpr CodecImpairment kG711WithPlc{.equipmentImpairment = 0.0, .packetLossRobustness = 25.1};

// Opus has no ITU-T Ie or Bpl (G.113 covers no Opus mode). Assumed here, and to be replaced by
// a measured value: on the narrowband scale this model rates (the call is bridged to G.711),
// Opus at WebRTC speech bitrates adds no impairment of its own (Ie = 0), and its PLC is credited
// as G.711 Appendix I's (Bpl = 25.1), with nothing for in-band FEC: rated no better than G.711.
inline constexpr CodecImpairment kOpus{.equipmentImpairment = 0.0, .packetLossRobustness = 25.1};

struct QualityInputs {
    double packetLoss = 0.0;                  // 0..1, lost or concealed share of the frames
    double burstRatio = 1.0;                  // BurstR of G.107: 1 for random loss, > 1 for bursty loss
    std::chrono::milliseconds oneWayDelay{0}; // mouth to ear
    CodecImpairment codec = kG711WithPlc;
};

// The transmission rating R, 0..93.2.
double rFactor(const QualityInputs& inputs);

// MOS (conversational quality, estimated) from R: ITU-T G.107 Annex B, clamped to 1..4.5.
double mosFromR(double r);

} // namespace rtcgate::media
