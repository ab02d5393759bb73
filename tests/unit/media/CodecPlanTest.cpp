#include "rtcgate/media/CodecPlan.hpp"

#include "../sdp/SdpCorpus.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace rtcgate::media {
namespace {

namespace corpus = sdp::corpus;
using sdp::PayloadFormat;

std::vector<PayloadFormat> audioOf(std::string_view text) {
    auto parsed = sdp::SessionDescription::parse(corpus::withCrlf(text));
    EXPECT_TRUE(parsed);
    return parsed ? sdp::readPayloadFormats(parsed->media.at(0)) : std::vector<PayloadFormat>{};
}

// "0 PCMU/8000" per format.
std::vector<std::string> listed(const std::vector<PayloadFormat>& formats) {
    std::vector<std::string> out;
    for (const auto& f : formats) {
        out.push_back(std::to_string(f.payloadType) + " " + f.name());
    }
    return out;
}

std::vector<CodecMatch> matches(std::initializer_list<std::string_view> texts) {
    std::vector<CodecMatch> out;
    for (auto text : texts) {
        out.push_back(CodecMatch::parse(text).value());
    }
    return out;
}

// The recipe's outbound request: the carrier gets G.711 and no Opus.
CodecRequest outboundRequest() {
    CodecRequest request;
    request.mask = matches({"all"});
    request.transcode = matches({"PCMU", "PCMA"});
    return request;
}

// The recipe's inbound request: the browser gets Opus first, then the carrier's codecs.
CodecRequest inboundRequest() {
    CodecRequest request;
    request.mask = matches({"all"});
    request.transcode = matches({"opus", "PCMU", "PCMA"});
    return request;
}

TEST(CodecPlanTest, TranscodableCodecsAreOpusPcmuAndPcma) {
    EXPECT_EQ(transcodableCodec(PayloadFormat{111, "opus", 48000, 2, {}, {}}), AudioCodec::Opus);
    EXPECT_EQ(transcodableCodec(PayloadFormat{96, "OPUS", 48000, 1, {}, {}}), AudioCodec::Opus);
    EXPECT_EQ(transcodableCodec(PayloadFormat{0, "PCMU", 8000, 1, {}, {}}), AudioCodec::Pcmu);
    EXPECT_EQ(transcodableCodec(PayloadFormat{8, "pcma", 8000, 1, {}, {}}), AudioCodec::Pcma);
    EXPECT_FALSE(transcodableCodec(PayloadFormat{9, "G722", 8000, 1, {}, {}}));
    EXPECT_FALSE(transcodableCodec(PayloadFormat{96, "PCMU", 16000, 1, {}, {}}));
    EXPECT_FALSE(transcodableCodec(PayloadFormat{97, "opus", 16000, 2, {}, {}}));
    EXPECT_FALSE(transcodableCodec(PayloadFormat{101, "telephone-event", 8000, 1, {}, {}}));
}

TEST(CodecPlanTest, AnEmptyRequestChangesNoCorpusOffer) {
    for (auto text : {corpus::chromeOffer, corpus::firefoxOffer, corpus::safariOffer, corpus::asteriskOffer,
                      corpus::freeswitchOffer, corpus::rtcpMuxOffer, corpus::ipv6Offer}) {
        auto offered = audioOf(text);
        auto plan = planOffer(offered, CodecRequest{});
        EXPECT_EQ(plan.formats, offered) << text.substr(0, 60);
        EXPECT_TRUE(plan.ignored.empty());
    }
}

TEST(CodecPlanTest, OutboundChromeOfferGivesTheCarrierG711AndTelephoneEventAt8000) {
    auto plan = planOffer(audioOf(corpus::chromeOffer), outboundRequest());
    EXPECT_EQ(listed(plan.formats),
              (std::vector<std::string>{"0 PCMU/8000", "8 PCMA/8000", "126 telephone-event/8000"}));
    EXPECT_TRUE(plan.ignored.empty());
}

TEST(CodecPlanTest, OutboundCarrierAnsweringPcmuIsPassthroughBecauseTheBrowserOfferedIt) {
    auto offered = audioOf(corpus::chromeOffer);
    auto selection = selectCodecs(offered, audioOf(corpus::carrierAnswer), outboundRequest(), CodecRequest{});
    ASSERT_TRUE(selection);
    EXPECT_FALSE(selection->transcode);
    EXPECT_EQ(listed({selection->offerer}), (std::vector<std::string>{"0 PCMU/8000"}));
    EXPECT_EQ(listed({selection->answerer}), (std::vector<std::string>{"0 PCMU/8000"}));
    EXPECT_EQ(listed(selection->answerFormats), (std::vector<std::string>{"0 PCMU/8000", "126 telephone-event/8000"}));
    ASSERT_TRUE(selection->answererTelephoneEvent);
    EXPECT_EQ(selection->answererTelephoneEvent->payloadType, 101);
}

TEST(CodecPlanTest, OutboundWithAlwaysTranscodeAnswersTheBrowserWithOpusAndEventsAt48000) {
    auto offered = audioOf(corpus::chromeOffer);
    CodecRequest request = outboundRequest();
    request.alwaysTranscode = true;
    auto selection = selectCodecs(offered, audioOf(corpus::carrierAnswer), request, CodecRequest{});
    ASSERT_TRUE(selection);
    EXPECT_TRUE(selection->transcode);
    EXPECT_EQ(selection->offerer, offered[0]); // opus 111 with Chrome's fmtp and rtcp-fb
    EXPECT_EQ(listed({selection->answerer}), (std::vector<std::string>{"0 PCMU/8000"}));
    EXPECT_EQ(listed(selection->answerFormats),
              (std::vector<std::string>{"111 opus/48000/2", "110 telephone-event/48000"}));
    ASSERT_TRUE(selection->offererTelephoneEvent);
    EXPECT_EQ(selection->offererTelephoneEvent->clockRate, 48000U);
    ASSERT_TRUE(selection->answererTelephoneEvent);
    EXPECT_EQ(selection->answererTelephoneEvent->clockRate, 8000U);

    // "always transcode" in the answer does the same.
    CodecRequest answerRequest;
    answerRequest.alwaysTranscode = true;
    auto fromAnswer = selectCodecs(offered, audioOf(corpus::carrierAnswer), outboundRequest(), answerRequest);
    ASSERT_TRUE(fromAnswer);
    EXPECT_TRUE(fromAnswer->transcode);
    EXPECT_EQ(fromAnswer->offerer.payloadType, 111);
}

TEST(CodecPlanTest, AcceptedCodecWinsOnlyWhenTheOffererPrefersIt) {
    auto offered = audioOf(corpus::chromeOffer); // opus before PCMU before PCMA
    CodecRequest acceptOpus = outboundRequest();
    acceptOpus.accept = matches({"opus"});
    auto opus = selectCodecs(offered, audioOf(corpus::carrierAnswer), acceptOpus, CodecRequest{});
    ASSERT_TRUE(opus);
    EXPECT_TRUE(opus->transcode);
    EXPECT_EQ(opus->offerer.payloadType, 111);

    CodecRequest acceptPcma = outboundRequest();
    acceptPcma.accept = matches({"PCMA"});
    auto pcmu = selectCodecs(offered, audioOf(corpus::carrierAnswer), acceptPcma, CodecRequest{});
    ASSERT_TRUE(pcmu);
    EXPECT_FALSE(pcmu->transcode);
    EXPECT_EQ(pcmu->offerer.payloadType, 0);
}

TEST(CodecPlanTest, InboundCarrierOfferGivesTheBrowserOpusFirstThenTheCarrierCodecs) {
    auto plan = planOffer(audioOf(corpus::asteriskOffer), inboundRequest());
    EXPECT_EQ(listed(plan.formats), (std::vector<std::string>{"96 opus/48000/2", "0 PCMU/8000", "8 PCMA/8000",
                                                              "97 telephone-event/48000", "101 telephone-event/8000"}));
    EXPECT_EQ(plan.formats[0].fmtp, "minptime=10;useinbandfec=1");
    EXPECT_EQ(plan.formats[3].fmtp, "0-15"); // rtpengine's range for the one it adds
    EXPECT_EQ(plan.formats[4].fmtp, "0-16"); // the carrier's own
    EXPECT_TRUE(plan.ignored.empty());
}

// Added codecs go after the offerer's own codecs and before telephone-event, an added telephone-event before the
// offerer's (rtpengine 10.5's order: 0 8 96 97 101; a phone that takes the first format it knows must never take
// telephone-event).
TEST(CodecPlanTest, TranscodeAloneAddsTheCodecAfterTheOfferersOwnCodecs) {
    CodecRequest request;
    request.transcode = matches({"opus"});
    auto plan = planOffer(audioOf(corpus::asteriskOffer), request);
    EXPECT_EQ(listed(plan.formats), (std::vector<std::string>{"0 PCMU/8000", "8 PCMA/8000", "96 opus/48000/2",
                                                              "97 telephone-event/48000", "101 telephone-event/8000"}));
}

// A strip that leaves no audio codec keeps the offer as it was, as rtpengine does: never an m= line without formats.
TEST(CodecPlanTest, AStripOfEveryCodecKeepsTheOffersFormats) {
    const auto offered = audioOf(corpus::asteriskOffer);
    for (const auto& strip : {matches({"all"}), matches({"PCMU", "PCMA", "telephone-event"})}) {
        CodecRequest request;
        request.strip = strip;
        auto plan = planOffer(offered, request);
        EXPECT_EQ(listed(plan.formats), listed(offered));
        ASSERT_EQ(plan.ignored.size(), 1U);
        EXPECT_NE(plan.ignored[0].find("no audio codec"), std::string::npos);
    }
}

TEST(CodecPlanTest, ACodecAddedToMaskedOnesGoesBeforeTelephoneEvent) {
    CodecRequest request; // codec-mask-PCMA codec-transcode-PCMU on a PCMA phone
    request.mask = matches({"PCMA"});
    request.transcode = matches({"PCMU"});
    const std::vector<sdp::PayloadFormat> offered{{8, "PCMA", 8000, 1, {}, {}},
                                                  {101, "telephone-event", 8000, 1, "0-16", {}}};
    EXPECT_EQ(listed(planOffer(offered, request).formats),
              (std::vector<std::string>{"0 PCMU/8000", "101 telephone-event/8000"}));
}

TEST(CodecPlanTest, InboundBrowserAnsweringOpusIsTranscodedToTheCarriersFirstCodec) {
    auto offered = audioOf(corpus::asteriskOffer);
    auto toBrowser = planOffer(offered, inboundRequest());
    auto answered = audioOf(corpus::chromeAnswer);
    answered[0].payloadType = toBrowser.formats[0].payloadType; // Chrome answers with the offered payload type
    auto selection = selectCodecs(offered, answered, inboundRequest(), CodecRequest{});
    ASSERT_TRUE(selection);
    EXPECT_TRUE(selection->transcode);
    EXPECT_EQ(listed({selection->answerer}), (std::vector<std::string>{"96 opus/48000/2"}));
    EXPECT_EQ(listed({selection->offerer}), (std::vector<std::string>{"0 PCMU/8000"}));
    EXPECT_EQ(listed(selection->answerFormats), (std::vector<std::string>{"0 PCMU/8000", "101 telephone-event/8000"}));
    EXPECT_EQ(selection->answerFormats[1].fmtp, "0-16");
}

TEST(CodecPlanTest, PcmuOnBothSidesIsPassthroughAndForceTranscodingDecodesIt) {
    auto offered = audioOf(corpus::asteriskOffer);
    auto answered = audioOf(corpus::carrierAnswer);
    auto selection = selectCodecs(offered, answered, CodecRequest{}, CodecRequest{});
    ASSERT_TRUE(selection);
    EXPECT_FALSE(selection->transcode);
    EXPECT_EQ(listed(selection->answerFormats), (std::vector<std::string>{"0 PCMU/8000", "101 telephone-event/8000"}));

    CodecRequest force;
    force.forceTranscoding = true;
    auto forced = selectCodecs(offered, answered, CodecRequest{}, force);
    ASSERT_TRUE(forced);
    EXPECT_TRUE(forced->transcode);
    EXPECT_EQ(forced->offerer.payloadType, 0);
    EXPECT_EQ(forced->answerer.payloadType, 0);
}

TEST(CodecPlanTest, AlwaysTranscodeWithTheSameCodecFirstOnBothSidesStaysPassthrough) {
    CodecRequest request;
    request.alwaysTranscode = true;
    auto selection = selectCodecs(audioOf(corpus::asteriskOffer), audioOf(corpus::carrierAnswer), request, {});
    ASSERT_TRUE(selection);
    EXPECT_FALSE(selection->transcode); // PCMU is the carrier's first codec: nothing to transcode
}

TEST(CodecPlanTest, SamePayloadTypeIsNeededForPassthrough) {
    auto offered = audioOf(corpus::asteriskOffer);
    std::vector<PayloadFormat> answered{PayloadFormat{8, "PCMA", 8000, 1, {}, {}},
                                        PayloadFormat{101, "telephone-event", 8000, 1, "0-16", {}}};
    auto pcma = selectCodecs(offered, answered, {}, {});
    ASSERT_TRUE(pcma);
    EXPECT_FALSE(pcma->transcode);
    EXPECT_EQ(pcma->offerer.payloadType, 8);

    answered[0].payloadType = 100; // PCMA on a payload type the offerer did not offer
    auto renumbered = selectCodecs(offered, answered, {}, {});
    ASSERT_TRUE(renumbered);
    EXPECT_TRUE(renumbered->transcode);
    EXPECT_EQ(renumbered->offerer.payloadType, 0);
}

TEST(CodecPlanTest, TranscodedTelephoneEventOnOneSideTranscodesTheSharedCodecSoDigitsCrossAsTones) {
    auto offered = audioOf(corpus::asteriskOffer); // PCMU, PCMA, telephone-event/8000
    const std::vector<PayloadFormat> withoutEvents{PayloadFormat{0, "PCMU", 8000, 1, {}, {}}};
    auto relayed = selectCodecs(offered, withoutEvents, {}, {});
    ASSERT_TRUE(relayed);
    EXPECT_FALSE(relayed->transcode); // not asked for: events on one side only are passed through

    CodecRequest events;
    events.transcode.push_back(*CodecMatch::parse("telephone-event"));
    EXPECT_TRUE(events.transcodesEvents());
    auto selection = selectCodecs(offered, withoutEvents, events, {});
    ASSERT_TRUE(selection);
    EXPECT_TRUE(selection->transcode);
    EXPECT_EQ(selection->offerer.payloadType, 0);
    EXPECT_TRUE(selection->offererTelephoneEvent);
    EXPECT_FALSE(selection->answererTelephoneEvent);
    // The offerer is still answered its telephone-event: its digits are generated as tones for the answerer.
    EXPECT_EQ(listed(selection->answerFormats), (std::vector<std::string>{"0 PCMU/8000", "101 telephone-event/8000"}));

    std::vector<PayloadFormat> offeredWithoutEvents{PayloadFormat{0, "PCMU", 8000, 1, {}, {}}};
    auto answered = audioOf(corpus::carrierAnswer);
    ASSERT_TRUE(std::any_of(answered.begin(), answered.end(), isTelephoneEvent));
    auto reverse = selectCodecs(offeredWithoutEvents, answered, {}, events);
    ASSERT_TRUE(reverse);
    EXPECT_TRUE(reverse->transcode);
    EXPECT_FALSE(reverse->offererTelephoneEvent);
    EXPECT_TRUE(reverse->answererTelephoneEvent);

    auto neither = selectCodecs(offeredWithoutEvents, withoutEvents, events, {});
    ASSERT_TRUE(neither);
    EXPECT_FALSE(neither->transcode);
}

// rtpengine's codec: {accept: [telephone-event]} in the offer (the Kamailio recipe toward a browser without
// telephone-event): the same as transcoding it; in the answer rtpengine 10.5 ignores it, and so does rtcgate.
TEST(CodecPlanTest, AcceptedTelephoneEventInTheOfferTranscodesAnAnswerWithoutIt) {
    auto offered = audioOf(corpus::asteriskOffer); // PCMU, PCMA, telephone-event/8000
    const std::vector<PayloadFormat> withoutEvents{PayloadFormat{0, "PCMU", 8000, 1, {}, {}}};
    CodecRequest accept;
    accept.accept.push_back(*CodecMatch::parse("telephone-event"));
    EXPECT_TRUE(accept.acceptsEvents());
    EXPECT_FALSE(accept.transcodesEvents());
    auto selection = selectCodecs(offered, withoutEvents, accept, {});
    ASSERT_TRUE(selection);
    EXPECT_TRUE(selection->transcode);
    EXPECT_EQ(listed(selection->answerFormats), (std::vector<std::string>{"0 PCMU/8000", "101 telephone-event/8000"}));

    auto inTheAnswer = selectCodecs(offered, withoutEvents, {}, accept);
    ASSERT_TRUE(inTheAnswer);
    EXPECT_FALSE(inTheAnswer->transcode);
    EXPECT_EQ(listed(inTheAnswer->answerFormats), (std::vector<std::string>{"0 PCMU/8000"}));
}

TEST(CodecPlanTest, TranscodingTelephoneEventOffersItAtEveryRateWhenTheOffererHasNone) {
    // A carrier without telephone-event calls a browser: the browser is offered events, which rtcgate makes of
    // the carrier's tones.
    const std::vector<PayloadFormat> carrier{PayloadFormat{0, "PCMU", 8000, 1, {}, {}}};
    CodecRequest request;
    for (const char* name : {"opus", "PCMU", "telephone-event"}) {
        request.transcode.push_back(*CodecMatch::parse(name));
    }
    const auto plan = planOffer(carrier, request);
    EXPECT_TRUE(plan.ignored.empty());
    EXPECT_EQ(listed(plan.formats), (std::vector<std::string>{"0 PCMU/8000", "96 opus/48000/2",
                                                              "97 telephone-event/8000", "98 telephone-event/48000"}));

    CodecRequest withoutEvents;
    withoutEvents.transcode.push_back(*CodecMatch::parse("opus"));
    EXPECT_EQ(listed(planOffer(carrier, withoutEvents).formats),
              (std::vector<std::string>{"0 PCMU/8000", "96 opus/48000/2"}));
}

TEST(CodecPlanTest, TowardAWebRtcPartyAnOpusFirstOfferKeepsTelephoneEventAt48000Only) {
    std::vector<PayloadFormat> formats{PayloadFormat{96, "opus", 48000, 2, {}, {}},
                                       PayloadFormat{0, "PCMU", 8000, 1, {}, {}},
                                       PayloadFormat{97, "telephone-event", 48000, 1, "0-16", {}},
                                       PayloadFormat{101, "telephone-event", 8000, 1, "0-16", {}}};
    auto opusFirst = formats;
    keepOnlyOpusClockEvents(opusFirst);
    EXPECT_EQ(listed(opusFirst),
              (std::vector<std::string>{"96 opus/48000/2", "0 PCMU/8000", "97 telephone-event/48000"}));

    auto pcmuFirst = std::vector<PayloadFormat>{formats[1], formats[0], formats[2], formats[3]};
    keepOnlyOpusClockEvents(pcmuFirst);
    EXPECT_EQ(pcmuFirst.size(), 4U);
    auto onlyAt8000 = std::vector<PayloadFormat>{formats[0], formats[1], formats[3]};
    keepOnlyOpusClockEvents(onlyAt8000);
    EXPECT_EQ(onlyAt8000.size(), 3U); // nothing to keep at 48000: the 8000 one stays
}

TEST(CodecPlanTest, InjectDtmfTranscodesTheSharedCodec) {
    auto offered = audioOf(corpus::asteriskOffer);
    auto answered = audioOf(corpus::carrierAnswer);
    CodecRequest inject;
    inject.injectDtmf = true;
    for (const auto& [offerRequest, answerRequest] :
         {std::pair{inject, CodecRequest{}}, std::pair{CodecRequest{}, inject}}) {
        auto selection = selectCodecs(offered, answered, offerRequest, answerRequest);
        ASSERT_TRUE(selection);
        EXPECT_TRUE(selection->transcode);
        EXPECT_EQ(selection->offerer.payloadType, selection->answerer.payloadType);
    }
    EXPECT_FALSE(inject.empty());
}

TEST(CodecPlanTest, StripAllExceptKeepsTheNamedInTheOfferersOrder) {
    CodecRequest request;
    request.strip = matches({"all"});
    request.except = matches({"telephone-event", "PCMA", "opus"});
    auto offered = audioOf(corpus::chromeOffer);
    auto plan = planOffer(offered, request);
    EXPECT_EQ(listed(plan.formats),
              (std::vector<std::string>{"111 opus/48000/2", "8 PCMA/8000", "110 telephone-event/48000",
                                        "126 telephone-event/8000"}));

    // Stripped is as if never offered: an answer in PCMU cannot be passed through to the browser.
    std::vector<PayloadFormat> answered{PayloadFormat{0, "PCMU", 8000, 1, {}, {}}};
    auto selection = selectCodecs(offered, answered, request, {});
    ASSERT_TRUE(selection);
    EXPECT_TRUE(selection->transcode);
    EXPECT_EQ(selection->offerer.payloadType, 111);
}

TEST(CodecPlanTest, StripAllThenOfferReordersAsNamed) {
    CodecRequest request;
    request.strip = matches({"all"});
    request.offer = matches({"PCMA", "PCMU", "G729"});
    auto plan = planOffer(audioOf(corpus::chromeOffer), request);
    EXPECT_EQ(listed(plan.formats),
              (std::vector<std::string>{"8 PCMA/8000", "0 PCMU/8000", "126 telephone-event/8000"}));
    EXPECT_EQ(plan.ignored, (std::vector<std::string>{"codec-offer: G729"}));
}

TEST(CodecPlanTest, MaskedCodecsLeaveTheOfferButTheOffererMayStillSendThem) {
    auto offered = audioOf(corpus::asteriskOffer);
    CodecRequest masked;
    masked.mask = matches({"PCMU", "PCMA"});
    masked.transcode = matches({"opus"});
    auto plan = planOffer(offered, masked);
    EXPECT_EQ(listed(plan.formats), (std::vector<std::string>{"96 opus/48000/2", "97 telephone-event/48000"}));

    std::vector<PayloadFormat> answered{plan.formats};
    auto selection = selectCodecs(offered, answered, masked, {});
    ASSERT_TRUE(selection);
    EXPECT_TRUE(selection->transcode);
    EXPECT_EQ(selection->offerer.payloadType, 0);

    CodecRequest stripped;
    stripped.strip = matches({"PCMU", "PCMA"});
    stripped.transcode = matches({"opus"});
    EXPECT_EQ(planOffer(offered, stripped).formats, plan.formats);
    EXPECT_FALSE(selectCodecs(offered, answered, stripped, {})); // nothing left for the carrier to send
}

// A codec rtcgate cannot transcode stays in the offer (rtpengine 10.5: 8 9 + transcode PCMU gives 8 9 0): the
// answerer may still take it, relayed as it is.
TEST(CodecPlanTest, TranscodingACodecStrippedByNameAddsItAndKeepsWhatCannotBeTranscoded) {
    CodecRequest request;
    request.strip = matches({"PCMA"});
    request.transcode = matches({"PCMA"});
    auto plan = planOffer(audioOf(corpus::chromeOffer), request);
    EXPECT_EQ(
        listed(plan.formats),
        (std::vector<std::string>{"111 opus/48000/2", "63 red/48000/2", "9 G722/8000", "0 PCMU/8000", "8 PCMA/8000",
                                  "13 CN/8000", "110 telephone-event/48000", "126 telephone-event/8000"}));
}

TEST(CodecPlanTest, NameClockAndChannelFormsSelectFormats) {
    auto offered = audioOf(corpus::rtcpMuxOffer); // opus, speex/16000, speex/8000, PCMU, PCMA, G729, 3 events
    CodecRequest speex16;
    speex16.strip = matches({"speex/16000"});
    EXPECT_EQ(listed(planOffer(offered, speex16).formats),
              (std::vector<std::string>{"96 opus/48000/2", "98 speex/8000", "0 PCMU/8000", "8 PCMA/8000",
                                        "18 G729/8000", "101 telephone-event/48000", "100 telephone-event/8000"}));

    CodecRequest mono;
    mono.strip = matches({"opus/48000"}); // the one-channel opus: not offered here
    EXPECT_EQ(planOffer(offered, mono).formats, offered);

    CodecRequest stereo;
    stereo.strip = matches({"opus/48000/2"});
    auto withoutOpus = planOffer(offered, stereo).formats;
    EXPECT_EQ(withoutOpus.size(), offered.size() - 2); // opus and the telephone-event at 48000
    EXPECT_EQ(withoutOpus[0].payloadType, 97);
}

TEST(CodecPlanTest, TelephoneEventStrippedByNameIsNotAdded) {
    CodecRequest request = inboundRequest();
    request.strip = matches({"telephone-event"});
    auto plan = planOffer(audioOf(corpus::asteriskOffer), request);
    EXPECT_EQ(listed(plan.formats), (std::vector<std::string>{"96 opus/48000/2", "0 PCMU/8000", "8 PCMA/8000"}));
}

TEST(CodecPlanTest, UntranscodableCodecsInTranscodeAreIgnoredAndNamed) {
    CodecRequest request;
    request.transcode = matches({"G729", "opus/48000/1", "PCMU", "speex/16000"});
    auto offered = audioOf(corpus::asteriskOffer);
    auto plan = planOffer(offered, request);
    EXPECT_EQ(plan.formats, offered); // PCMU is already there: nothing added
    EXPECT_EQ(plan.ignored, (std::vector<std::string>{"codec-transcode: G729", "codec-transcode: opus/48000/1",
                                                      "codec-transcode: speex/16000"}));
}

TEST(CodecPlanTest, NothingUsableGivesNullopt) {
    auto offered = audioOf(corpus::asteriskOffer);
    // No audio codec in the answer.
    EXPECT_FALSE(selectCodecs(offered, {PayloadFormat{101, "telephone-event", 8000, 1, {}, {}}}, {}, {}));
    // Transcoding needed toward a codec rtcgate cannot encode.
    EXPECT_FALSE(selectCodecs(offered, {PayloadFormat{9, "G722", 8000, 1, {}, {}}}, {}, {}));
    // A codec both share passes through even when rtcgate could not transcode it.
    auto g722 = selectCodecs(audioOf(corpus::ipv6Offer), {PayloadFormat{9, "G722", 8000, 1, {}, {}}}, {}, {});
    ASSERT_TRUE(g722);
    EXPECT_FALSE(g722->transcode);
    CodecRequest force;
    force.forceTranscoding = true;
    EXPECT_FALSE(selectCodecs(audioOf(corpus::ipv6Offer), {PayloadFormat{9, "G722", 8000, 1, {}, {}}}, force, {}));
}

} // namespace
} // namespace rtcgate::media
