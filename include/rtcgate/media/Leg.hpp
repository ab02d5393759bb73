// One party of a call (one SIP tag): the media lines as that party described
// them, and rtcgate's sockets that face it.
#pragma once

#include "rtcgate/dtmf/DtmfDetector.hpp"
#include "rtcgate/dtmf/DtmfEventLog.hpp"
#include "rtcgate/dtmf/DtmfGenerator.hpp"
#include "rtcgate/dtmf/EventSender.hpp"
#include "rtcgate/dtmf/EventTranslator.hpp"
#include "rtcgate/media/LegRtcp.hpp"
#include "rtcgate/media/LegTransport.hpp"
#include "rtcgate/media/Stream.hpp"
#include "rtcgate/media/Transcoder.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"
#include "rtcgate/sdp/MediaTransport.hpp"
#include "rtcgate/sdp/PayloadFormat.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <boost/circular_buffer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::media {

// One m= line of one leg.
struct LegMedia {
    std::string type;     // audio, video, ...
    std::string protocol; // as the party's SDP says
    sdp::Direction direction = sdp::Direction::SendRecv;
    std::uint16_t port = 0; // the even port of the pair held in the shard's pool; 0: not relayed
    std::unique_ptr<Stream> rtp;
    std::unique_ptr<Stream> rtcp;
    std::unique_ptr<LegTransport> transport; // with the streams: ICE, DTLS, SRTP, rtcp-mux toward the party
    sdp::MediaTransport remote;              // what the party's last SDP said of its side of the line
    std::vector<sdp::PayloadFormat> formats; // the payload formats of the party's last SDP, in its order
    unsigned ptime = 20;                     // the a=ptime of the party's last SDP, in ms
    // Once answered: the format the party sends and receives (nullopt: relayed as it comes).
    std::optional<sdp::PayloadFormat> codec;
    // What the party sends, re-encoded for the other party; nullptr: passed through.
    std::unique_ptr<Transcoder> transcoder;
    // rtcgate's own RTP stream toward the party, from the first time the line is transcoded on:
    // it outlives transcoders so that the party sees one continuous stream.
    std::unique_ptr<rtp::RtpStreamWriter> writer;
    // The party's telephone-event while the line is transcoded (passed through otherwise): re-sent at
    // the other party's clock, or, when the other party has no telephone-event, only followed, each
    // digit then played to it as tones.
    std::unique_ptr<dtmf::EventTranslator> events;
    // Tones in the party's audio, while the line is transcoded and the party has no telephone-event
    // (and the other party has): each digit goes on as an event.
    std::unique_ptr<dtmf::DtmfDetector> toneDetector;
    // DTMF that rtcgate originates toward the party while the line is transcoded (digits detected as
    // tones, played by "play DTMF"): as events when the party negotiated telephone-event, else as
    // tones in its audio.
    std::unique_ptr<dtmf::EventSender> eventSender;
    std::unique_ptr<dtmf::DtmfGenerator> toneGenerator;
    // RTCP toward the party while the line is transcoded (else RTCP is relayed end to end).
    std::unique_ptr<LegRtcp> reports;

    bool relayed() const { return port != 0; }
};

// A digit a party sent (or that "play DTMF" sent for it), as query lists it.
struct DtmfDigit {
    char digit = '\0';
    std::uint32_t durationMs = 0;
    std::uint8_t volume = 0; // -dBm0
    dtmf::DtmfSource source = dtmf::DtmfSource::Rfc4733;
    std::chrono::system_clock::time_point ended;
};

class Leg {
public:
    static constexpr std::size_t kDigitHistory = 32;

    explicit Leg(std::string tag)
        : tag_(std::move(tag)), created_(std::chrono::system_clock::now()), digits_(kDigitHistory) {}

    const std::string& tag() const { return tag_; }
    void setTag(std::string tag) { tag_ = std::move(tag); }
    std::chrono::system_clock::time_point created() const { return created_; }

    Leg* peer() const { return peer_; }
    void setPeer(Leg* peer) { peer_ = peer; }

    // ng "block DTMF": the party's telephone-event packets are dropped, not relayed.
    bool dtmfBlocked() const { return dtmfBlocked_; }
    void setDtmfBlocked(bool blocked) { dtmfBlocked_ = blocked; }

    // The party's digits: the last kDigitHistory, and how many in all.
    void recordDigit(const DtmfDigit& digit) {
        digits_.push_back(digit);
        ++digitCount_;
    }
    const boost::circular_buffer<DtmfDigit>& digits() const { return digits_; }
    std::uint64_t digitCount() const { return digitCount_; }

    std::vector<LegMedia>& media() { return media_; }
    const std::vector<LegMedia>& media() const { return media_; }

    // Fixes the o= session version of an SDP about to be sent to this party:
    // the same SDP keeps the version it had, any change increments it
    // (RFC 3264 section 8). Returns the serialized SDP.
    std::string finalizeSdp(sdp::SessionDescription& sdp);

private:
    std::string tag_;
    std::chrono::system_clock::time_point created_;
    Leg* peer_ = nullptr;
    std::vector<LegMedia> media_;
    bool dtmfBlocked_ = false;
    boost::circular_buffer<DtmfDigit> digits_;
    std::uint64_t digitCount_ = 0;
    std::string lastSdp_;
    std::uint64_t lastVersion_ = 0;
};

} // namespace rtcgate::media
