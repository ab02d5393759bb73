#pragma once

#include "rtcgate/dtls/Certificate.hpp"
#include "rtcgate/dtmf/DtmfEventLog.hpp"
#include "rtcgate/engine/LoadLimits.hpp"
#include "rtcgate/media/MediaContext.hpp"

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace rtcgate::engine {

struct EngineConfig {
    boost::asio::ip::address mediaAddress = boost::asio::ip::make_address_v4("127.0.0.1");
    std::string advertisedAddress; // empty: mediaAddress
    // What marks the SDP this daemon wrote (rtpengine's a=rtpengine:ID, ng "loop protect"); empty: the Engine
    // draws 12 random hex digits, as rtpengine does.
    std::string instanceId;
    std::uint16_t portMin = 30000;
    std::uint16_t portMax = 40000;
    unsigned shards = 1;
    std::chrono::seconds timeout{60};
    std::chrono::seconds deleteDelay{30};
    // A freed port pair waits this long before a new call may use it.
    std::chrono::seconds portQuarantine{5};
    // The DTLS identity every shard uses; nullptr: the Engine generates one.
    std::shared_ptr<const dtls::Certificate> certificate;
    media::TranscodingSettings transcoding{};
    media::LearningPolicy learning{};
    // --dtmf-log-dest, shared by every shard; nullptr: no DTMF log.
    std::shared_ptr<dtmf::DtmfEventLog> dtmfLog;
    LoadLimitsConfig limits{};
    // Above this percent of a core a shard lowers its calls' Opus complexity (ComplexityGovernor); 0: never.
    double opusComplexityCpu = 0;
};

} // namespace rtcgate::engine
