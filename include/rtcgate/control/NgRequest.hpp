// An ng command dictionary, read into what rtcgate acts on. Keys and flags
// are matched as rtpengine matches them: case-sensitive words, with '-', '_'
// and ' ' interchangeable ("strict-source" == "strict source").
#pragma once

#include "rtcgate/control/Bencode.hpp"
#include "rtcgate/media/CodecRequest.hpp"
#include "rtcgate/media/EndpointLearning.hpp"
#include "rtcgate/media/TransportRequest.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rtcgate::control {

enum class NgCommand {
    Ping,
    Offer,
    Answer,
    Delete,
    Query,
    List,
    Statistics,
    BlockDtmf,
    UnblockDtmf,
    PlayDtmf
};

std::string_view toString(NgCommand command);

struct NgFlags {
    bool strictSource = false;
    bool mediaHandover = false;
    std::optional<media::LearningMode> endpointLearning; // "endpoint-learning" key, or an "endpoint-learning-X" flag
    bool sipSourceAddress = false;                       // use "received from" instead of the SDP's address
    bool replaceOrigin = false;
    bool replaceSessionConnection = false;
    bool replaceZeroAddress = false; // replace "zero address": a party's RFC 2543 hold goes on with rtcgate's address
    bool loopProtect = false;        // the SDP written is marked; one that comes back marked passes unchanged
};

struct NgRequest {
    NgCommand command = NgCommand::Ping;
    std::string callId;
    std::string fromTag;
    std::string toTag;
    std::string sdp;
    std::string label; // the party whose SDP it is
    NgFlags flags;
    media::TransportRequest transport; // ICE, DTLS, SDES, transport-protocol, rtcp-mux
    media::CodecRequest codec;         // the "codec" dictionary, codec-* flags, always transcode, force transcoding
    std::optional<std::string> receivedFrom; // address of "received from": [family, address]
    std::optional<long long> deleteDelay;    // seconds, delete only
    std::optional<long long> limit;          // list only
    // "supports": the proxy takes a "load limit" result instead of an error when the daemon is full (Kamailio's
    // rtpengine module says so in every request).
    bool supportsLoadLimit = false;
    // play DTMF: "code" (or "digit"): the digits to play, '0'-'9', '*', '#', 'A'-'D' (an event number 0-15 given
    // as an integer is one digit); "duration" and "pause" in ms, "volume" in dBm0 (8 and -8 both mean -8 dBm0).
    std::string dtmfDigits;
    std::optional<long long> dtmfDuration, dtmfVolume, dtmfPause;
    // Unknown flags and keys: ignored, and reported in the reply's "warning".
    std::vector<std::string> ignored;

    // Either a request or the error-reason for the reply.
    struct Parsed;
    static Parsed parse(const bencode::Value& message);
};

struct NgRequest::Parsed {
    std::optional<NgRequest> request;
    std::string error;
};

// "strict_source" -> "strict source".
std::string normalizeNgWord(std::string_view word);

} // namespace rtcgate::control
