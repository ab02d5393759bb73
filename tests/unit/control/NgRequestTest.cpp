#include "rtcgate/control/NgRequest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rtcgate::control {
namespace {

using bencode::Dict;
using bencode::List;

NgRequest::Parsed parse(Dict d) {
    return NgRequest::parse(bencode::Value(std::move(d)));
}

Dict offer() {
    return Dict{{"command", "offer"}, {"call-id", "c1"}, {"from-tag", "a"}, {"sdp", "v=0"}};
}

TEST(NgRequestTest, ReadsAnOfferAsKamailioSendsIt) {
    Dict d = offer();
    d["flags"] = List{"trust-address", "strict-source", "loop-protect"};
    d["replace"] = List{"origin", "session-connection", "zero-address"};
    d["received-from"] = List{"IP4", "192.0.2.7"};
    d["via-branch"] = "z9hG4bK123";
    d["label"] = "caller";
    d["supports"] = List{"load limit"};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request) << parsed.error;
    const auto& r = *parsed.request;
    EXPECT_EQ(r.command, NgCommand::Offer);
    EXPECT_EQ(r.callId, "c1");
    EXPECT_EQ(r.fromTag, "a");
    EXPECT_EQ(r.sdp, "v=0");
    EXPECT_TRUE(r.flags.strictSource);
    EXPECT_TRUE(r.flags.replaceOrigin);
    EXPECT_TRUE(r.flags.replaceSessionConnection);
    EXPECT_TRUE(r.flags.replaceZeroAddress);
    EXPECT_TRUE(r.flags.loopProtect);
    EXPECT_FALSE(r.flags.sipSourceAddress);
    EXPECT_EQ(r.receivedFrom, "192.0.2.7");
    EXPECT_EQ(r.label, "caller");
    EXPECT_TRUE(r.supportsLoadLimit);
    EXPECT_TRUE(r.ignored.empty());
}

TEST(NgRequestTest, SupportsNamesTheFeaturesItDoesNotKnow) {
    Dict d = offer();
    d["supports"] = List{"load-limit", "time travel", bencode::Integer{1}};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request) << parsed.error;
    EXPECT_TRUE(parsed.request->supportsLoadLimit);
    EXPECT_EQ(parsed.request->ignored, (std::vector<std::string>{"supports: time travel", "supports: (not a string)"}));
    EXPECT_FALSE(parse([] {
                     Dict bad = offer();
                     bad["supports"] = "load limit";
                     return bad;
                 }())
                     .request);
}

TEST(NgRequestTest, FlagsMatchWithSpacesHyphensOrUnderscoresAndAsKeys) {
    for (const char* spelling : {"strict source", "strict-source", "strict_source", "Strict-Source"}) {
        Dict d = offer();
        d["flags"] = List{spelling};
        auto parsed = parse(d);
        ASSERT_TRUE(parsed.request);
        EXPECT_TRUE(parsed.request->flags.strictSource) << spelling;
    }
    Dict d = offer();
    d["strict source"] = "yes";
    d["SIP-source-address"] = 1;
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    EXPECT_TRUE(parsed.request->flags.strictSource);
    EXPECT_TRUE(parsed.request->flags.sipSourceAddress);
}

TEST(NgRequestTest, UnknownFlagsAndKeysAreIgnoredAndNamed) {
    Dict d = offer();
    d["flags"] = List{"frobnicate"};
    d["TOS"] = 184;
    d["x-custom"] = 1;
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    const auto& ignored = parsed.request->ignored;
    ASSERT_EQ(ignored.size(), 3U);
    EXPECT_EQ(ignored[0], "TOS (not supported yet)");
    EXPECT_EQ(ignored[1], "flags: frobnicate");
    EXPECT_EQ(ignored[2], "x-custom");
}

