// A datagram on a media port whose first byte says RTP or RTCP: classify, the RTP view, the length checks made
// after SRTP, and the compound RTCP parser (RFC 3550 A.2) with its reports.
#include "FuzzInput.hpp"

#include "rtcgate/rtp/RtcpPacket.hpp"
#include "rtcgate/rtp/RtpPacket.hpp"

using namespace rtcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::FuzzInput input(data, size);
    const auto packet = input.rest();
    const auto kind = rtp::classify(packet);
    if (kind == rtp::PacketKind::Invalid) {
        return 0;
    }
    const bool valid = rtp::hasValidLengths(kind, packet);
    if (kind == rtp::PacketKind::Rtp) {
        const rtp::RtpPacket view(packet);
        const auto payload = view.payload();
        if (view.headerSize() > packet.size() || payload.size() > packet.size() - view.headerSize()) {
            __builtin_trap();
        }
        (void)view.sequenceNumber();
        (void)view.ssrc();
        return 0;
    }
    const auto summary = rtp::parseCompound(packet);
    if (summary.has_value() != valid || (summary && summary->blocks().size() > rtp::kMaxReportBlocks)) {
        __builtin_trap(); // what is forwarded is what rtcgated itself can read
    }
    return 0;
}
