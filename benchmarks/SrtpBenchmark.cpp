// SRTP protect and unprotect of a 172-byte RTP packet (20 ms of G.711) on libsrtp2 built
// with OpenSSL, with one session and with 1000 sessions used round-robin (a busy shard's
// cache behaviour). DESIGN.md's reference: 0.40 us per AES-CM-80 protect, 0.42 us at 1000.
#include "SrtpKeys.hpp"

#include "rtcgate/srtp/SrtpSession.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <numeric>
#include <vector>

namespace {

using namespace rtcgate::srtp;

constexpr std::size_t kRtpPacketSize = 172;
constexpr std::size_t kBufferSize = kRtpPacketSize + kSrtpMaxOverhead;
// Packets prepared ahead between timed stretches (sessions * rounds >= this): few enough to stay
// in cache, as a packet just received would be.
constexpr std::size_t kMinimumBatch = 1000;

using rtcgate::testing::makeKey;

// `sessions` sender/receiver pairs and a batch of packets, packet i belonging to pair i % sessions,
// each pair's packets in sequence order.
class SrtpLoad {
public:
    SrtpLoad(SrtpProfile profile, std::size_t sessions) : nextSequenceNumbers_(sessions, 1) {
        senders_.reserve(sessions);
        receivers_.reserve(sessions);
        for (std::size_t index = 0; index < sessions; ++index) {
            const auto seed = static_cast<std::uint8_t>(index);
            senders_.emplace_back(profile, makeKey(profile, seed), makeKey(profile, seed + 1));
            receivers_.emplace_back(profile, makeKey(profile, seed + 1), makeKey(profile, seed));
        }
        const std::size_t rounds = (kMinimumBatch + sessions - 1) / sessions;
        buffers_.assign(sessions * rounds, std::vector<std::uint8_t>(kBufferSize));
        lengths_.resize(buffers_.size());
    }

    std::size_t size() const { return buffers_.size(); }
    std::size_t sessions() const { return senders_.size(); }

    void fillPlain() {
        for (std::size_t index = 0; index < buffers_.size(); ++index) {
            std::vector<std::uint8_t>& packet = buffers_[index];
            const std::size_t session = index % sessions();
            const std::uint16_t sequenceNumber = nextSequenceNumbers_[session]++;
            packet[0] = 0x80;
            packet[1] = 0; // PCMU
            packet[2] = static_cast<std::uint8_t>(sequenceNumber >> 8);
            packet[3] = static_cast<std::uint8_t>(sequenceNumber);
            packet[8] = static_cast<std::uint8_t>(session >> 8); // SSRC
            packet[9] = static_cast<std::uint8_t>(session);
            std::fill(packet.begin() + 12, packet.begin() + kRtpPacketSize, std::uint8_t{0xD5});
            lengths_[index] = kRtpPacketSize;
        }
    }

    SrtpStatus protect(std::size_t index) {
        return senders_[index % sessions()].protectRtp(buffers_[index], lengths_[index]);
    }
    SrtpStatus unprotect(std::size_t index) {
        return receivers_[index % sessions()].unprotectRtp(buffers_[index], lengths_[index]);
    }

    void protectAll() {
        for (std::size_t index = 0; index < size(); ++index) {
            protect(index);
        }
    }

private:
    std::vector<SrtpSession> senders_;
    std::vector<SrtpSession> receivers_;
    std::vector<std::uint16_t> nextSequenceNumbers_;
    std::vector<std::vector<std::uint8_t>> buffers_;
    std::vector<std::size_t> lengths_;
};

void protectRtp(benchmark::State& state, SrtpProfile profile) {
    SrtpLoad load(profile, static_cast<std::size_t>(state.range(0)));
    load.fillPlain();
    std::size_t index = 0;
    for (auto _ : state) {
        if (index == load.size()) {
            state.PauseTiming();
            load.fillPlain();
            index = 0;
            state.ResumeTiming();
        }
        if (load.protect(index++) != SrtpStatus::Ok) {
            state.SkipWithError("protect failed");
            break;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void unprotectRtp(benchmark::State& state, SrtpProfile profile) {
    SrtpLoad load(profile, static_cast<std::size_t>(state.range(0)));
    load.fillPlain();
    load.protectAll();
    std::size_t index = 0;
    for (auto _ : state) {
        if (index == load.size()) {
            state.PauseTiming();
            load.fillPlain();
            load.protectAll();
            index = 0;
            state.ResumeTiming();
        }
        if (load.unprotect(index++) != SrtpStatus::Ok) {
            state.SkipWithError("unprotect failed");
            break;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

} // namespace

BENCHMARK_CAPTURE(protectRtp, AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_80)
    ->ArgName("sessions")
    ->Arg(1)
    ->Arg(1000);
BENCHMARK_CAPTURE(protectRtp, AesCm128HmacSha1_32, SrtpProfile::AesCm128HmacSha1_32)
    ->ArgName("sessions")
    ->Arg(1)
    ->Arg(1000);
BENCHMARK_CAPTURE(protectRtp, AeadAes128Gcm, SrtpProfile::AeadAes128Gcm)->ArgName("sessions")->Arg(1)->Arg(1000);
BENCHMARK_CAPTURE(unprotectRtp, AesCm128HmacSha1_80, SrtpProfile::AesCm128HmacSha1_80)
    ->ArgName("sessions")
    ->Arg(1)
    ->Arg(1000);
BENCHMARK_CAPTURE(unprotectRtp, AesCm128HmacSha1_32, SrtpProfile::AesCm128HmacSha1_32)
    ->ArgName("sessions")
    ->Arg(1)
    ->Arg(1000);
BENCHMARK_CAPTURE(unprotectRtp, AeadAes128Gcm, SrtpProfile::AeadAes128Gcm)->ArgName("sessions")->Arg(1)->Arg(1000);