// Kamailio's rtpengine module turns "ICE=remove DTLS=off SDES-off transport-protocol=RTP/AVP rtcp-mux-demux"
// into these keys.
TEST(NgRequestTest, TransportKeysAsKamailioSendsThem) {
    Dict d = offer();
    d["ICE"] = "remove";
    d["DTLS"] = "off";
    d["SDES"] = List{"off"};
    d["transport-protocol"] = "RTP/AVP";
    d["rtcp-mux"] = List{"demux"};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    const auto& t = parsed.request->transport;
    EXPECT_EQ(t.ice, media::IceRequest::Remove);
    EXPECT_EQ(t.dtls, media::DtlsRequest::Off);
    EXPECT_TRUE(t.sdes.off);
    EXPECT_EQ(t.protocol, "RTP/AVP");
    EXPECT_TRUE(t.rtcpMux.demux);
    EXPECT_FALSE(t.rtcpMux.offer);
    EXPECT_TRUE(parsed.request->ignored.empty());
}

TEST(NgRequestTest, TransportKeysAsFlagWords) {
    Dict d = offer();
    d["flags"] = List{"ICE=force",
                      "DTLS=passive",
                      "transport-protocol=UDP/TLS/RTP/SAVPF",
                      "rtcp-mux-offer",
                      "SDES-no-AES_CM_128_HMAC_SHA1_32",
                      "SDES-only-AES_CM_128_HMAC_SHA1_80"};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    const auto& t = parsed.request->transport;
    EXPECT_EQ(t.ice, media::IceRequest::Force);
    EXPECT_EQ(t.dtls, media::DtlsRequest::Passive);
    EXPECT_EQ(t.protocol, "UDP/TLS/RTP/SAVPF");
    EXPECT_TRUE(t.rtcpMux.offer);
    EXPECT_FALSE(t.sdes.off);
    EXPECT_TRUE(t.sdes.allows(srtp::SrtpProfile::AesCm128HmacSha1_80));
    EXPECT_FALSE(t.sdes.allows(srtp::SrtpProfile::AesCm128HmacSha1_32));
    EXPECT_FALSE(t.sdes.allows(srtp::SrtpProfile::AeadAes128Gcm));
    EXPECT_TRUE(parsed.request->ignored.empty());
}

TEST(NgRequestTest, OsrtpAndUnusableSdesSuites) {
    Dict d = offer();
    d["OSRTP"] = List{"offer", "accept-RFC"};
    d["flags"] = List{"SDES-no-NULL_HMAC_SHA1_80", "SDES-no-F8_128_HMAC_SHA1_32", "SDES-only-NULL_HMAC_SHA1_32",
                      "OSRTP-accept-legacy"};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    const auto& t = parsed.request->transport;
    EXPECT_TRUE(t.osrtp.offer);
    EXPECT_TRUE(t.osrtp.accept);
    // Excluding a suite rtcgate never offers is done; asking for it alone cannot be, and is named.
    EXPECT_TRUE(t.sdes.allows(srtp::SrtpProfile::AesCm128HmacSha1_80));
    EXPECT_EQ(parsed.request->ignored,
              (std::vector<std::string>{"flags: SDES-only-NULL_HMAC_SHA1_32", "flags: OSRTP-accept-legacy"}));

    Dict flag = offer();
    flag["flags"] = List{"OSRTP-offer"};
    auto parsedFlag = parse(flag);
    ASSERT_TRUE(parsedFlag.request);
    EXPECT_TRUE(parsedFlag.request->transport.osrtp.offer);
}

TEST(NgRequestTest, UnknownTransportValuesAreNamedInTheWarning) {
    Dict d = offer();
    d["ICE"] = "sometimes";
    d["transport-protocol"] = "TCP/MSRP";
    d["SDES"] = List{"no-NOT_A_SUITE"};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    EXPECT_EQ(parsed.request->transport.ice, media::IceRequest::Default);
    EXPECT_FALSE(parsed.request->transport.protocol);
    ASSERT_EQ(parsed.request->ignored.size(), 3U);
    EXPECT_EQ(parsed.request->ignored[0], "ICE: sometimes");
}

TEST(NgRequestTest, EachCommandIsRecognized) {
    for (auto [name, command] : std::initializer_list<std::pair<const char*, NgCommand>>{
             {"ping", NgCommand::Ping}, {"list", NgCommand::List}, {"statistics", NgCommand::Statistics}}) {
        auto parsed = parse(Dict{{"command", name}});
        ASSERT_TRUE(parsed.request) << name;
        EXPECT_EQ(parsed.request->command, command);
        EXPECT_EQ(toString(command), name);
    }
    auto query = parse(Dict{{"command", "query"}, {"call-id", "x"}});
    ASSERT_TRUE(query.request);
    EXPECT_EQ(query.request->command, NgCommand::Query);
}

