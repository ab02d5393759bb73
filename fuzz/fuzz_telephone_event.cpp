// RFC 4733 telephone-event packets of a source, one direction of the relay between two clock rates: the
// translator follows events, rescales and re-sends them, ends lost ones on poll. Each input is a sequence of
// packets, each prefixed by its length (one byte) and a gap in milliseconds (one byte) before it arrives.
#include "FuzzInput.hpp"

#include "rtcgate/dtmf/EventTranslator.hpp"
#include "rtcgate/dtmf/TelephoneEvent.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"
#include "rtcgate/rtp/RtpStreamWriter.hpp"

#include <chrono>

using namespace rtcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    const std::uint8_t options = input.take();
    rtp::RtpStreamWriter writer;
    dtmf::EventTranslator translator(
        dtmf::EventTranslatorConfig{.sourceClockRate = (options & 1U) != 0 ? 48000U : 8000U,
                                    .targetClockRate = (options & 2U) != 0 ? 48000U : 8000U,
                                    .targetPayloadType =
                                        (options & 4U) != 0 ? std::nullopt : std::optional<std::uint8_t>(101)},
        writer);
    auto now = dtmf::EventTranslator::Clock::now();
    std::uint32_t audioTimestamp = 0;
    while (!input.rest().empty()) {
        const std::uint8_t length = input.take();
        now += std::chrono::milliseconds(input.take());
        audioTimestamp += 160;
        const auto bytes = input.take(length);
        if (rtp::classify(bytes) != rtp::PacketKind::Rtp) {
            continue;
        }
        const rtp::RtpPacket packet(bytes);
        (void)dtmf::TelephoneEvent::parse(packet.payload());
        (void)translator.push(packet, now, audioTimestamp);
        (void)translator.poll(now);
    }
    (void)translator.poll(now + std::chrono::seconds(1));
    return 0;
}
