// What an EventTranslator or EventSender handed out, read back packet by packet, for the tests of both.
#pragma once

#include "rtcgate/dtmf/EventEmitter.hpp"
#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <utility>
#include <vector>

namespace rtcgate::dtmf::testing {

struct SentEvent {
    std::uint8_t payloadType = 0;
    bool marker = false;
    std::uint16_t sequence = 0;
    std::uint32_t timestamp = 0;
    std::uint32_t ssrc = 0;
    TelephoneEvent event;
};

// The durations sent, in order, and whether each had the E bit.
using Durations = std::vector<std::pair<std::uint16_t, bool>>;

struct EventOutputRecorder {
    void record(const EventOutput& output) {
        for (const EventEmitter::Packet& packet : output.packets) {
            ASSERT_EQ(packet.length, EventEmitter::kPacketSize);
            const rtp::RtpPacket view(packet.buffer.first(packet.length));
            const auto event = TelephoneEvent::parse(view.payload());
            ASSERT_TRUE(event.has_value());
            sent.push_back(
                {view.payloadType(), view.marker(), view.sequenceNumber(), view.timestamp(), view.ssrc(), *event});
        }
        ended.insert(ended.end(), output.ended.begin(), output.ended.end());
    }

    Durations durations() const {
        Durations result;
        for (const SentEvent& packet : sent) {
            result.emplace_back(packet.event.duration, packet.event.end);
        }
        return result;
    }

    // Every packet: `payloadType`, the writer's SSRC, consecutive sequence numbers from `firstSequence`.
    void expectOwnStream(std::uint8_t payloadType, const rtp::RtpStreamWriter& writer,
                         std::uint16_t firstSequence) const {
        for (std::size_t i = 0; i < sent.size(); ++i) {
            EXPECT_EQ(sent[i].payloadType, payloadType);
            EXPECT_EQ(sent[i].ssrc, writer.ssrc());
            EXPECT_EQ(sent[i].sequence, static_cast<std::uint16_t>(firstSequence + i)) << i;
        }
    }

    std::vector<SentEvent> sent;
    std::vector<RelayedEvent> ended;
};

} // namespace rtcgate::dtmf::testing
