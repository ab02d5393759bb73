#include "rtcgate/control/UdpReply.hpp"

#include "rtcgate/control/NgCommandHandler.hpp"

#include <spdlog/spdlog.h>

namespace rtcgate::control {

namespace {

// The bencoded size of a string: "<length>:<bytes>".
std::size_t encodedSize(const std::string& text) {
    return std::to_string(text.size()).size() + 1 + text.size();
}

// `list`: the call-ids that fit, and how many there were.
bool truncateCalls(bencode::Dict& reply, std::size_t over) {
    auto calls = reply.find("calls");
    if (calls == reply.end() || !calls->second.isList()) {
        return false;
    }
    auto& list = calls->second.asList();
    const std::size_t total = list.size();
    // Room for the warning and the count, generously.
    std::size_t toFree = over + 256;
    while (!list.empty() && toFree > 0) {
        const std::size_t freed = encodedSize(list.back().asString());
        list.pop_back();
        toFree = freed >= toFree ? 0 : toFree - freed;
    }
    reply["total calls"] = static_cast<bencode::Integer>(total);
    appendWarning(reply,
                  "Truncated to " + std::to_string(list.size()) + " of " + std::to_string(total) +
                      " calls to fit a UDP datagram: ask with a smaller 'limit', or over the TCP control socket");
    return true;
}

} // namespace

std::string encodeReply(std::string_view cookie, const bencode::Dict& reply) {
    std::string out;
    out.reserve(cookie.size() + 64);
    out.append(cookie);
    out.push_back(' ');
    bencode::encode(reply, out);
    return out;
}

std::string encodeUdpReply(std::string_view cookie, bencode::Dict reply, std::size_t maxBytes) {
    std::string encoded = encodeReply(cookie, reply);
    if (encoded.size() <= maxBytes) {
        return encoded;
    }
    const std::size_t size = encoded.size();
    spdlog::warn("ng: a reply of {} bytes does not fit a UDP datagram: shortened", size);
    if (truncateCalls(reply, size - maxBytes)) {
        encoded = encodeReply(cookie, reply);
    } else if (reply.erase("tags") + reply.erase("SSRC") > 0) {
        warnPartiesLeftOut(reply, std::to_string(size));
        encoded = encodeReply(cookie, reply);
    }
    if (encoded.size() > maxBytes) {
        encoded = encodeReply(cookie, bencode::Dict{{"result", "error"},
                                                    {"error-reason", "The reply (" + std::to_string(size) +
                                                                         " bytes) does not fit a UDP datagram: the "
                                                                         "command has run; use the TCP control "
                                                                         "socket (--listen-tcp-ng)"}});
    }
    return encoded;
}

} // namespace rtcgate::control
