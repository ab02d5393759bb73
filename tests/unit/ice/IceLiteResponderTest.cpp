#include "rtcgate/ice/IceLiteResponder.hpp"

#include "AllocationCounter.hpp"

#include <gtest/gtest.h>
#include <stun/stunagent.h>
#include <stun/stunmessage.h>
#include <stun/usages/ice.h>

#include <array>
#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace rtcgate::ice {
namespace {

using namespace std::chrono_literals;
using Outcome = IceLiteResponder::Outcome;

const std::array<std::uint16_t, 8> kClientAttributes = {
    STUN_ATTRIBUTE_USERNAME,        STUN_ATTRIBUTE_MESSAGE_INTEGRITY,  STUN_ATTRIBUTE_FINGERPRINT,
    STUN_ATTRIBUTE_PRIORITY,        STUN_ATTRIBUTE_USE_CANDIDATE,      STUN_ATTRIBUTE_ICE_CONTROLLED,
    STUN_ATTRIBUTE_ICE_CONTROLLING, STUN_ATTRIBUTE_XOR_MAPPED_ADDRESS,
};
const std::array<std::uint16_t, 9> kClientKnown = {
    kClientAttributes[0], kClientAttributes[1], kClientAttributes[2],
    kClientAttributes[3], kClientAttributes[4], kClientAttributes[5],
    kClientAttributes[6], kClientAttributes[7], 0,
};

// The browser side: libnice's own client-side ICE usage builds the checks and
// validates the responses.
class Browser {
public:
    explicit Browser(bool fingerprint = true) {
        auto flags = STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS;
        if (fingerprint) {
            flags = static_cast<StunAgentUsageFlags>(flags | STUN_AGENT_USAGE_USE_FINGERPRINT);
        }
        stun_agent_init(&agent_, kClientKnown.data(), STUN_COMPATIBILITY_RFC5389, flags);
    }

    // A Binding request as the controlling agent, USERNAME "<username>",
    // MESSAGE-INTEGRITY keyed by `password`.
    std::vector<std::uint8_t> check(const std::string& username, const std::string& password, bool useCandidate,
                                    bool controlling = true) {
        password_ = password; // libnice keeps a pointer to the key to validate the response
        std::vector<std::uint8_t> buffer(1024);
        StunMessage message{};
        std::size_t size = stun_usage_ice_conncheck_create(
            &agent_, &message, buffer.data(), buffer.size(), reinterpret_cast<const std::uint8_t*>(username.data()),
            username.size(), reinterpret_cast<const std::uint8_t*>(password_.data()), password_.size(), useCandidate,
            controlling, 0x6e7f00ff, 0x1122334455667788ULL, nullptr, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
        buffer.resize(size);
        return buffer;
    }

    // Validates a success response with the password the check used and
    // returns its XOR-MAPPED-ADDRESS; nullopt when it does not validate.
    std::optional<net::Endpoint> mappedAddress(std::span<const std::uint8_t> response) {
        StunMessage message{};
        if (stun_agent_validate(&agent_, &message, response.data(), response.size(), nullptr, nullptr) !=
                STUN_VALIDATION_SUCCESS ||
            stun_message_get_class(&message) != STUN_RESPONSE) {
            return std::nullopt;
        }
        sockaddr_storage mapped{};
        socklen_t length = sizeof(mapped);
        if (stun_usage_ice_conncheck_process(&message, &mapped, &length, STUN_USAGE_ICE_COMPATIBILITY_RFC5245) !=
            STUN_USAGE_ICE_RETURN_SUCCESS) {
            return std::nullopt;
        }
        return net::endpointFrom(reinterpret_cast<const sockaddr*>(&mapped), length);
    }

    // The ERROR-CODE of an error response to the last check; 0 when it is not one.
    int errorCode(std::span<const std::uint8_t> response) {
        StunMessage message{};
        stun_agent_validate(&agent_, &message, response.data(), response.size(), nullptr, nullptr);
        int code = 0;
        if (stun_message_get_class(&message) != STUN_ERROR || stun_message_find_error(&message, &code) != 0) {
            return 0;
        }
        return code;
    }

private:
    StunAgent agent_{};
    std::string password_;
};

class IceLiteResponderTest : public ::testing::Test {
protected:
    IceLiteResponderTest() : responder_(local_) { responder_.setRemoteCredentials(remote_.ufrag, remote_.pwd); }

