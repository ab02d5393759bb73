#include "rtcgate/control/Bencode.hpp"

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

namespace {

using namespace rtcgate::bencode;

// A browser's offer as the proxy forwards it: about 1 KB of SDP.
const std::string browserSdp = "v=0\r\n"
                               "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n"
                               "s=-\r\n"
                               "t=0 0\r\n"
                               "a=group:BUNDLE 0\r\n"
                               "a=extmap-allow-mixed\r\n"
                               "a=msid-semantic: WMS 3a5b2f5e-5d5c-4d62-9b8b-2f2a6f0e5d1c\r\n"
                               "m=audio 51372 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\n"
                               "c=IN IP4 203.0.113.7\r\n"
                               "a=rtcp:9 IN IP4 0.0.0.0\r\n"
                               "a=candidate:1467250027 1 udp 2122260223 192.168.1.20 51372 typ host generation 0\r\n"
                               "a=candidate:842163049 1 udp 1686052607 203.0.113.7 51372 typ srflx raddr 192.168.1.20 "
                               "rport 51372 generation 0\r\n"
                               "a=ice-ufrag:4ZcD\r\n"
                               "a=ice-pwd:2/1muCWoOi3uLifh0NuRHlt4\r\n"
                               "a=ice-options:trickle\r\n"
                               "a=fingerprint:sha-256 49:66:12:17:0D:1C:91:AE:57:4C:C6:36:DD:D5:97:D2:7D:62:C9:9A:7F:"
                               "B9:A3:F4:70:03:E7:43:91:73:23:5E\r\n"
                               "a=setup:actpass\r\n"
                               "a=mid:0\r\n"
                               "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n"
                               "a=sendrecv\r\n"
                               "a=msid:3a5b2f5e-5d5c-4d62-9b8b-2f2a6f0e5d1c 7d0f5e3a-1b2c-4d5e-8f9a-0b1c2d3e4f5a\r\n"
                               "a=rtcp-mux\r\n"
                               "a=rtpmap:111 opus/48000/2\r\n"
                               "a=rtcp-fb:111 transport-cc\r\n"
                               "a=fmtp:111 minptime=10;useinbandfec=1\r\n"
                               "a=rtpmap:63 red/48000/2\r\n"
                               "a=fmtp:63 111/111\r\n"
                               "a=rtpmap:9 G722/8000\r\n"
                               "a=rtpmap:0 PCMU/8000\r\n"
                               "a=rtpmap:8 PCMA/8000\r\n"
                               "a=rtpmap:13 CN/8000\r\n"
                               "a=rtpmap:110 telephone-event/48000\r\n"
                               "a=rtpmap:126 telephone-event/8000\r\n"
                               "a=ssrc:3735928559 cname:Hx3Lr8fQm2VbZk9T\r\n";

Value offer() {
    return Value{Dict{
        {"command", "offer"},
        {"call-id", "8f6d1e2c-4b3a-4c5d-9e8f-7a6b5c4d3e2f@198.51.100.10"},
        {"from-tag", "as5f3c2b1a"},
        {"via-branch", "z9hG4bK-524287-1---4d8e8c1b3a2f"},
        {"sdp", browserSdp},
        {"ICE", "remove"},
        {"DTLS", "off"},
        {"transport-protocol", "RTP/AVP"},
        {"flags", List{"trust-address", "SIP-source", "port-latching", "generate-mid"}},
        {"replace", List{"origin", "session-connection"}},
        {"rtcp-mux", List{"demux"}},
        {"codec", Dict{{"transcode", List{"PCMU", "PCMA"}}, {"strip", List{"G722"}}}},
        {"received-from", List{"IP4", "198.51.100.10"}},
    }};
}

// A query reply of a bridged call: two tags, one medium each, RTP and RTCP streams.
Value queryReply() {
    auto stream = [](Integer port, Integer packets) {
        return Value{Dict{
            {"local port", port},
            {"endpoint", Dict{{"family", "IPv4"}, {"address", "198.51.100.20"}, {"port", port + 10000}}},
            {"advertised endpoint", Dict{{"family", "IPv4"}, {"address", "198.51.100.20"}, {"port", port + 10000}}},
            {"last packet", 1700000123},
            {"flags", List{"RTP", "filled", "confirmed", "kernelized"}},
            {"SSRC", Integer{3735928559}},
            {"stats", Dict{{"packets", packets}, {"bytes", packets * 172}, {"errors", 0}}},
        }};
    };
    auto tag = [&](const char* name, Integer port) {
        return Value{Dict{
            {"tag", name},
            {"created", 1700000000},
            {"in dialogue with", name[0] == 'a' ? "bs82hd7e" : "as5f3c2b1a"},
            {"medias", List{Dict{
                           {"index", 1},
                           {"type", "audio"},
                           {"protocol", "RTP/AVP"},
                           {"streams", List{stream(port, 6150), stream(port + 1, 61)}},
                           {"flags", List{"initialized", "send", "recv"}},
                       }}},
        }};
    };
    return Value{Dict{
        {"result", "ok"},
        {"created", 1700000000},
        {"created_us", 123456},
        {"last signal", 1700000002},
        {"last redis update", 0},
        {"SSRC", Dict{}},
        {"tags", Dict{{"as5f3c2b1a", tag("as5f3c2b1a", 30000)}, {"bs82hd7e", tag("bs82hd7e", 30002)}}},
        {"totals", Dict{{"RTP", Dict{{"packets", 12300}, {"bytes", 2115600}, {"errors", 0}}},
                        {"RTCP", Dict{{"packets", 122}, {"bytes", 9760}, {"errors", 0}}}}},
    }};
}

void decodeBenchmark(benchmark::State& state, const std::string& bytes) {
    for (auto _ : state) {
        DecodeResult result = decode(bytes);
        benchmark::DoNotOptimize(result);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes.size()));
    state.SetLabel(std::to_string(bytes.size()) + " bytes");
}

// Into a reused buffer, as a server does with its reply buffer.
void encodeBenchmark(benchmark::State& state, const Value& value) {
    std::string out;
    for (auto _ : state) {
        out.clear();
        encode(value, out);
        benchmark::DoNotOptimize(out.data());
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
    state.SetLabel(std::to_string(out.size()) + " bytes");
}

void BencodeDecodeOffer(benchmark::State& state) {
    decodeBenchmark(state, encode(offer()));
}
BENCHMARK(BencodeDecodeOffer);

void BencodeEncodeOffer(benchmark::State& state) {
    encodeBenchmark(state, offer());
}
BENCHMARK(BencodeEncodeOffer);

void BencodeDecodeQueryReply(benchmark::State& state) {
    decodeBenchmark(state, encode(queryReply()));
}
BENCHMARK(BencodeDecodeQueryReply);

void BencodeEncodeQueryReply(benchmark::State& state) {
    encodeBenchmark(state, queryReply());
}
BENCHMARK(BencodeEncodeQueryReply);

} // namespace
