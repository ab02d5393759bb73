// One direction of a transcoded media line: what one party sends (its codec, its packet size)
// re-encoded for the other party (its codec, its packet size), through an adaptive jitter buffer.
// push() takes the party's packets on the hot path; next() hands out, from the shard tick, the
// packets due toward the other party, paced at exactly one packet per ptime.
#pragma once

#include "rtcgate/codec/AudioCodec.hpp"
#include "rtcgate/codec/AudioDecoder.hpp"
#include "rtcgate/codec/AudioEncoder.hpp"
#include "rtcgate/codec/OpusEncoder.hpp"
#include "rtcgate/dtmf/DtmfDetector.hpp"
#include "rtcgate/dtmf/DtmfGenerator.hpp"
#include "rtcgate/jitter/JitterBuffer.hpp"
#include "rtcgate/jitter/JitterBufferConfig.hpp"
#include "rtcgate/jitter/JitterStatistics.hpp"
#include "rtcgate/media/Clock.hpp"
#include "rtcgate/media/LogContext.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

namespace rtcgate::media {

struct TranscoderConfig {
    codec::AudioCodec sourceCodec = codec::AudioCodec::Opus;
    std::uint8_t sourcePayloadType = 0;
    unsigned sourcePtimeMs = 20; // its a=ptime: the jitter buffer's frame until its packets say otherwise
    codec::AudioCodec targetCodec = codec::AudioCodec::Pcmu;
    std::uint8_t targetPayloadType = 0;
    unsigned targetPtimeMs = 20;         // 10 to 60 for G.711; 10, 20, 40 or 60 for Opus (else 20)
    jitter::JitterBufferConfig jitter{}; // its clock rate and frame duration are the source's
    codec::OpusEncoderConfig opus{};

    bool operator==(const TranscoderConfig& other) const = default;
};

struct TranscoderStatistics {
    std::uint64_t decoded = 0;      // packets decoded
    std::uint64_t fecRecovered = 0; // lost frames rebuilt from the next packet's in-band FEC
    std::uint64_t concealed = 0;    // lost or stretched frames filled by concealment (PLC)
    std::uint64_t decodeErrors = 0; // packets the decoder refused (concealed instead)
    std::uint64_t otherPayload = 0; // packets of another payload type (telephone-event, CN, ...): not decoded
    std::uint64_t sent = 0;         // packets handed out toward the other party
    std::uint64_t skipped = 0;      // packet slots not sent: the source was silent (not started, on hold, gone)
};

class Transcoder {
public:
    // Room for the largest packet and an SRTP authentication tag after it.
    static constexpr std::size_t kMaxPacketSize = 1500;

    struct Packet {
        std::span<std::uint8_t> buffer; // the whole buffer: SRTP protects in place
        std::size_t length = 0;
    };

    // Allocates everything it will use; throws std::runtime_error when a codec cannot be created.
    // `writer` (the RTP stream toward the other party) must outlive the Transcoder. `log`: the
    // party whose audio it decodes.
    Transcoder(const TranscoderConfig& config, rtp::RtpStreamWriter& writer, LogContext log = {});

    const TranscoderConfig& config() const { return config_; }

    // One packet of the source party (already unprotected). False when it is not of the
    // negotiated payload type: the caller decides what else to do with it.
    bool push(const rtp::RtpPacket& packet, std::span<const std::uint8_t> payload, Clock::time_point arrival);

    // The next packet due toward the other party by `now`; call until it returns nullopt. The
    // packet stays valid until the next call.
    std::optional<Packet> next(Clock::time_point now);
    // A frame falls due by `now` whose packet has not been pushed, though the source flows: the packet may
    // wait unread, and next() would conceal it.
    bool awaitsDueFrame(Clock::time_point now) const;

