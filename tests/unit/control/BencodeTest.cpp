#include "rtcgate/control/Bencode.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace rtcgate::bencode {
namespace {

using namespace std::string_literals;

// An offer as Kamailio's rtpengine module builds it: keys in insertion order,
// not sorted.
const std::string kamailioSdp = "v=0\r\n"
                                "o=- 1545997027 1 IN IP4 198.51.100.1\r\n"
                                "s=-\r\n"
                                "c=IN IP4 198.51.100.1\r\n"
                                "t=0 0\r\n"
                                "m=audio 30000 RTP/AVP 0 8 101\r\n"
                                "a=rtpmap:0 PCMU/8000\r\n"
                                "a=rtpmap:8 PCMA/8000\r\n"
                                "a=rtpmap:101 telephone-event/8000\r\n"
                                "a=sendrecv\r\n";

std::string str(std::string_view s) {
    return std::to_string(s.size()) + ":" + std::string{s};
}

std::string kamailioOffer() {
    return "d" + str("supports") + "l" + str("load limit") + "e" + str("sdp") + str(kamailioSdp) + str("ICE") +
           str("force") + str("flags") + "l" + str("trust-address") + str("SIP-source") + str("port-latching-only") +
           "e" + str("replace") + "l" + str("origin") + str("session-connection") + "e" + str("call-id") +
           str("a84b4c76e66710@pc33.atlanta") + str("via-branch") + str("z9hG4bK") + str("received-from") + "l" +
           str("IP4") + str("198.51.100.10") + "e" + str("from-tag") + str("1928301774") + str("command") +
           str("offer") + "e";
}

TEST(BencodeTest, EncodesEachTypeCanonically) {
    EXPECT_EQ(encode(Value{42}), "i42e");
    EXPECT_EQ(encode(Value{0}), "i0e");
    EXPECT_EQ(encode(Value{-7}), "i-7e");
    EXPECT_EQ(encode(Value{std::numeric_limits<Integer>::min()}), "i-9223372036854775808e");
    EXPECT_EQ(encode(Value{"spam"}), "4:spam");
    EXPECT_EQ(encode(Value{""}), "0:");
    EXPECT_EQ(encode(Value{List{"spam", 42}}), "l4:spami42ee");
    EXPECT_EQ(encode(Value{List{}}), "le");
    EXPECT_EQ(encode(Value{Dict{{"foo", 42}, {"bar", "spam"}}}), "d3:bar4:spam3:fooi42ee");
    EXPECT_EQ(encode(Value{Dict{}}), "de");
}

TEST(BencodeTest, AppendingEncodeKeepsWhatIsAlreadyThere) {
    std::string out = "cookie ";
    encode(Value{Dict{{"result", "pong"}}}, out);
    EXPECT_EQ(out, "cookie d6:result4:ponge");
}

TEST(BencodeTest, RoundTripsEveryTypeAndNesting) {
    const std::vector<Value> values = {
        Value{0},
        Value{1},
        Value{-1},
        Value{std::numeric_limits<Integer>::max()},
        Value{std::numeric_limits<Integer>::min()},
        Value{""},
        Value{"e"},
        Value{"d3:fooi1ee"},
        Value{"\0\xff\x01 binary\r\n"s},
        Value{List{}},
        Value{Dict{}},
        Value{List{List{List{}}}},
        Value{List{1, "two", List{3}, Dict{{"four", 4}}}},
        Value{Dict{{"", ""}, {"a", Dict{{"b", List{Dict{{"c", -3}}, ""}}}}, {"z", List{}}}},
    };
    for (const Value& value : values) {
        std::string bytes = encode(value);
        DecodeResult result = decode(bytes);
        ASSERT_EQ(result.status, DecodeStatus::Ok) << bytes << ": " << result.error;
        EXPECT_EQ(result.consumed, bytes.size()) << bytes;
        EXPECT_TRUE(result.value == value) << bytes << " decodes to " << encode(result.value);
    }
}

TEST(BencodeTest, DecodesEachType) {
    DecodeResult i = decode("i-42e");
    ASSERT_TRUE(i.ok());
    ASSERT_TRUE(i.value.isInteger());
    EXPECT_EQ(i.value.asInteger(), -42);

    DecodeResult s = decode("5:a\0:ce"s);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(s.value.isString());
    EXPECT_EQ(s.value.asString(), "a\0:ce"s);

    DecodeResult l = decode("li1e1:xlee");
    ASSERT_TRUE(l.ok());
    ASSERT_TRUE(l.value.isList());
    ASSERT_EQ(l.value.asList().size(), 3U);
    EXPECT_EQ(l.value.asList()[0], Value{1});
    EXPECT_EQ(l.value.asList()[1], Value{"x"});
    EXPECT_EQ(l.value.asList()[2], Value{List{}});

    DecodeResult d = decode("d1:ai1e1:bdee");
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE(d.value.isDict());
    EXPECT_EQ(d.value.asDict().size(), 2U);
    ASSERT_NE(d.value.find("a"), nullptr);
    EXPECT_EQ(*d.value.find("a"), Value{1});
    ASSERT_NE(d.value.find("b"), nullptr);
    EXPECT_EQ(*d.value.find("b"), Value{Dict{}});
}

TEST(BencodeTest, FindLooksUpDictKeysOnly) {
    Value dict{Dict{{"call-id", "c1"}}};
    ASSERT_NE(dict.find("call-id"), nullptr);
    EXPECT_EQ(dict.find("call-id")->asString(), "c1");
    EXPECT_EQ(dict.find("from-tag"), nullptr);
    EXPECT_EQ(Value{List{"call-id"}}.find("call-id"), nullptr);
    EXPECT_EQ(Value{"call-id"}.find("call-id"), nullptr);
}

TEST(BencodeTest, UnsortedDictReencodesSorted) {
    DecodeResult result = decode("d3:foo1:a3:bar1:b1:B1:c2:aa1:d1:a1:ee");
    ASSERT_TRUE(result.ok()) << result.error;
    // Raw byte order: 'B' (0x42) before 'a', and a prefix before its extensions.
    EXPECT_EQ(encode(result.value), "d1:B1:c1:a1:e2:aa1:d3:bar1:b3:foo1:ae");
}

TEST(BencodeTest, KamailioPing) {
    DecodeResult ping = decode("d7:command4:pinge");
    ASSERT_TRUE(ping.ok()) << ping.error;
    EXPECT_EQ(ping.consumed, 17U);
    ASSERT_NE(ping.value.find("command"), nullptr);
    EXPECT_EQ(ping.value.find("command")->asString(), "ping");

    // A space where the next key or the closing 'e' must be.
    DecodeResult spaced = decode("d7:command4:ping e");
    EXPECT_EQ(spaced.status, DecodeStatus::Malformed);
    EXPECT_NE(spaced.error.find("at byte 16"), std::string::npos) << spaced.error;
}

TEST(BencodeTest, KamailioOfferWithUnsortedKeys) {
    std::string message = kamailioOffer();
    DecodeResult result = decode(message);
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.consumed, message.size());

