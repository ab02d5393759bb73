#include "CallSetup.hpp"

#include "StopRequest.hpp"

#include "rtcgate/sdp/SdpRewriter.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>

#include <thread>

namespace rtcgate::load {

namespace {

const bencode::Value* path(const bencode::Value& value, std::initializer_list<std::string_view> keys) {
    const bencode::Value* at = &value;
    for (auto key : keys) {
        at = at->find(key);
        if (at == nullptr) {
            return nullptr;
        }
    }
    return at;
}

std::string replyError(const control::NgReply& reply) {
    if (!reply.ok()) {
        return reply.error;
    }
    const bencode::Value* reason = reply.dict.find("error-reason");
    return "result \"" + std::string{reply.result()} + "\"" +
           (reason != nullptr && reason->isString() ? ": " + reason->asString() : std::string{});
}

} // namespace

CallSetup::CallSetup(const LoadConfig& config, control::NgClient& client) : config_(config), client_(client) {}

std::string CallSetup::partySdp(std::uint16_t port) const {
    return fmt::format("v=0\r\n"
                       "o=- {port} 1 IN {family} {address}\r\n"
                       "s=rtcgate-load\r\n"
                       "c=IN {family} {address}\r\n"
                       "t=0 0\r\n"
                       "m=audio {port} RTP/AVP 0\r\n"
                       "a=rtpmap:0 PCMU/8000\r\n"
                       "a=ptime:{ptime}\r\n"
                       "a=sendrecv\r\n",
                       fmt::arg("port", port), fmt::arg("family", config_.address.is_v6() ? "IP6" : "IP4"),
                       fmt::arg("address", config_.address.to_string()), fmt::arg("ptime", config_.ptimeMs));
}

bool CallSetup::negotiate(const bencode::Dict& request, boost::asio::ip::udp::endpoint& daemonSide,
                          std::string& error) {
    control::NgReply reply = client_.request(request);
    if (!reply.ok() || reply.result() != "ok") {
        error = replyError(reply);
        return false;
    }
    const bencode::Value* sdpText = reply.dict.find("sdp");
    if (sdpText == nullptr || !sdpText->isString()) {
        error = "the reply has no SDP";
        return false;
    }
    std::string parseError;
    auto sdp = sdp::SessionDescription::parse(sdpText->asString(), &parseError);
    if (!sdp) {
        error = "the reply's SDP does not parse: " + parseError;
        return false;
    }
    auto transport = sdp::peerTransport(*sdp, 0);
    if (!transport) {
        error = "the reply's SDP has no relayed audio line";
        return false;
    }
    boost::system::error_code addressError;
    auto address = boost::asio::ip::make_address(transport->address, addressError);
    if (addressError || !address.is_loopback()) {
        error = "the daemon's media address \"" + transport->address + "\" is not a loopback address";
        return false;
    }
    daemonSide = boost::asio::ip::udp::endpoint{address, transport->rtpPort};
    return true;
}

bool CallSetup::establishOne(std::size_t call, PartySocket& caller, PartySocket& callee, std::string& error) {
    if (!caller.open(config_.address, error) || !callee.open(config_.address, error)) {
        return false;
    }
    const std::string id = callId(call);
    const std::string fromTag = "caller-" + std::to_string(call);
    const std::string toTag = "callee-" + std::to_string(call);

    // The offer's reply is the SDP for the callee: where B sends; the
    // answer's reply is the SDP for the caller: where A sends.
    boost::asio::ip::udp::endpoint forCallee;
    ++offered_;
    if (!negotiate(
            {{"command", "offer"}, {"call-id", id}, {"from-tag", fromTag}, {"sdp", partySdp(caller.localPort())}},
            forCallee, error)) {
        error = "offer of " + id + ": " + error;
        return false;
    }
    boost::asio::ip::udp::endpoint forCaller;
    if (!negotiate({{"command", "answer"},
                    {"call-id", id},
                    {"from-tag", fromTag},
                    {"to-tag", toTag},
                    {"sdp", partySdp(callee.localPort())}},
                   forCaller, error)) {
        error = "answer of " + id + ": " + error;
        return false;
    }
    caller.setDestination(forCaller);
    callee.setDestination(forCallee);
    return true;
}

SetupSummary CallSetup::establish(std::vector<PartySocket>& parties) {
    SetupSummary summary;
    parties.clear();
    parties.reserve(2 * config_.calls);
    const auto start = std::chrono::steady_clock::now();
    const auto interval = std::chrono::duration<double>(1.0 / config_.setupRate);
    for (std::size_t call = 0; call < config_.calls; ++call) {
        if (stopRequested()) {
            summary.error = "stopped by a signal";
            break;
        }
        std::this_thread::sleep_until(start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                  interval * static_cast<double>(call)));
        PartySocket caller;
        PartySocket callee;
        if (!establishOne(call, caller, callee, summary.error)) {
            break;
        }
        parties.push_back(std::move(caller));
        parties.push_back(std::move(callee));
        ++summary.established;
    }
    summary.elapsed = std::chrono::steady_clock::now() - start;
    return summary;
}

DeleteSummary CallSetup::removeAll() {
    DeleteSummary summary;
    for (std::size_t call = 0; call < offered_; ++call) {
        const std::string id = callId(call);
        // rtpengine's delete reply carries no statistics; a query's does (rtcgated's both).
        control::NgReply query = client_.request({{"command", "query"}, {"call-id", id}});
        const bencode::Value* packets = path(query.dict, {"totals", "RTP", "packets"});
        const bencode::Value* errors = path(query.dict, {"totals", "RTP", "errors"});
        if (query.ok() && packets != nullptr && packets->isInteger()) {
            summary.daemonTotalsSeen = true;
            summary.daemonRtpPackets += packets->asInteger();
            if (errors != nullptr && errors->isInteger()) {
                summary.daemonRtpErrors += errors->asInteger();
            }
        }
        control::NgReply reply = client_.request({{"command", "delete"}, {"call-id", id}});
        if (!reply.ok() || reply.result() != "ok") {
            ++summary.failed;
            if (summary.firstError.empty()) {
                summary.firstError = "delete of " + id + ": " + replyError(reply);
            }
            continue;
        }
        ++summary.deleted;
    }
    offered_ = 0;
    return summary;
}

} // namespace rtcgate::load
