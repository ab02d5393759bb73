// One period of TestSignal as a party sends it, encoded once before the run
// (the load tool must not spend its core encoding): Opus as a browser sends
// it (48 kHz, 20 ms, in-band FEC), or PCMU as a carrier does. Each party
// sends the loop over and over; the loop is encoded twice over and the second
// pass kept, so the encoder's state at its end matches its start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace rtcgate::load {

enum class LoopCodec {
    Opus, // payload type 111, 48 kHz RTP clock
    Pcmu, // payload type 0, 8 kHz
};

class AudioLoop {
public:
    explicit AudioLoop(LoopCodec codec);

    LoopCodec codec() const { return codec_; }
    std::uint8_t payloadType() const { return codec_ == LoopCodec::Opus ? 111 : 0; }
    std::size_t packets() const { return payloads_.size(); }
    std::span<const std::uint8_t> payload(std::size_t packet) const { return payloads_[packet % packets()]; }
    std::uint32_t rtpTicksPerPacket() const { return codec_ == LoopCodec::Opus ? 960 : 160; }

    // Where the marker starts once the loop is decoded (to 8 kHz, as the
    // receiver decodes): in packet `markerPacket`, `markerOffset` samples in.
    // Latency runs from that packet's send time plus the offset, so the
    // sender's own codec delay is not counted.
    std::size_t markerPacket() const { return markerPacket_; }
    std::size_t markerOffset() const { return markerOffset_; }

private:
    void encodeOpus();
    void encodePcmu();
    void findMarker();

    LoopCodec codec_;
    std::vector<std::vector<std::uint8_t>> payloads_;
    std::size_t markerPacket_ = 0;
    std::size_t markerOffset_ = 0;
};

} // namespace rtcgate::load