    const Value& offer = result.value;
    EXPECT_EQ(offer.find("command")->asString(), "offer");
    EXPECT_EQ(offer.find("call-id")->asString(), "a84b4c76e66710@pc33.atlanta");
    EXPECT_EQ(offer.find("from-tag")->asString(), "1928301774");
    EXPECT_EQ(offer.find("ICE")->asString(), "force");
    EXPECT_EQ(offer.find("sdp")->asString(), kamailioSdp);
    EXPECT_EQ(*offer.find("flags"), (Value{List{"trust-address", "SIP-source", "port-latching-only"}}));
    EXPECT_EQ(*offer.find("replace"), (Value{List{"origin", "session-connection"}}));
    EXPECT_EQ(*offer.find("received-from"), (Value{List{"IP4", "198.51.100.10"}}));
    EXPECT_EQ(offer.asDict().size(), 10U);

    std::string canonical = encode(offer);
    EXPECT_EQ(canonical.size(), message.size());
    EXPECT_NE(canonical, message);
    EXPECT_EQ(canonical.rfind("d3:ICE5:force7:call-id", 0), 0U) << canonical.substr(0, 40);
    DecodeResult again = decode(canonical);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again.value, offer);
}

TEST(BencodeTest, EveryTruncationOfAValidMessageIsIncomplete) {
    const std::vector<std::string> messages = {
        kamailioOffer(),
        "d4:listli-12ei0eli3eed0:0:ee3:numi-9223372036854775808e3:str10:0123456789e",
        "i9223372036854775807e",
        "le",
    };
    for (const std::string& message : messages) {
        ASSERT_TRUE(decode(message).ok()) << message;
        for (std::size_t length = 0; length < message.size(); ++length) {
            DecodeResult result = decode(std::string_view{message}.substr(0, length));
            EXPECT_EQ(result.status, DecodeStatus::Incomplete)
                << "truncated to " << length << " bytes: " << message.substr(0, length) << " (" << result.error << ")";
        }
    }
}

struct MalformedCase {
    std::string input;
    DecodeStatus status;
};