struct BadRequest {
    Dict message;
    std::string error;
};

TEST(NgRequestTest, MissingOrMalformedPartsGiveTheRightError) {
    std::vector<BadRequest> cases{
        {Dict{}, "No command in message"},
        {Dict{{"command", 5}}, "No command in message"},
        {Dict{{"command", "frobnicate"}}, "Unrecognized command"},
        {Dict{{"command", "offer"}, {"from-tag", "a"}, {"sdp", "v=0"}}, "No call-id in message"},
        {Dict{{"command", "offer"}, {"call-id", "c"}, {"sdp", "v=0"}}, "No from-tag in message"},
        {Dict{{"command", "offer"}, {"call-id", "c"}, {"from-tag", "a"}}, "No SDP body in message"},
        {Dict{{"command", "answer"}, {"call-id", "c"}, {"from-tag", "a"}, {"sdp", "v=0"}}, "No to-tag in message"},
        {Dict{{"command", "answer"}, {"call-id", "c"}, {"from-tag", "a"}, {"to-tag", "a"}, {"sdp", "v=0"}},
         "from-tag and to-tag are the same"},
        {Dict{{"command", "offer"}, {"call-id", "c"}, {"from-tag", "a"}, {"to-tag", "a"}, {"sdp", "v=0"}},
         "from-tag and to-tag are the same"},
        {Dict{{"command", "delete"}}, "No call-id in message"},
        {Dict{{"command", "query"}}, "No call-id in message"},
        {Dict{{"command", "offer"}, {"call-id", "c"}, {"from-tag", "a"}, {"sdp", "v=0"}, {"flags", "strict"}},
         "'flags' is not a list"},
        {Dict{{"command", "offer"}, {"call-id", "c"}, {"from-tag", "a"}, {"sdp", "v=0"}, {"flags", List{5}}},
         "'flags' holds a non-string"},
        {Dict{{"command", "offer"}, {"call-id", "c"}, {"from-tag", "a"}, {"sdp", "v=0"}, {"received-from", "x"}},
         "'received from' must be a list [family, address]"},
    };
    for (const auto& c : cases) {
        auto parsed = parse(c.message);
        EXPECT_FALSE(parsed.request);
        EXPECT_EQ(parsed.error, c.error);
    }
    EXPECT_EQ(NgRequest::parse(bencode::Value(List{"ping"})).error, "Message is not a dictionary");
}

TEST(NgRequestTest, DeleteDelayAndListLimitAreRead) {
    auto d = parse(Dict{{"command", "delete"}, {"call-id", "c"}, {"delete-delay", 0}});
    ASSERT_TRUE(d.request);
    EXPECT_EQ(d.request->deleteDelay, 0);
    auto l = parse(Dict{{"command", "list"}, {"limit", "20"}});
    ASSERT_TRUE(l.request);
    EXPECT_EQ(l.request->limit, 20);
}

std::vector<std::string> entries(const std::vector<media::CodecMatch>& matches) {
    std::vector<std::string> out;
    for (const auto& m : matches) {
        out.push_back(m.toString());
    }
    return out;
}

// Kamailio's rtpengine module sends "codec-mask-all codec-transcode-PCMU" as this dictionary.
TEST(NgRequestTest, ReadsTheCodecDictionary) {
    Dict d = offer();
    d["codec"] = Dict{
        {"strip", List{"G722", "red"}}, {"except", List{"opus/48000/2"}},
        {"offer", List{"PCMA"}},        {"transcode", List{"PCMU", "PCMA"}},
        {"mask", List{"all"}},          {"accept", List{"opus"}},
    };
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request) << parsed.error;
    const auto& codec = parsed.request->codec;
    EXPECT_EQ(entries(codec.strip), (std::vector<std::string>{"G722", "red"}));
    EXPECT_EQ(entries(codec.except), (std::vector<std::string>{"opus/48000/2"}));
    EXPECT_EQ(entries(codec.offer), (std::vector<std::string>{"PCMA"}));
    EXPECT_EQ(entries(codec.transcode), (std::vector<std::string>{"PCMU", "PCMA"}));
    EXPECT_TRUE(codec.masksAll());
    EXPECT_EQ(entries(codec.accept), (std::vector<std::string>{"opus"}));
    EXPECT_FALSE(codec.alwaysTranscode);
    EXPECT_TRUE(parsed.request->ignored.empty());
}

