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

// `crypto`: the browser's Opus over SDES-SRTP; else PCMU over RTP. A
// transcoding daemon sends RTCP of its own: a=rtcp names the party's RTP
// socket, so it lands where the party reads (and another party's socket does
// not get it).
std::string CallSetup::partySdp(std::uint16_t port, const srtp::CryptoAttribute* crypto) const {
    std::string media = fmt::format("m=audio {} RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n", port);
    if (crypto != nullptr) {
        media = fmt::format("m=audio {} RTP/SAVP 111\r\na=rtpmap:111 opus/48000/2\r\n"
                            "a=fmtp:111 minptime=10;useinbandfec=1\r\na=crypto:{}\r\n",
                            port, crypto->toString());
    }
    if (config_.mode == TrafficMode::Transcode) {
        media += fmt::format("a=rtcp:{}\r\n", port);
    }
    return fmt::format("v=0\r\n"
                       "o=- {port} 1 IN {family} {address}\r\n"
                       "s=rtcgate-load\r\n"
                       "c=IN {family} {address}\r\n"
                       "t=0 0\r\n"
                       "{media}"
                       "a=ptime:{ptime}\r\n"
                       "a=sendrecv\r\n",
                       fmt::arg("port", port), fmt::arg("family", config_.address.is_v6() ? "IP6" : "IP4"),
                       fmt::arg("address", config_.address.to_string()), fmt::arg("media", media),
                       fmt::arg("ptime", config_.ptimeMs));
}

bool CallSetup::negotiate(const bencode::Dict& request, boost::asio::ip::udp::endpoint& daemonSide,
                          sdp::SessionDescription& reply, std::string& error) {
    control::NgReply answer = client_.request(request);
    if (!answer.ok() || answer.result() != "ok") {
        error = replyError(answer);
        return false;
    }
    const bencode::Value* sdpText = answer.dict.find("sdp");
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
    reply = std::move(*sdp);
    return true;
}

bool CallSetup::establishOne(std::size_t call, PartySocket& caller, PartySocket& callee, std::string& error) {
    if (!caller.open(config_.address, error) || !callee.open(config_.address, error)) {
        return false;
    }
    const std::string id = callId(call);
    const std::string fromTag = "caller-" + std::to_string(call);
    const std::string toTag = "callee-" + std::to_string(call);
    const bool transcode = config_.mode == TrafficMode::Transcode;
    std::optional<srtp::CryptoAttribute> callerCrypto;
    if (transcode) {
        callerCrypto = srtp::CryptoAttribute::generate(1, srtp::SrtpProfile::AesCm128HmacSha1_80);
    }

    // The offer's reply is the SDP for the callee: where B sends; the
    // answer's reply is the SDP for the caller: where A sends.
    bencode::Dict offer{{"command", "offer"},
                        {"call-id", id},
                        {"from-tag", fromTag},
                        {"sdp", partySdp(caller.localPort(), callerCrypto ? &*callerCrypto : nullptr)}};
    if (transcode) {
        offer.emplace("transport-protocol", "RTP/AVP");
        offer.emplace("codec", bencode::Dict{{"mask", bencode::List{"opus"}}, {"transcode", bencode::List{"PCMU"}}});
    }
    boost::asio::ip::udp::endpoint forCallee;
    sdp::SessionDescription toCallee;
    ++offered_;
    if (!negotiate(offer, forCallee, toCallee, error)) {
        error = "offer of " + id + ": " + error;
        return false;
    }
    boost::asio::ip::udp::endpoint forCaller;
    sdp::SessionDescription toCaller;
    if (!negotiate({{"command", "answer"},
                    {"call-id", id},
                    {"from-tag", fromTag},
                    {"to-tag", toTag},
                    {"sdp", partySdp(callee.localPort(), nullptr)}},
                   forCaller, toCaller, error)) {
        error = "answer of " + id + ": " + error;
        return false;
    }
    std::optional<srtp::SrtpKeyPair> callerKeys;
    if (callerCrypto) {
        for (const std::string& line : toCaller.media[0].attributes("crypto")) {
            const auto daemonCrypto = srtp::CryptoAttribute::parse(line);
            if (daemonCrypto && daemonCrypto->suite == callerCrypto->suite) {
                callerKeys = srtp::SrtpKeyPair{callerCrypto->keys[0].masterKey, daemonCrypto->keys[0].masterKey};
                break;
            }
        }
        if (!callerKeys) {
            error = "answer of " + id + ": the SDP for the caller has no a=crypto of its suite";
            return false;
        }
    }
    caller.setDestination(forCaller);
    callee.setDestination(forCallee);
    keys_.push_back(std::move(callerKeys));
    keys_.emplace_back();
    return true;
}

std::vector<std::optional<srtp::SrtpSession>> CallSetup::srtpSessions() const {
    std::vector<std::optional<srtp::SrtpSession>> sessions;
    sessions.reserve(keys_.size());
    for (const auto& keys : keys_) {
        if (keys) {
            sessions.emplace_back(std::in_place, srtp::SrtpProfile::AesCm128HmacSha1_80, *keys);
        } else {
            sessions.emplace_back();
        }
    }
    return sessions;
}

SetupSummary CallSetup::establish(std::vector<PartySocket>& parties) {
    SetupSummary summary;
    parties.clear();
    parties.reserve(2 * config_.calls);
    keys_.clear();
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