TEST(BencodeTest, RejectsMalformedInputWithTheExactStatus) {
    const std::vector<MalformedCase> cases = {
        // integers
        {"i03e", DecodeStatus::Malformed},
        {"i00e", DecodeStatus::Malformed},
        {"i-03e", DecodeStatus::Malformed},
        {"i-0e", DecodeStatus::Malformed},
        {"i-0", DecodeStatus::Malformed}, // can never become valid: no need to wait
        {"ie", DecodeStatus::Malformed},
        {"i-e", DecodeStatus::Malformed},
        {"i--1e", DecodeStatus::Malformed},
        {"i1.5e", DecodeStatus::Malformed},
        {"i+1e", DecodeStatus::Malformed},
        {"i 1e", DecodeStatus::Malformed},
        {"i1 e", DecodeStatus::Malformed},
        {"i0x1e", DecodeStatus::Malformed},
        {"i9223372036854775808e", DecodeStatus::Malformed},
        {"i-9223372036854775809e", DecodeStatus::Malformed},
        {"i99999999999999999999e", DecodeStatus::Malformed},
        {"i123456789012345678901234567890", DecodeStatus::Malformed}, // too long to ever fit, even truncated
        // strings
        {"03:abc", DecodeStatus::Malformed},
        {"00:", DecodeStatus::Malformed},
        {"-3:abc", DecodeStatus::Malformed},
        {"3abc", DecodeStatus::Malformed},
        {"3 :abc", DecodeStatus::Malformed},
        {"1048577:x", DecodeStatus::TooLarge},
        {"2000000:abc", DecodeStatus::TooLarge},
        {"99999999999999999999999999:", DecodeStatus::TooLarge},
        {"184467440737095516160:", DecodeStatus::TooLarge}, // 2^64 * 10: would wrap around
        {"d99999999999", DecodeStatus::TooLarge},           // a key length, still being read
        // structure
        {"e", DecodeStatus::Malformed},
        {"x", DecodeStatus::Malformed},
        {" i1e", DecodeStatus::Malformed},
        {"l1:ax", DecodeStatus::Malformed},
        {"di1ei2ee", DecodeStatus::Malformed},
        {"dli1ee1:ae", DecodeStatus::Malformed},
        {"dde", DecodeStatus::Malformed},
        {"d1:ai1e1:ai2ee", DecodeStatus::Malformed},
        {"d1:bd1:xi1e1:xi2eee", DecodeStatus::Malformed},
        {"d1:ae", DecodeStatus::Malformed},
        {"d1:a1:b1:ce", DecodeStatus::Malformed},
        // input that ends early
        {"", DecodeStatus::Incomplete},
        {"i", DecodeStatus::Incomplete},
        {"i-", DecodeStatus::Incomplete},
        {"i0", DecodeStatus::Incomplete},
        {"i12", DecodeStatus::Incomplete},
        {"1", DecodeStatus::Incomplete},
        {"1:", DecodeStatus::Incomplete},
        {"3:ab", DecodeStatus::Incomplete},
        {"1048576:x", DecodeStatus::Incomplete}, // exactly the limit: wait for the rest
        {"l", DecodeStatus::Incomplete},
        {"li1e", DecodeStatus::Incomplete},
        {"d", DecodeStatus::Incomplete},
        {"d1:a", DecodeStatus::Incomplete},
        {"d1:ai1e", DecodeStatus::Incomplete},
    };
    for (const MalformedCase& c : cases) {
        DecodeResult result = decode(c.input);
        EXPECT_EQ(result.status, c.status) << "input: " << c.input << " (" << result.error << ")";
        EXPECT_FALSE(result.error.empty()) << "input: " << c.input;
        EXPECT_NE(result.error.find("at byte "), std::string::npos) << result.error;
    }
}

TEST(BencodeTest, ErrorNamesTheByteOffset) {
    DecodeResult duplicate = decode("d1:ai1e1:ai2ee");
    EXPECT_EQ(duplicate.status, DecodeStatus::Malformed);
    EXPECT_EQ(duplicate.error.rfind("at byte 7:", 0), 0U) << duplicate.error;
    EXPECT_NE(duplicate.error.find("duplicate"), std::string::npos) << duplicate.error;

    DecodeResult leadingZero = decode("li1ei007ee");
    EXPECT_EQ(leadingZero.error.rfind("at byte 5:", 0), 0U) << leadingZero.error;
}

TEST(BencodeTest, BoundaryIntegersDecode) {
    DecodeResult max = decode("i9223372036854775807e");
    ASSERT_TRUE(max.ok()) << max.error;
    EXPECT_EQ(max.value.asInteger(), std::numeric_limits<Integer>::max());
    DecodeResult min = decode("i-9223372036854775808e");
    ASSERT_TRUE(min.ok()) << min.error;
    EXPECT_EQ(min.value.asInteger(), std::numeric_limits<Integer>::min());
}