TEST(NgRequestTest, ACodecSubKeyMayBeOneStringOfCommaSeparatedEntries) {
    Dict d = offer();
    d["codec"] = Dict{{"transcode", "PCMU,opus/48000/2"}, {"strip", "all"}};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    EXPECT_EQ(entries(parsed.request->codec.transcode), (std::vector<std::string>{"PCMU", "opus/48000/2"}));
    EXPECT_TRUE(parsed.request->codec.stripsAll());
}

TEST(NgRequestTest, UnknownOrMalformedCodecEntriesAreIgnoredAndNamed) {
    Dict d = offer();
    d["codec"] = Dict{{"set", List{"opus/48000/2/32000"}}, {"strip", List{"PCMU/fast", 7, "PCMA"}}};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    EXPECT_EQ(parsed.request->ignored,
              (std::vector<std::string>{"codec: set", "codec-strip: PCMU/fast", "codec-strip: (not a string)"}));
    EXPECT_EQ(entries(parsed.request->codec.strip), (std::vector<std::string>{"PCMA"}));

    Dict notADict = offer();
    notADict["codec"] = "PCMU";
    auto second = parse(notADict);
    ASSERT_TRUE(second.request);
    EXPECT_EQ(second.request->ignored, (std::vector<std::string>{"codec (not a dictionary)"}));
}

TEST(NgRequestTest, CodecFlagFormsFillTheSameLists) {
    Dict d = offer();
    d["flags"] = List{"codec-strip-PCMA",       "codec-mask-opus",  "codec-transcode-PCMU",
                      "transcode-opus/48000/2", "codec-offer-G722", "codec_except_telephone-event",
                      "codec-accept-all"};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request) << parsed.error;
    const auto& codec = parsed.request->codec;
    EXPECT_EQ(entries(codec.strip), (std::vector<std::string>{"PCMA"}));
    EXPECT_EQ(entries(codec.mask), (std::vector<std::string>{"opus"}));
    EXPECT_EQ(entries(codec.transcode), (std::vector<std::string>{"PCMU", "opus/48000/2"}));
    EXPECT_EQ(entries(codec.offer), (std::vector<std::string>{"G722"}));
    EXPECT_EQ(entries(codec.except), (std::vector<std::string>{"telephone-event"}));
    EXPECT_EQ(entries(codec.accept), (std::vector<std::string>{"all"}));
    EXPECT_TRUE(parsed.request->ignored.empty());
}

TEST(NgRequestTest, AlwaysTranscodeAndForceTranscodingFlags) {
    for (const char* spelling : {"always transcode", "always-transcode", "always_transcode"}) {
        Dict d = offer();
        d["flags"] = List{spelling};
        auto parsed = parse(d);
        ASSERT_TRUE(parsed.request);
        EXPECT_TRUE(parsed.request->codec.alwaysTranscode) << spelling;
        EXPECT_FALSE(parsed.request->codec.forceTranscoding) << spelling;
        EXPECT_TRUE(parsed.request->ignored.empty());
    }
    Dict d = offer();
    d["flags"] = List{"force-transcoding"};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request);
    EXPECT_TRUE(parsed.request->codec.forceTranscoding);
    EXPECT_FALSE(parsed.request->codec.alwaysTranscode);

    for (const char* spelling : {"inject DTMF", "inject-DTMF", "inject_dtmf"}) {
        Dict inject = offer();
        inject["flags"] = List{spelling};
        auto injected = parse(inject);
        ASSERT_TRUE(injected.request);
        EXPECT_TRUE(injected.request->codec.injectDtmf) << spelling;
        EXPECT_TRUE(injected.request->ignored.empty()) << spelling;
    }

    Dict asKey = offer();
    asKey["always transcode"] = 1;
    auto keyed = parse(asKey);
    ASSERT_TRUE(keyed.request);
    EXPECT_TRUE(keyed.request->codec.alwaysTranscode);
    EXPECT_TRUE(keyed.request->ignored.empty());
}

} // namespace
} // namespace rtcgate::control