    // While held (the direction is on hold, RFC 3264 section 6.1), nothing is played or sent;
    // the timestamps run on, the party's stream starts afresh after it (a hold is not loss), and
    // the first packet after it carries the marker.
    void setHeld(bool held);
    // While suppressed (a DTMF event is relayed in this direction), the audio is played out of the
    // jitter buffer but not sent: the event replaces it (RFC 4733 section 2.6).
    void setSuppressed(bool suppressed) { suppressed_ = suppressed; }
    // DTMF the source sends as tones (it has no telephone-event): `detector` listens to the decoded
    // audio and reports each digit once its tone ended. nullptr: none. Not owned.
    void setToneDetector(dtmf::DtmfDetector* detector) { detector_ = detector; }
    // While cutting, the audio is not sent while the detector hears a tone: the digit goes on another
    // way (an event), or not at all (block DTMF).
    void setCuttingTones(bool cutting) { cuttingTones_ = cutting; }
    // The digits whose tones ended since clearDetectedDigits(), in order.
    std::span<const dtmf::DetectedDigit> detectedDigits() const { return std::span(detected_).first(detectedCount_); }
    void clearDetectedDigits() { detectedCount_ = 0; }
    // DTMF toward the other party as tones (it has no telephone-event): while `generator` plays, its
    // tones replace the audio, and are sent even when the source is silent. nullptr: none. Not owned.
    void setToneGenerator(dtmf::DtmfGenerator* generator) { generator_ = generator; }

    // The timestamp the next packet toward the other party will carry.
    std::uint32_t nextTimestamp() const { return writer_.timestamp(); }

    // The loss the other party reports (its RTCP): the Opus encoder codes its FEC copy for it.
    void setExpectedLoss(int percent);
    // Toward an Opus party: the encoder's complexity from the next frame on (a shard under load lowers it).
    void setOpusComplexity(int complexity);
    // The Opus encoder's complexity now; nullopt toward a G.711 party.
    std::optional<int> opusComplexity() const;

    const jitter::JitterStatistics& jitterStatistics() const { return jitter_.statistics(); }
    const TranscoderStatistics& statistics() const { return statistics_; }

private:
    // Decodes (or conceals, or silences) the next frame of the jitter buffer, played at `at`,
    // onto the end of pcm_. Returns whether it carries audio (not silence before or between
    // the source's packets).
    bool produceFrame(Clock::time_point at);
    // Makes the jitter buffer's frame the duration of the packets the source really sends.
    void followPacketDuration(std::span<const std::uint8_t> payload);
    std::span<std::int16_t> pcmFree() { return std::span(pcm_).subspan(pcmCount_); }
    void consumePcm(std::size_t samples);
    // Feeds `frame` to the tone detector, if any; true while a tone sounds and is to be cut.
    bool detectTones(std::span<const std::int16_t> frame);
    // Lets `slots` packet times pass unsent: the timestamps run on, and the next packet is marked.
    void skip(std::uint32_t slots);

    TranscoderConfig config_;
    rtp::RtpStreamWriter& writer_;
    LogContext log_;
    jitter::JitterBuffer jitter_;
    std::unique_ptr<codec::AudioDecoder> decoder_;
    std::unique_ptr<codec::AudioEncoder> encoder_;
    std::size_t targetSamples_;
    std::uint32_t targetTicks_;
    Clock::duration targetPtime_;

    // Decoded 8 kHz audio waiting to be encoded: the longest Opus packet plus the longest G.711 one.
    std::array<std::int16_t, 2048> pcm_{};
    std::size_t pcmCount_ = 0;
    bool pcmAudible_ = false;
    // libsrtp2 reads the header in place as 32-bit words.
    alignas(8) std::array<std::uint8_t, kMaxPacketSize> packet_{};

    std::optional<Clock::time_point> nextSend_;
    bool marker_ = true; // on the first packet after a silence (RFC 3551 section 4.1)
    bool held_ = false;
    bool suppressed_ = false;
    bool cuttingTones_ = false;
    dtmf::DtmfDetector* detector_ = nullptr;
    std::array<dtmf::DetectedDigit, 8> detected_{};
    std::size_t detectedCount_ = 0;
    dtmf::DtmfGenerator* generator_ = nullptr;
    std::uint64_t resyncs_ = 0;
    unsigned otherSizeInARow_ = 0;
    TranscoderStatistics statistics_;
};

} // namespace rtcgate::media
