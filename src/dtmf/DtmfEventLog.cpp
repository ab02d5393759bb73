#include "rtcgate/dtmf/DtmfEventLog.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <sys/socket.h>

#include <exception>
#include <utility>

namespace rtcgate::dtmf {

std::string_view dtmfSourceName(DtmfSource source) noexcept {
    switch (source) {
    case DtmfSource::Rfc4733:
        return "RFC 4733";
    case DtmfSource::InBand:
        return "in-band";
    case DtmfSource::PlayDtmf:
        return "play DTMF";
    }
    return "unknown";
}

DtmfEventLog::DtmfEventLog(const net::Endpoint& destination) : destination_(destination), socket_(io_) {
    socket_.open(destination.protocol(), openError_);
    if (!openError_) {
        socket_.connect(destination, openError_);
    }
    if (!openError_) {
        socket_.non_blocking(true, openError_);
    }
    if (openError_) {
        boost::system::error_code ignored;
        socket_.close(ignored);
        return;
    }
    fd_ = socket_.native_handle();
}

std::string DtmfEventLog::format(const DtmfLogEntry& entry) {
    boost::json::object json;
    // rtpengine's fields, in dtmf_json_print's order.
    json["callid"] = entry.callId;
    json["source_tag"] = entry.tag;
    json["source_label"] = entry.label;
    boost::json::array tags;
    tags.emplace_back(entry.tag);
    if (!entry.peerTag.empty()) {
        tags.emplace_back(entry.peerTag);
    }
    json["tags"] = std::move(tags);
    json["type"] = "DTMF";
    json["timestamp"] = std::chrono::duration_cast<std::chrono::seconds>(entry.when.time_since_epoch()).count();
    json["source_ip"] = entry.sourceEndpoint ? entry.sourceEndpoint->address().to_string() : std::string();
    json["event"] = static_cast<unsigned>(entry.event);
    json["duration"] = entry.durationMs;
    json["volume"] = static_cast<unsigned>(entry.volume);
    // rtcgate's.
    if (entry.digit != '\0') {
        json["digit"] = std::string_view(&entry.digit, 1);
    } else {
        json["digit"] = nullptr;
    }
    json["source"] = dtmfSourceName(entry.source);
    return boost::json::serialize(json);
}

void DtmfEventLog::send(const DtmfLogEntry& entry) noexcept {
    if (fd_ < 0) {
        failed_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    std::string text;
    try {
        text = format(entry);
    } catch (const std::exception&) { // out of memory: the entry is dropped like a lost datagram
        failed_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    // One datagram, never waited for: MSG_DONTWAIT fails with EAGAIN when the socket buffer is full.
    const auto written = ::send(fd_, text.data(), text.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (written < 0 || static_cast<std::size_t>(written) != text.size()) {
        failed_.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    sent_.fetch_add(1, std::memory_order_relaxed);
}

} // namespace rtcgate::dtmf