namespace rtcgate::control {
namespace {

TEST(NgRequestTest, BlockAndUnblockDtmfAreCallCommandsWithAnOptionalFromTag) {
    auto blocked = NgRequest::parse(
        bencode::Value(bencode::Dict{{"command", "block DTMF"}, {"call-id", "c1"}, {"from-tag", "a"}}));
    ASSERT_TRUE(blocked.request) << blocked.error;
    EXPECT_EQ(blocked.request->command, NgCommand::BlockDtmf);
    EXPECT_EQ(blocked.request->fromTag, "a");
    auto unblocked = NgRequest::parse(bencode::Value(bencode::Dict{{"command", "unblock-DTMF"}, {"call-id", "c1"}}));
    ASSERT_TRUE(unblocked.request) << unblocked.error;
    EXPECT_EQ(unblocked.request->command, NgCommand::UnblockDtmf);
    EXPECT_TRUE(unblocked.request->fromTag.empty());
    EXPECT_FALSE(NgRequest::parse(bencode::Value(bencode::Dict{{"command", "block DTMF"}})).request);
}

TEST(NgRequestTest, PlayDtmfTakesDigitsAsAStringOrAnEventNumberAndItsTimings) {
    auto played = NgRequest::parse(bencode::Value(bencode::Dict{{"command", "play DTMF"},
                                                                {"call-id", "c1"},
                                                                {"to-tag", "b"},
                                                                {"code", "1#d*"},
                                                                {"duration", 120},
                                                                {"volume", "-12"},
                                                                {"pause", "80"}}));
    ASSERT_TRUE(played.request) << played.error;
    EXPECT_EQ(played.request->command, NgCommand::PlayDtmf);
    EXPECT_EQ(played.request->toTag, "b");
    EXPECT_EQ(played.request->dtmfDigits, "1#D*");
    EXPECT_EQ(played.request->dtmfDuration, 120);
    EXPECT_EQ(played.request->dtmfVolume, -12);
    EXPECT_EQ(played.request->dtmfPause, 80);
    EXPECT_TRUE(played.request->ignored.empty());

    auto byNumber = NgRequest::parse(
        bencode::Value(bencode::Dict{{"command", "play-DTMF"}, {"call-id", "c1"}, {"from-tag", "a"}, {"digit", 11}}));
    ASSERT_TRUE(byNumber.request) << byNumber.error;
    EXPECT_EQ(byNumber.request->dtmfDigits, "#");
    EXPECT_FALSE(byNumber.request->dtmfDuration);

    for (const bencode::Value& code : {bencode::Value(16), bencode::Value("12x"), bencode::Value("")}) {
        auto refused = NgRequest::parse(
            bencode::Value(bencode::Dict{{"command", "play DTMF"}, {"call-id", "c1"}, {"code", code}}));
        EXPECT_FALSE(refused.request);
        EXPECT_EQ(refused.error, "No valid DTMF code in message");
    }
    EXPECT_FALSE(NgRequest::parse(bencode::Value(bencode::Dict{{"command", "play DTMF"}, {"code", "1"}})).request);
}

TEST(NgRequestTest, EndpointLearningAndMediaHandoverAreRead) {
    Dict d = offer();
    d["flags"] = List{"media-handover", "endpoint_learning_immediate"};
    auto parsed = parse(d);
    ASSERT_TRUE(parsed.request) << parsed.error;
    EXPECT_TRUE(parsed.request->flags.mediaHandover);
    EXPECT_EQ(parsed.request->flags.endpointLearning, media::LearningMode::Immediate);

    d = offer();
    d["endpoint-learning"] = "delayed";
    parsed = parse(d);
    ASSERT_TRUE(parsed.request) << parsed.error;
    EXPECT_FALSE(parsed.request->flags.mediaHandover);
    EXPECT_EQ(parsed.request->flags.endpointLearning, media::LearningMode::Delayed);
    EXPECT_TRUE(parsed.request->ignored.empty());

    d["endpoint-learning"] = "sometimes";
    parsed = parse(d);
    ASSERT_TRUE(parsed.request) << parsed.error;
    EXPECT_FALSE(parsed.request->flags.endpointLearning);
    ASSERT_EQ(parsed.request->ignored.size(), 1U);
    EXPECT_EQ(parsed.request->ignored[0], "endpoint-learning: sometimes");
}

// `word` (a flag or key of `request`) is named in the warning, or (`named` false) nothing is.
void expectWarning(const Dict& request, const std::string& word, bool named) {
    auto parsed = parse(request);
    ASSERT_TRUE(parsed.request) << word;
    if (!named) {
        EXPECT_TRUE(parsed.request->ignored.empty()) << word;
        return;
    }
    ASSERT_EQ(parsed.request->ignored.size(), 1U) << word;
    EXPECT_NE(parsed.request->ignored[0].find(word), std::string::npos) << parsed.request->ignored[0];
}

// Every flag of rtpengine's ng documentation is acted on or named in the reply's warning (README, "The ng keys and
// flags"): none is dropped silently.
TEST(NgRequestTest, EveryDocumentedFlagIsActedOnOrNamed) {
    const std::vector<std::string> actedOn{
        "strict source",   "SIP-source-address", "loop-protect",   "always transcode",      "force transcoding",
        "inject DTMF",     "trust address",      "symmetric",      "port latching",         "replace-origin",
        "codec-mask-PCMA", "transcode-PCMU",     "SDES-off",       "OSRTP-offer",           "rtcp-mux-demux",
        "ICE=force",       "DTLS=passive",       "media handover", "endpoint-learning-off",
    };
    const std::vector<std::string> named{
        "asymmetric",
        "endpoint-learning-sometimes",
        "NAT-wait",
        "no port latching",
        "no rtcp attribute",
        "full rtcp attribute",
        "original sendrecv",
        "pad crypto",
        "pierce NAT",
        "reject ICE",
        "reset",
        "reuse codecs",
        "single codec",
        "strip extmap",
        "trickle ICE",
        "unidirectional",
        "generate mid",
        "generate RTCP",
        "detect DTMF",
        "block short",
        "debug",
        "early media",
        "allow transcoding",
        "record call",
        "discard recording",
        "exclude recording",
        "fatal",
        "all",
        "SDES-pad",
        "SDES-order:AEAD_AES_256_GCM",
        "OSRTP-offer-legacy",
        "codec-set-opus/48000/2/32000",
    };
    for (const auto& flag : actedOn) {
        Dict d = offer();
        d["flags"] = List{flag};
        expectWarning(d, flag, false);
    }
    for (const auto& flag : named) {
        Dict d = offer();
        d["flags"] = List{flag};
        expectWarning(d, flag, true);
    }
}

TEST(NgRequestTest, EveryDocumentedKeyIsActedOnOrNamed) {
    const std::vector<std::string> silent{"label", "from-label", "via-branch", "delete-delay", "supports"};
    const std::vector<std::string> named{
        "direction",
        "media address",
        "address family",
        "record call",
        "TOS",
        "metadata",
        "sdp-attr",
        "all",
        "audio player",
        "delay-buffer",
        "drop-traffic",
        "DTLS-reverse",
        "DTLS-fingerprint",
        "DTMF-security",
        "DTMF-delay",
        "DTMF-log-dest",
        "frequency",
        "from-tags",
        "generate RTCP",
        "ICE-lite",
        "interface",
        "media echo",
        "output-destination",
        "ptime",
        "ptime-reverse",
        "set-label",
        "to-label",
        "T.38",
        "xmlrpc-callback",
    };
    for (const auto& key : named) {
        Dict d = offer();
        d[key] = "x";
        expectWarning(d, key, true);
    }
    for (const auto& key : silent) {
        Dict d = offer();
        d[key] = key == "supports" ? bencode::Value(List{"load limit"}) : bencode::Value("1");
        expectWarning(d, key, false);
    }
}

} // namespace
} // namespace rtcgate::control
