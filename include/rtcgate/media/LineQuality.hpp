// How a party's audio reaches rtcgate while its line is transcoded (where rtcgate decodes it and sees every loss
// and concealment): the measure at one moment, and its history over the call, kept as rtpengine reports it per
// SSRC (average, lowest and highest MOS; Kamailio's rtpengine_query() reads them into its mos_* variables).
#pragma once

#include "rtcgate/jitter/JitterStatistics.hpp"
#include "rtcgate/media/LegRtcp.hpp"
#include "rtcgate/media/Transcoder.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace rtcgate::media {

struct QualitySnapshot {
    double loss = 0;             // share of the party's frames missing at playout (lost or late)
    double jitterMs = 0;         // interarrival jitter of the party's stream (RFC 3550)
    std::optional<double> rttMs; // from the party's reports about rtcgate's stream
    double concealedShare = 0;   // share of the frames played that were concealed (FEC-rebuilt ones are not)
    double mos = 0;              // E-model estimate, ITU-T G.107 (media/CallQuality.hpp)
};

QualitySnapshot measureQuality(const jitter::JitterStatistics& jitter, const TranscoderStatistics& transcoder,
                               const LegRtcpSnapshot& rtcp);

// One measure taken when rtcgate reported to the party (about every 5 s, as rtpengine samples at each report).
struct QualitySample {
    QualitySnapshot quality;
    std::chrono::system_clock::time_point at;
    std::optional<std::uint32_t> ssrc; // of the party's stream
};

class QualityHistory {
public:
    void add(const QualitySample& sample);

    std::size_t samples() const { return samples_; }
    // The party's stream of the last sample.
    std::optional<std::uint32_t> ssrc() const { return ssrc_; }
    // The mean of every sample (its `at`: the last one's); nullopt before the first.
    std::optional<QualitySample> average() const;
    std::optional<QualitySample> lowest() const { return lowest_; }
    std::optional<QualitySample> highest() const { return highest_; }

private:
    std::size_t samples_ = 0;
    std::size_t withRoundTrip_ = 0;
    QualitySnapshot sum_;
    double roundTripSum_ = 0;
    std::chrono::system_clock::time_point last_;
    std::optional<std::uint32_t> ssrc_;
    std::optional<QualitySample> lowest_;
    std::optional<QualitySample> highest_;
};

} // namespace rtcgate::media
