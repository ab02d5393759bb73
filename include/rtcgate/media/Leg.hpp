// One party of a call (one SIP tag): who it is in dialogue with, its digits, the o= version of the
// SDP sent to it, and which side of the call's media lines faces it.
#pragma once

#include "rtcgate/media/DtmfDigit.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <boost/circular_buffer.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace rtcgate::media {

class Leg {
public:
    static constexpr std::size_t kDigitHistory = 32;

    explicit Leg(std::string tag)
        : tag_(std::move(tag)), created_(std::chrono::system_clock::now()), digits_(kDigitHistory) {}

    const std::string& tag() const { return tag_; }
    void setTag(std::string tag) { tag_ = std::move(tag); }
    std::chrono::system_clock::time_point created() const { return created_; }
    // ng "label": the proxy's name for the party (Kamailio's rtpengine_query() picks a side's MOS by it).
    const std::string& label() const { return label_; }
    void setLabel(std::string label) { label_ = std::move(label); }

    // The party this one is in dialogue with (a Leg of the same Call); nullptr before the first offer.
    Leg* peer() const { return peer_; }
    void setPeer(Leg* peer) { peer_ = peer; }

    // Which side of every MediaLine of the call faces this party; nullopt: none (a party whose place
    // another took).
    std::optional<std::size_t> side() const { return side_; }
    void setSide(std::optional<std::size_t> side) { side_ = side; }

    // ng "block DTMF": the party's digits reach its peer in no form.
    bool dtmfBlocked() const { return dtmfBlocked_; }
    void setDtmfBlocked(bool blocked) { dtmfBlocked_ = blocked; }

    // The party's digits: the last kDigitHistory, and how many in all.
    void recordDigit(const DtmfDigit& digit) {
        digits_.push_back(digit);
        ++digitCount_;
    }
    const boost::circular_buffer<DtmfDigit>& digits() const { return digits_; }
    std::uint64_t digitCount() const { return digitCount_; }

    // Fixes the o= session version of an SDP about to be sent to this party:
    // the same SDP keeps the version it had, any change increments it
    // (RFC 3264 section 8). Returns the serialized SDP.
    std::string finalizeSdp(sdp::SessionDescription& sdp);

private:
    std::string tag_;
    std::string label_;
    std::chrono::system_clock::time_point created_;
    Leg* peer_ = nullptr;
    std::optional<std::size_t> side_;
    bool dtmfBlocked_ = false;
    boost::circular_buffer<DtmfDigit> digits_;
    std::uint64_t digitCount_ = 0;
    // Of the last SDP sent, with its version: a hash, not the text, which can be tens of KB per call.
    std::optional<std::size_t> lastSdpHash_;
    std::uint64_t lastVersion_ = 0;
};

} // namespace rtcgate::media
