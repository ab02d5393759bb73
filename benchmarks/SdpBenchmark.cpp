// SDP parse, rewrite and serialize: the per-offer/answer cost on the control path.
#include "../tests/unit/sdp/SdpCorpus.hpp"

#include "rtcgate/sdp/SdpRewriter.hpp"
#include "rtcgate/sdp/SessionDescription.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

namespace {

using namespace rtcgate::sdp;

const RewriteOptions options{"203.0.113.1", true, false};

std::vector<LocalMedia> firstLineRelayed(const SessionDescription& sdp) {
    std::vector<LocalMedia> local(sdp.media.size());
    local.front() = {true, 40000, 40001};
    return local;
}

void parseSdp(benchmark::State& state, std::string_view text) {
    const std::string wire = corpus::withCrlf(text);
    for (auto _ : state) {
        auto sdp = SessionDescription::parse(wire);
        benchmark::DoNotOptimize(sdp);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * wire.size()));
}

void rewriteSdp(benchmark::State& state, std::string_view text) {
    SessionDescription sdp = *SessionDescription::parse(corpus::withCrlf(text));
    const std::vector<LocalMedia> local = firstLineRelayed(sdp);
    // Rewriting the same description again does the same work (every line it touches is rewritten
    // again), so no copy or timer pause is needed per iteration.
    for (auto _ : state) {
        rewrite(sdp, local, options);
        benchmark::DoNotOptimize(sdp);
    }
}

void serializeSdp(benchmark::State& state, std::string_view text) {
    const SessionDescription sdp = *SessionDescription::parse(corpus::withCrlf(text));
    for (auto _ : state) {
        std::string wire = sdp.serialize();
        benchmark::DoNotOptimize(wire);
    }
}

// What an ng offer costs the SDP module end to end.
void parseRewriteSerializeSdp(benchmark::State& state, std::string_view text) {
    const std::string wire = corpus::withCrlf(text);
    const std::vector<LocalMedia> local = firstLineRelayed(*SessionDescription::parse(wire));
    for (auto _ : state) {
        auto sdp = SessionDescription::parse(wire);
        rewrite(*sdp, local, options);
        std::string out = sdp->serialize();
        benchmark::DoNotOptimize(out);
    }
}

} // namespace

BENCHMARK_CAPTURE(parseSdp, ChromeOffer, corpus::chromeOffer);
BENCHMARK_CAPTURE(parseSdp, AsteriskOffer, corpus::asteriskOffer);
BENCHMARK_CAPTURE(rewriteSdp, ChromeOffer, corpus::chromeOffer);
BENCHMARK_CAPTURE(rewriteSdp, AsteriskOffer, corpus::asteriskOffer);
BENCHMARK_CAPTURE(serializeSdp, ChromeOffer, corpus::chromeOffer);
BENCHMARK_CAPTURE(serializeSdp, AsteriskOffer, corpus::asteriskOffer);
BENCHMARK_CAPTURE(parseRewriteSerializeSdp, ChromeOffer, corpus::chromeOffer);
BENCHMARK_CAPTURE(parseRewriteSerializeSdp, AsteriskOffer, corpus::asteriskOffer);