TEST(BencodeTest, StringLengthLimit) {
    DecodeLimits limits;
    limits.maxStringLength = 4;
    EXPECT_EQ(decode("4:abcd", limits).status, DecodeStatus::Ok);
    EXPECT_EQ(decode("5:abcde", limits).status, DecodeStatus::TooLarge);
    EXPECT_EQ(decode("d5:abcde1:xe", limits).status, DecodeStatus::TooLarge); // keys too
    limits.maxStringLength = 0;
    EXPECT_EQ(decode("0:", limits).status, DecodeStatus::Ok);
    EXPECT_EQ(decode("1:a", limits).status, DecodeStatus::TooLarge);
}

TEST(BencodeTest, NestingAtTheLimitDecodesAndOverItIsTooDeep) {
    const std::size_t depth = DecodeLimits{}.maxDepth;
    std::string atLimit = std::string(depth, 'l') + std::string(depth, 'e');
    EXPECT_EQ(decode(atLimit).status, DecodeStatus::Ok);
    std::string overLimit = std::string(depth + 1, 'l') + std::string(depth + 1, 'e');
    EXPECT_EQ(decode(overLimit).status, DecodeStatus::TooDeep);
    std::string dicts;
    for (std::size_t i = 0; i <= depth; ++i) {
        dicts += "d1:a";
    }
    EXPECT_EQ(decode(dicts).status, DecodeStatus::TooDeep);
}

TEST(BencodeTest, MegabyteOfOpenListsNeitherCrashesNorRecurses) {
    const std::string opens(1 << 20, 'l');
    EXPECT_EQ(decode(opens).status, DecodeStatus::TooDeep);

    // Without a depth limit the decoder keeps its nesting on the heap.
    DecodeLimits unlimited;
    unlimited.maxDepth = std::numeric_limits<std::size_t>::max();
    unlimited.maxElements = std::numeric_limits<std::size_t>::max();
    EXPECT_EQ(decode(opens, unlimited).status, DecodeStatus::Incomplete);
}

TEST(BencodeTest, DeepNestingBuildsTheValue) {
    DecodeLimits limits;
    limits.maxDepth = 1000;
    std::string input = std::string(1000, 'l') + "i7e" + std::string(1000, 'e');
    DecodeResult result = decode(input, limits);
    ASSERT_TRUE(result.ok()) << result.error;
    const Value* v = &result.value;
    for (int i = 0; i < 1000; ++i) {
        ASSERT_TRUE(v->isList());
        ASSERT_EQ(v->asList().size(), 1U);
        v = &v->asList()[0];
    }
    EXPECT_EQ(*v, Value{7});
    EXPECT_EQ(encode(result.value), input);
}

TEST(BencodeTest, ElementFloodIsTooLarge) {
    std::string flood = "l";
    for (int i = 0; i < 100001; ++i) {
        flood += "i1e";
    }
    // Reported as soon as the limit is passed, even before the list is closed.
    EXPECT_EQ(decode(flood).status, DecodeStatus::TooLarge);
    EXPECT_EQ(decode(flood + "e").status, DecodeStatus::TooLarge);

    DecodeLimits limits;
    limits.maxElements = 3; // the list and two integers
    EXPECT_EQ(decode("li1ei2ee", limits).status, DecodeStatus::Ok);
    EXPECT_EQ(decode("li1ei2ei3ee", limits).status, DecodeStatus::TooLarge);
    EXPECT_EQ(decode("d1:ai1e1:bi2ee", limits).status, DecodeStatus::Ok); // keys are not counted
    EXPECT_EQ(decode("d1:ali1eee", limits).status, DecodeStatus::Ok);
    EXPECT_EQ(decode("d1:ali1ei2eee", limits).status, DecodeStatus::TooLarge);
}

TEST(BencodeTest, TrailingBytesAreLeftUnconsumed) {
    DecodeResult result = decode("i1eXYZ");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.consumed, 3U);
    EXPECT_EQ(result.value, Value{1});

    DecodeResult two = decode("4:spam4:eggs");
    ASSERT_TRUE(two.ok());
    EXPECT_EQ(two.consumed, 6U);
    EXPECT_EQ(two.value, Value{"spam"});

    DecodeResult dict = decode("d7:command4:pingee");
    ASSERT_TRUE(dict.ok());
    EXPECT_EQ(dict.consumed, 17U);
}

TEST(BencodeTest, StatusNames) {
    EXPECT_EQ(toString(DecodeStatus::Incomplete), "incomplete");
    EXPECT_EQ(toString(DecodeStatus::TooDeep), "too deep");
    std::ostringstream os;
    os << DecodeStatus::TooLarge;
    EXPECT_EQ(os.str(), "too large");
}

} // namespace
} // namespace rtcgate::bencode