    IceLiteResponder::Result send(const std::vector<std::uint8_t>& request, const net::Endpoint& from,
                                  Clock::time_point now) {
        return responder_.handle(request, from.data(), static_cast<socklen_t>(from.size()), now, buffer_);
    }
    std::span<const std::uint8_t> response(const IceLiteResponder::Result& result) const {
        return {buffer_.data(), result.responseSize};
    }
    std::string username() const { return local_.ufrag + ":" + remote_.ufrag; }
    std::vector<std::uint8_t> validCheck(bool useCandidate = false) {
        return browser_.check(username(), local_.pwd, useCandidate);
    }

    IceCredentials local_ = IceCredentials::generate();
    IceCredentials remote_ = IceCredentials::generate();
    IceLiteResponder responder_;
    Browser browser_;
    std::array<std::uint8_t, IceLiteResponder::kMaxResponseSize> buffer_{};
    net::Endpoint browserAddress_ = *net::makeEndpoint("127.0.0.1", 50000);
    net::Endpoint natAddress_ = *net::makeEndpoint("127.0.0.1", 50010);
    Clock::time_point start_ = Clock::time_point{} + 1h;
};

TEST_F(IceLiteResponderTest, AnswersAValidCheckWithTheSourceAsXorMappedAddress) {
    auto result = send(validCheck(), browserAddress_, start_);
    ASSERT_EQ(result.outcome, Outcome::Answered);
    ASSERT_GT(result.responseSize, 0U);
    EXPECT_FALSE(result.nominated);
    // Validates only if MESSAGE-INTEGRITY is keyed by the local pwd and FINGERPRINT is right.
    EXPECT_EQ(browser_.mappedAddress(response(result)), browserAddress_);
    EXPECT_EQ(responder_.counters().answered, 1U);
    EXPECT_EQ(responder_.lastValidCheck(), start_);
    EXPECT_FALSE(responder_.selectedAddress().has_value());
}

TEST_F(IceLiteResponderTest, AnswersAnIpv6Source) {
    auto source = *net::makeEndpoint("::1", 50002);
    auto result = send(validCheck(true), source, start_);
    ASSERT_EQ(result.outcome, Outcome::Answered);
    EXPECT_EQ(browser_.mappedAddress(response(result)), source);
    EXPECT_EQ(responder_.selectedAddress(), source);
}

TEST_F(IceLiteResponderTest, WrongPasswordGetsA401AndNoSuccessResponse) {
    auto result = send(browser_.check(username(), remote_.pwd, true), browserAddress_, start_);
    EXPECT_EQ(result.outcome, Outcome::BadIntegrity);
    EXPECT_FALSE(result.nominated);
    EXPECT_FALSE(browser_.mappedAddress(response(result)).has_value());
    EXPECT_EQ(browser_.errorCode(response(result)), 401);
    EXPECT_EQ(responder_.counters().badIntegrity, 1U);
    EXPECT_EQ(responder_.counters().answered, 0U);
    EXPECT_FALSE(responder_.selectedAddress().has_value());
    EXPECT_FALSE(responder_.lastValidCheck().has_value());
}

TEST_F(IceLiteResponderTest, WrongLocalUfragIsWrongUsername) {
    auto result = send(browser_.check("nope:" + remote_.ufrag, local_.pwd, true), browserAddress_, start_);
    EXPECT_EQ(result.outcome, Outcome::WrongUsername);
    EXPECT_EQ(browser_.errorCode(response(result)), 401);
    EXPECT_EQ(responder_.counters().wrongUsername, 1U);
    EXPECT_FALSE(responder_.selectedAddress().has_value());
}

TEST_F(IceLiteResponderTest, WrongRemoteUfragIsWrongUsernameOnceTheRemoteIsKnown) {
    EXPECT_EQ(send(browser_.check(local_.ufrag + ":other", local_.pwd, false), browserAddress_, start_).outcome,
              Outcome::WrongUsername);
    // A local ufrag that merely starts the USERNAME is not enough.
    EXPECT_EQ(
        send(browser_.check(local_.ufrag + "x:" + remote_.ufrag, local_.pwd, false), browserAddress_, start_).outcome,
        Outcome::WrongUsername);
    EXPECT_EQ(send(browser_.check(local_.ufrag, local_.pwd, false), browserAddress_, start_).outcome,
              Outcome::WrongUsername);
    EXPECT_EQ(responder_.counters().wrongUsername, 3U);
}

TEST_F(IceLiteResponderTest, AnswersChecksThatArriveBeforeTheRemoteCredentials) {
    IceLiteResponder early(local_);
    auto check = browser_.check(local_.ufrag + ":anything", local_.pwd, false);
    auto result =
        early.handle(check, browserAddress_.data(), static_cast<socklen_t>(browserAddress_.size()), start_, buffer_);
    EXPECT_EQ(result.outcome, Outcome::Answered);
    // Still "<local>:<something>".
    auto empty = browser_.check(local_.ufrag + ":", local_.pwd, false);
    EXPECT_EQ(
        early.handle(empty, browserAddress_.data(), static_cast<socklen_t>(browserAddress_.size()), start_, buffer_)
            .outcome,
        Outcome::WrongUsername);
}

TEST_F(IceLiteResponderTest, BadFingerprintIsBadIntegrityWithoutAnyResponse) {
    auto check = validCheck(true);
    check.back() ^= 0x01; // last byte of FINGERPRINT
    auto result = send(check, browserAddress_, start_);
    EXPECT_EQ(result.outcome, Outcome::BadIntegrity);
    EXPECT_EQ(result.responseSize, 0U);
    EXPECT_EQ(responder_.counters().badIntegrity, 1U);
    EXPECT_FALSE(responder_.selectedAddress().has_value());
}

TEST_F(IceLiteResponderTest, NonStunPacketIsNotStun) {
    std::vector<std::uint8_t> rtp = {0x80, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 1};
    std::vector<std::uint8_t> dtls = {22, 0xfe, 0xfd, 0, 0};
    EXPECT_EQ(send(rtp, browserAddress_, start_).outcome, Outcome::NotStun);
    EXPECT_EQ(send(dtls, browserAddress_, start_).outcome, Outcome::NotStun);
    EXPECT_EQ(send({}, browserAddress_, start_).outcome, Outcome::NotStun);
    EXPECT_EQ(responder_.counters().malformed, 0U);
}

TEST_F(IceLiteResponderTest, ResponsesAreNotRequests) {
    auto answered = send(validCheck(), browserAddress_, start_);
    ASSERT_EQ(answered.outcome, Outcome::Answered);
    std::vector<std::uint8_t> echoed(buffer_.begin(), buffer_.begin() + static_cast<long>(answered.responseSize));
    auto result = send(echoed, browserAddress_, start_);
    EXPECT_EQ(result.outcome, Outcome::NotARequest);
    EXPECT_EQ(result.responseSize, 0U);
}

TEST_F(IceLiteResponderTest, MalformedCorpusIsCountedAndNeverAnswered) {
    std::vector<std::vector<std::uint8_t>> corpus;
    auto valid = validCheck(true);
    for (std::size_t length = 1; length < valid.size(); length += 3) {
        corpus.emplace_back(valid.begin(), valid.begin() + static_cast<long>(length)); // truncated
    }
    auto longer = valid;
    longer.push_back(0);
    corpus.push_back(longer); // trailing byte after the declared length
    auto wrongLength = valid;
    wrongLength[3] = static_cast<std::uint8_t>(wrongLength[3] + 4); // declares 4 bytes more than it has
    corpus.push_back(wrongLength);
    auto noCookie = valid;
    noCookie[4] ^= 0xff;
    corpus.push_back(noCookie);
    corpus.push_back(Browser(false).check(username(), local_.pwd, true)); // no FINGERPRINT
    {
        // A plain Binding request (a STUN server query): no USERNAME, no MESSAGE-INTEGRITY.
        StunAgent agent{};
        stun_agent_init(&agent, kClientKnown.data(), STUN_COMPATIBILITY_RFC5389, STUN_AGENT_USAGE_USE_FINGERPRINT);
        std::vector<std::uint8_t> plain(128);
        StunMessage message{};
        ASSERT_TRUE(stun_agent_init_request(&agent, &message, plain.data(), plain.size(), STUN_BINDING));
        plain.resize(stun_agent_finish_message(&agent, &message, nullptr, 0));
        corpus.push_back(plain);
    }
    corpus.push_back({0x00, 0x01, 0x00, 0x00}); // short header
    corpus.push_back({0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}); // bare

    for (std::size_t i = 0; i < corpus.size(); ++i) {
        auto result = send(corpus[i], browserAddress_, start_);
        EXPECT_EQ(result.outcome, Outcome::Malformed) << "corpus entry " << i;
        EXPECT_EQ(result.responseSize, 0U) << "corpus entry " << i;
    }
    EXPECT_EQ(responder_.counters().malformed, corpus.size());
    EXPECT_EQ(responder_.counters().answered, 0U);
    EXPECT_FALSE(responder_.selectedAddress().has_value());
}

TEST_F(IceLiteResponderTest, RandomBytesAndMutationsNeverCrashNorGetAnswered) {
    std::mt19937 random(20261121);
    std::uniform_int_distribution<int> byte(0, 255);
    auto valid = validCheck(true);
    for (int i = 0; i < 20000; ++i) {
        std::vector<std::uint8_t> packet;
        if (i % 2 == 0) {
            packet.resize(static_cast<std::size_t>(byte(random)) % 200);
            for (auto& b : packet) {
                b = static_cast<std::uint8_t>(byte(random));
            }
            if (!packet.empty()) {
                packet[0] &= 0x03;
            }
            if (packet.size() >= 8 && i % 4 == 0) { // a plausible header: right length and cookie
                packet[2] = static_cast<std::uint8_t>((packet.size() - 20) >> 8);
                packet[3] = static_cast<std::uint8_t>((packet.size() - 20) & 0xfc);
                packet[4] = 0x21, packet[5] = 0x12, packet[6] = 0xa4, packet[7] = 0x42;
            }
        } else {
            packet = valid;
            int mutations = 1 + byte(random) % 4;
            for (int m = 0; m < mutations; ++m) {
                auto at = static_cast<std::size_t>(byte(random)) % packet.size();
                packet[at] ^= static_cast<std::uint8_t>(1 + byte(random) % 255);
            }
        }
        auto result = send(packet, browserAddress_, start_);
        ASSERT_NE(result.outcome, Outcome::Answered) << "iteration " << i;
        ASSERT_LE(result.responseSize, buffer_.size());
    }
    EXPECT_FALSE(responder_.selectedAddress().has_value());
    // The valid check itself still works after all that.
    EXPECT_EQ(send(valid, browserAddress_, start_).outcome, Outcome::Answered);
}

TEST_F(IceLiteResponderTest, UseCandidateNominatesTheSource) {
    auto plain = send(validCheck(false), browserAddress_, start_);
    EXPECT_FALSE(plain.nominated);
    EXPECT_FALSE(responder_.selectedAddress().has_value());
    auto nominating = send(validCheck(true), browserAddress_, start_);
    EXPECT_EQ(nominating.outcome, Outcome::Answered);
    EXPECT_TRUE(nominating.nominated);
    EXPECT_EQ(responder_.selectedAddress(), browserAddress_);
}

TEST_F(IceLiteResponderTest, PeerReflexiveSourceIsAnsweredAndCanBeNominated) {
    ASSERT_EQ(send(validCheck(true), browserAddress_, start_).outcome, Outcome::Answered);
    // The same browser, now seen through a NAT at an address no candidate named.
    auto result = send(validCheck(false), natAddress_, start_ + 1s);
    ASSERT_EQ(result.outcome, Outcome::Answered);
    EXPECT_EQ(browser_.mappedAddress(response(result)), natAddress_);
    EXPECT_EQ(responder_.selectedAddress(), browserAddress_); // not nominated: the path stays
    ASSERT_TRUE(send(validCheck(true), natAddress_, start_ + 2s).nominated);
    EXPECT_EQ(responder_.selectedAddress(), natAddress_);
}

TEST_F(IceLiteResponderTest, ConsentExpiresThirtySecondsAfterTheLastCheckOnTheSelectedPath) {
    EXPECT_FALSE(responder_.consentExpired(start_ + 1h)); // nothing selected, nothing to expire
    ASSERT_TRUE(send(validCheck(true), browserAddress_, start_).nominated);
    EXPECT_FALSE(responder_.consentExpired(start_ + 29s));
    // Consent refresh from the selected address.
    ASSERT_EQ(send(validCheck(false), browserAddress_, start_ + 20s).outcome, Outcome::Answered);
    // A check from another address does not refresh the selected path.
    ASSERT_EQ(send(validCheck(false), natAddress_, start_ + 40s).outcome, Outcome::Answered);
    // Nor does one with bad credentials.
    ASSERT_EQ(send(browser_.check(username(), "wrong", false), browserAddress_, start_ + 45s).outcome,
              Outcome::BadIntegrity);
    EXPECT_FALSE(responder_.consentExpired(start_ + 49s));
    EXPECT_TRUE(responder_.consentExpired(start_ + 50s));
    // A later valid check from the selected address restores consent.
    ASSERT_EQ(send(validCheck(false), browserAddress_, start_ + 60s).outcome, Outcome::Answered);
    EXPECT_FALSE(responder_.consentExpired(start_ + 60s));
}

TEST_F(IceLiteResponderTest, IceRestartRejectsOldCredentialsAndKeepsThePathUntilRenominated) {
    ASSERT_TRUE(send(validCheck(true), browserAddress_, start_).nominated);
    auto oldLocal = local_;
    auto oldUsername = username();
    local_ = IceCredentials::generate();
    remote_ = IceCredentials::generate();
    responder_.restart(local_);
    responder_.setRemoteCredentials(remote_.ufrag, remote_.pwd);
    EXPECT_EQ(responder_.localCredentials(), local_);

    EXPECT_EQ(send(browser_.check(oldUsername, oldLocal.pwd, true), natAddress_, start_ + 1s).outcome,
              Outcome::WrongUsername);
    EXPECT_EQ(send(browser_.check(username(), oldLocal.pwd, true), natAddress_, start_ + 1s).outcome,
              Outcome::BadIntegrity);
    EXPECT_EQ(responder_.selectedAddress(), browserAddress_);

    auto plain = send(validCheck(false), natAddress_, start_ + 2s);
    ASSERT_EQ(plain.outcome, Outcome::Answered);
    EXPECT_EQ(browser_.mappedAddress(response(plain)), natAddress_);
    EXPECT_EQ(responder_.selectedAddress(), browserAddress_);
    ASSERT_TRUE(send(validCheck(true), natAddress_, start_ + 3s).nominated);
    EXPECT_EQ(responder_.selectedAddress(), natAddress_);
}

TEST_F(IceLiteResponderTest, PeerClaimingControlledGetsRoleConflict) {
    auto check = browser_.check(username(), local_.pwd, true, false);
    auto result = send(check, browserAddress_, start_);
    EXPECT_EQ(result.outcome, Outcome::RoleConflict);
    EXPECT_EQ(browser_.errorCode(response(result)), 487);
    EXPECT_FALSE(responder_.selectedAddress().has_value());
}

TEST_F(IceLiteResponderTest, UnknownComprehensionRequiredAttributeGetsA420) {
    // An authenticated check that also carries CHANGE-REQUEST (0x0003), which ICE does not use.
    StunAgent agent{};
    stun_agent_init(
        &agent, kClientKnown.data(), STUN_COMPATIBILITY_RFC5389,
        static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS | STUN_AGENT_USAGE_USE_FINGERPRINT));
    std::vector<std::uint8_t> check(256);
    StunMessage message{};
    ASSERT_TRUE(stun_agent_init_request(&agent, &message, check.data(), check.size(), STUN_BINDING));
    ASSERT_EQ(stun_message_append_string(&message, STUN_ATTRIBUTE_USERNAME, username().c_str()), 0);
    ASSERT_EQ(stun_message_append32(&message, static_cast<StunAttribute>(0x0003), 0), 0);
    check.resize(stun_agent_finish_message(&agent, &message, reinterpret_cast<const std::uint8_t*>(local_.pwd.data()),
                                           local_.pwd.size()));
    ASSERT_FALSE(check.empty());

