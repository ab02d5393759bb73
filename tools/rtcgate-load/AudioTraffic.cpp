#include "AudioTraffic.hpp"

#include "TrafficRun.hpp"

#include "rtcgate/codec/AudioFormat.hpp"

#include <algorithm>
#include <cstring>

namespace rtcgate::load {

AudioTraffic::AudioTraffic(std::vector<std::optional<srtp::SrtpSession>> srtp)
    : srtp_(std::move(srtp)), writers_(srtp_.size()), markerSentNs_(srtp_.size(), 0) {
    checks_.reserve(srtp_.size());
    for (std::size_t p = 0; p < srtp_.size(); ++p) {
        checks_.emplace_back(codecOf(p));
    }
}

std::span<const std::uint8_t> AudioTraffic::packet(std::size_t party, std::uint32_t sequence, std::int64_t nowNs) {
    const AudioLoop& loop = loopOf(party);
    const auto payload = loop.payload(sequence);
    rtp::RtpStreamWriter& writer = writers_[party];
    std::size_t length = writer.writeHeader(packet_, loop.payloadType(), sequence == 0);
    writer.advance(loop.rtpTicksPerPacket());
    std::memcpy(packet_.data() + length, payload.data(), payload.size());
    length += payload.size();
    if (sequence % loop.packets() == loop.markerPacket()) {
        markerSentNs_[party] = nowNs;
    }
    if (srtp_[party] && srtp_[party]->protectRtp(packet_, length) != srtp::SrtpStatus::Ok) {
        return {};
    }
    return {packet_.data(), length};
}

void AudioTraffic::receive(std::size_t party, std::span<std::uint8_t> buffer, std::size_t length,
                           std::int64_t arrivalNs, TrafficResult& result) {
    const rtp::PacketKind kind = rtp::classify(buffer.first(length));
    if (kind == rtp::PacketKind::Rtcp) {
        ++result.rtcp; // the daemon's reports on its transcoded streams; not checked
        return;
    }
    if (kind != rtp::PacketKind::Rtp ||
        (srtp_[party] && srtp_[party]->unprotectRtp(buffer, length) != srtp::SrtpStatus::Ok)) {
        ++result.foreign;
        return;
    }
    const rtp::RtpPacket packet{buffer.first(length)};
    // Party p hears what its partner sends, in the partner's codec's
    // counterpart: the caller Opus, the callee PCMU.
    if (packet.payloadType() != loopOf(party).payloadType()) {
        ++result.foreign;
        return;
    }
    const std::size_t sender = party ^ 1U;
    DirectionStatistics& direction = result.directions[sender % 2];
    ++direction.received;
    const auto markerHeardAt = checks_[party].receive(packet, arrivalNs, direction.audio);
    if (markerHeardAt && markerSentNs_[sender] != 0) {
        const AudioLoop& sent = loopOf(sender);
        const std::int64_t markerSentAt = markerSentNs_[sender] + static_cast<std::int64_t>(sent.markerOffset()) *
                                                                      (1'000'000'000 / codec::kSampleRate);
        direction.latency.record(*markerHeardAt - markerSentAt);
    }
}

} // namespace rtcgate::load
