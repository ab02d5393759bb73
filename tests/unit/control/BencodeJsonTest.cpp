#include "rtcgate/control/BencodeJson.hpp"

#include <gtest/gtest.h>

#include <string>

namespace rtcgate::bencode {
namespace {

using namespace std::string_literals;
namespace json = boost::json;

TEST(BencodeJsonTest, ConvertsAnNgOfferFromJson) {
    json::value offer = json::parse(R"({"command":"offer","call-id":"c1","from-tag":"a","sdp":"v=0\r\n",
        "flags":["trust-address","SIP-source"],"replace":["origin"],"ICE":"remove",
        "rtcp-mux":["demux"],"codec":{"transcode":["PCMU","PCMA"]},"ptime":20,"record call":true,"strict":false})");
    JsonConversion conversion = fromJson(offer);
    ASSERT_TRUE(conversion.ok()) << conversion.error;
    const Value expected{Dict{
        {"command", "offer"},
        {"call-id", "c1"},
        {"from-tag", "a"},
        {"sdp", "v=0\r\n"},
        {"flags", List{"trust-address", "SIP-source"}},
        {"replace", List{"origin"}},
        {"ICE", "remove"},
        {"rtcp-mux", List{"demux"}},
        {"codec", Dict{{"transcode", List{"PCMU", "PCMA"}}}},
        {"ptime", 20},
        {"record call", 1},
        {"strict", 0},
    }};
    EXPECT_EQ(encode(conversion.value), encode(expected));
}

TEST(BencodeJsonTest, IntegersKeepTheirFullRange) {
    JsonConversion big = fromJson(json::parse("[9223372036854775807,-9223372036854775808,0]"));
    ASSERT_TRUE(big.ok()) << big.error;
    EXPECT_EQ(encode(big.value), "li9223372036854775807ei-9223372036854775808ei0ee");

    // Boost.JSON parses this one as uint64.
    JsonConversion tooBig = fromJson(json::parse("[1,18446744073709551615]"));
    EXPECT_FALSE(tooBig.ok());
    EXPECT_NE(tooBig.error.find("\"/1\""), std::string::npos) << tooBig.error;
}

TEST(BencodeJsonTest, NullAndFloatingPointAreErrorsThatNameTheirPlace) {
    JsonConversion null = fromJson(json::parse(R"({"command":"offer","flags":["a",null]})"));
    EXPECT_FALSE(null.ok());
    EXPECT_NE(null.error.find("null"), std::string::npos) << null.error;
    EXPECT_NE(null.error.find("\"/flags/1\""), std::string::npos) << null.error;

    JsonConversion real = fromJson(json::parse(R"({"a/b":{"x~":1.5}})"));
    EXPECT_FALSE(real.ok());
    EXPECT_NE(real.error.find("floating-point"), std::string::npos) << real.error;
    EXPECT_NE(real.error.find("\"/a~1b/x~0\""), std::string::npos) << real.error;

    JsonConversion top = fromJson(json::value{});
    EXPECT_FALSE(top.ok());
    EXPECT_NE(top.error.find("top level"), std::string::npos) << top.error;
}

TEST(BencodeJsonTest, ConvertsAReplyToJson) {
    const Value reply{Dict{
        {"result", "ok"},
        {"sdp", "v=0\r\n"},
        {"created", 1700000000},
        {"tags", Dict{{"a", Dict{{"medias", List{Dict{{"index", 1}}}}}}}},
        {"warnings", List{}},
    }};
    EXPECT_EQ(toJson(reply), json::parse(R"({"result":"ok","sdp":"v=0\r\n","created":1700000000,
        "tags":{"a":{"medias":[{"index":1}]}},"warnings":[]})"));
    EXPECT_EQ(toJson(Value{-5}), json::value(-5));
}

TEST(BencodeJsonTest, StringsKeepArbitraryBytes) {
    const std::string bytes = "a\0b\xff\r\n"s;
    json::value converted = toJson(Value{bytes});
    ASSERT_TRUE(converted.is_string());
    EXPECT_EQ(std::string(converted.as_string()), bytes);
}

TEST(BencodeJsonTest, RoundTripsThroughJson) {
    const Value value{Dict{{"list", List{1, "two", List{}, Dict{}}}, {"n", -1}, {"s", ""}}};
    JsonConversion back = fromJson(toJson(value));
    ASSERT_TRUE(back.ok()) << back.error;
    EXPECT_EQ(back.value, value);
}

} // namespace
} // namespace rtcgate::bencode