    auto result = send(check, browserAddress_, start_);
    EXPECT_EQ(result.outcome, Outcome::UnknownAttributes);
    ASSERT_GT(result.responseSize, 20U);
    StunMessage reply{};
    stun_agent_validate(&agent, &reply, buffer_.data(), result.responseSize, nullptr, nullptr);
    int code = 0;
    EXPECT_EQ(stun_message_get_class(&reply), STUN_ERROR);
    EXPECT_EQ(stun_message_find_error(&reply, &code), 0);
    EXPECT_EQ(code, 420);
    EXPECT_EQ(responder_.counters().malformed, 1U);
    EXPECT_EQ(responder_.counters().answered, 0U);
}

TEST_F(IceLiteResponderTest, TooSmallBufferBuildsNothing) {
    std::array<std::uint8_t, 40> small{};
    auto check = validCheck(true);
    auto result =
        responder_.handle(check, browserAddress_.data(), static_cast<socklen_t>(browserAddress_.size()), start_, small);
    EXPECT_EQ(result.outcome, Outcome::BufferTooSmall);
    EXPECT_EQ(result.responseSize, 0U);
    EXPECT_FALSE(responder_.selectedAddress().has_value());
}

TEST_F(IceLiteResponderTest, AnsweringAllocatesNothing) {
    auto check = validCheck(true);
    IceLiteResponder::Result result;
    {
        testing::AllocationScope scope;
        result = send(check, browserAddress_, start_);
        EXPECT_EQ(scope.count(), 0U);
    }
    EXPECT_EQ(result.outcome, Outcome::Answered);
}

TEST_F(IceLiteResponderTest, OnlySourcesOfValidChecksCountAsChecked) {
    const auto attacker = *net::makeEndpoint("127.0.0.1", 40000);
    EXPECT_FALSE(responder_.hasChecked(browserAddress_));
    send(browser_.check(username(), "not-the-password-at-all", true), attacker, start_);
    send(browser_.check(local_.ufrag + ":someone", local_.pwd, true), attacker, start_);
    EXPECT_FALSE(responder_.hasChecked(attacker));

    ASSERT_EQ(send(validCheck(), browserAddress_, start_).outcome, Outcome::Answered);
    EXPECT_TRUE(responder_.hasChecked(browserAddress_));
    EXPECT_FALSE(responder_.hasChecked(*net::makeEndpoint("127.0.0.1", 50001))); // same host, other port
}

TEST_F(IceLiteResponderTest, BeyondItsCapacityTheSourceCheckedLongestAgoIsForgotten) {
    for (std::uint16_t i = 0; i <= IceLiteResponder::kMaxCheckedSources; ++i) {
        const auto source = *net::makeEndpoint("127.0.0.1", static_cast<std::uint16_t>(50100 + i));
        ASSERT_EQ(send(validCheck(), source, start_ + std::chrono::milliseconds(i)).outcome, Outcome::Answered);
    }
    EXPECT_FALSE(responder_.hasChecked(*net::makeEndpoint("127.0.0.1", 50100)));
    for (std::uint16_t i = 1; i <= IceLiteResponder::kMaxCheckedSources; ++i) {
        EXPECT_TRUE(responder_.hasChecked(*net::makeEndpoint("127.0.0.1", static_cast<std::uint16_t>(50100 + i)))) << i;
    }
}

} // namespace
} // namespace rtcgate::ice
