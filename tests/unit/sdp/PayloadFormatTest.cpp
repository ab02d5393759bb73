#include "rtcgate/sdp/PayloadFormat.hpp"

#include "SdpCorpus.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace rtcgate::sdp {
namespace {

MediaDescription firstMedia(std::string_view text) {
    auto parsed = SessionDescription::parse(corpus::withCrlf(text));
    EXPECT_TRUE(parsed);
    return parsed ? parsed->media.at(0) : MediaDescription{};
}

std::vector<std::string> attributeLines(const MediaDescription& media) {
    std::vector<std::string> out;
    for (const auto& line : media.lines) {
        if (line.type == 'a') {
            out.push_back(line.value);
        }
    }
    return out;
}

TEST(PayloadFormatTest, ReadsChromeAudioInMLineOrderWithFmtpAndFeedback) {
    auto formats = readPayloadFormats(firstMedia(corpus::chromeOffer));
    ASSERT_EQ(formats.size(), 8U);
    std::vector<int> payloadTypes;
    for (const auto& f : formats) {
        payloadTypes.push_back(f.payloadType);
    }
    EXPECT_EQ(payloadTypes, (std::vector<int>{111, 63, 9, 0, 8, 13, 110, 126}));

    const auto& opus = formats[0];
    EXPECT_EQ(opus.encoding, "opus");
    EXPECT_EQ(opus.clockRate, 48000U);
    EXPECT_EQ(opus.channels, 2U);
    EXPECT_EQ(opus.fmtp, "minptime=10;useinbandfec=1");
    EXPECT_EQ(opus.rtcpFeedback, (std::vector<std::string>{"transport-cc"}));
    EXPECT_EQ(formats[1].fmtp, "111/111");
    EXPECT_EQ(formats[3].name(), "PCMU/8000");
    EXPECT_EQ(formats[6].name(), "telephone-event/48000");
    EXPECT_EQ(formats[7].name(), "telephone-event/8000");
    EXPECT_TRUE(formats[7].fmtp.empty());
}

TEST(PayloadFormatTest, StaticPayloadTypesWithoutRtpmapTakeRfc3551Values) {
    auto formats = readPayloadFormats(firstMedia(corpus::twoAudioLines));
    ASSERT_EQ(formats.size(), 1U);
    EXPECT_EQ(formats[0].name(), "PCMU/8000");

    // Linphone lists 0, 8 and 18 without an rtpmap; 18 has an fmtp all the same.
    auto linphone = readPayloadFormats(firstMedia(corpus::rtcpMuxOffer));
    auto g729 = std::find_if(linphone.begin(), linphone.end(), [](const auto& f) { return f.payloadType == 18; });
    ASSERT_NE(g729, linphone.end());
    EXPECT_EQ(g729->name(), "G729/8000");
    EXPECT_EQ(g729->fmtp, "annexb=yes");
    auto pcma = std::find_if(linphone.begin(), linphone.end(), [](const auto& f) { return f.payloadType == 8; });
    ASSERT_NE(pcma, linphone.end());
    EXPECT_EQ(pcma->name(), "PCMA/8000");

    MediaDescription g722;
    g722.formats = {"9", "13"};
    auto formats722 = readPayloadFormats(g722);
    ASSERT_EQ(formats722.size(), 2U);
    EXPECT_EQ(formats722[0].name(), "G722/8000"); // RFC 3551 section 4.5.2: an 8000 RTP clock
    EXPECT_EQ(formats722[1].name(), "CN/8000");
}

TEST(PayloadFormatTest, AnRtpmapOverridesTheStaticTableAndDynamicWithoutOneIsUnknown) {
    MediaDescription media;
    media.formats = {"0", "97", "webrtc-datachannel"};
    media.lines = {{'a', "rtpmap:0 L16/16000/2"}};
    auto formats = readPayloadFormats(media);
    ASSERT_EQ(formats.size(), 2U); // a format that is not a payload type is left out
    EXPECT_EQ(formats[0].name(), "L16/16000/2");
    EXPECT_EQ(formats[1].payloadType, 97);
    EXPECT_TRUE(formats[1].encoding.empty());
}

TEST(PayloadFormatTest, ReadsFirefoxChannelsOneAndLaterFmtp) {
    auto formats = readPayloadFormats(firstMedia(corpus::firefoxOffer));
    ASSERT_EQ(formats.size(), 5U);
    EXPECT_EQ(formats[0].fmtp, "maxplaybackrate=48000;stereo=1;useinbandfec=1"); // fmtp before the rtpmap
    EXPECT_EQ(formats[1].channels, 1U);                                          // "G722/8000/1"
    EXPECT_EQ(formats[4].name(), "telephone-event/8000");
    EXPECT_EQ(formats[4].fmtp, "0-15");
}

TEST(PayloadFormatTest, NamesCompareCaseInsensitivelyAndSameCodecNeedsClockAndChannels) {
    PayloadFormat opus{111, "opus", 48000, 2, {}, {}};
    EXPECT_TRUE(opus.is("OPUS"));
    EXPECT_FALSE(opus.is("opu"));
    EXPECT_TRUE(opus.sameCodec(PayloadFormat{96, "Opus", 48000, 2, "x", {}}));
    EXPECT_FALSE(opus.sameCodec(PayloadFormat{96, "opus", 48000, 1, {}, {}}));
    EXPECT_FALSE(opus.sameCodec(PayloadFormat{96, "opus", 16000, 2, {}, {}}));
    EXPECT_FALSE(opus.sameCodec(PayloadFormat{96, "PCMU", 48000, 2, {}, {}}));
    EXPECT_EQ(opus.name(), "opus/48000/2");
}

TEST(PayloadFormatTest, WriteReplacesTheFormatLinesWhereTheFirstOneWas) {
    auto media = firstMedia(corpus::chromeOffer);
    auto formats = readPayloadFormats(media);
    writePayloadFormats(media, {formats[3], formats[0], formats[7]}); // PCMU, opus, te/8000

    EXPECT_EQ(media.formats, (std::vector<std::string>{"0", "111", "126"}));
    auto lines = attributeLines(media);
    auto mux = std::find(lines.begin(), lines.end(), "rtcp-mux");
    ASSERT_NE(mux, lines.end());
    std::vector<std::string> written(mux + 1, mux + 6);
    EXPECT_EQ(written, (std::vector<std::string>{
                           "rtpmap:0 PCMU/8000", // a static payload type gets its rtpmap, as rtpengine writes it
                           "rtpmap:111 opus/48000/2",
                           "fmtp:111 minptime=10;useinbandfec=1",
                           "rtcp-fb:111 transport-cc",
                           "rtpmap:126 telephone-event/8000",
                       }));
    EXPECT_EQ(*(mux + 6), "ssrc:3735928559 cname:kT3yWd0hGwq1Fz9b");
    for (const auto& gone : {"rtpmap:63 red/48000/2", "fmtp:63 111/111", "rtpmap:9 G722/8000", "rtpmap:13 CN/8000",
                             "rtpmap:110 telephone-event/48000"}) {
        EXPECT_EQ(std::find(lines.begin(), lines.end(), gone), lines.end()) << gone;
    }
    EXPECT_EQ(readPayloadFormats(media), (std::vector<PayloadFormat>{formats[3], formats[0], formats[7]}));
}

TEST(PayloadFormatTest, WriteKeepsWildcardFeedbackAndOtherAttributes) {
    auto media = firstMedia(corpus::rtcpMuxOffer);
    auto formats = readPayloadFormats(media);
    writePayloadFormats(media, {formats[0]});
    auto lines = attributeLines(media);
    EXPECT_EQ(lines, (std::vector<std::string>{"rtpmap:96 opus/48000/2", "fmtp:96 useinbandfec=1", "rtcp:7079",
                                               "rtcp-mux", "rtcp-fb:* trr-int 1000", "rtcp-fb:* ccm tmmbr"}));
}

TEST(PayloadFormatTest, WriteAppendsWhenTheSectionHadNoFormatLines) {
    auto media = firstMedia(corpus::twoAudioLines);
    writePayloadFormats(
        media, {PayloadFormat{8, "PCMA", 8000, 1, {}, {}}, PayloadFormat{101, "telephone-event", 8000, 1, "0-16", {}}});
    EXPECT_EQ(media.formats, (std::vector<std::string>{"8", "101"}));
    EXPECT_EQ(attributeLines(media),
              (std::vector<std::string>{"rtpmap:8 PCMA/8000", "rtpmap:101 telephone-event/8000", "fmtp:101 0-16"}));
}

TEST(PayloadFormatTest, WriteThenReadGivesTheSameFormatsForEveryCorpusAudioLine) {
    for (auto text : {corpus::chromeOffer, corpus::firefoxOffer, corpus::safariOffer, corpus::asteriskOffer,
                      corpus::freeswitchOffer, corpus::carrierAnswer, corpus::rtcpMuxOffer, corpus::chromeAnswer}) {
        auto media = firstMedia(text);
        auto formats = readPayloadFormats(media);
        writePayloadFormats(media, formats);
        EXPECT_EQ(readPayloadFormats(media), formats) << text.substr(0, 60);
    }
}

} // namespace
} // namespace rtcgate::sdp
