#include "rtcgate/dtls/SetupRole.hpp"

#include <gtest/gtest.h>

#include <optional>

namespace rtcgate::dtls {
namespace {

struct SetupRoleCase {
    std::optional<SetupAttribute> offered;
    std::optional<DtlsRole> preference;
    std::optional<DtlsRole> expected;
};

TEST(SetupRoleTest, AnswerRoleFollowsRfc8842) {
    using enum SetupAttribute;
    const SetupRoleCase cases[] = {
        {ActPass, std::nullopt, DtlsRole::Client},
        {ActPass, DtlsRole::Client, DtlsRole::Client},
        {ActPass, DtlsRole::Server, DtlsRole::Server},
        {Active, std::nullopt, DtlsRole::Server},
        {Active, DtlsRole::Client, DtlsRole::Server}, // the offer leaves no choice
        {Passive, std::nullopt, DtlsRole::Client},
        {Passive, DtlsRole::Server, DtlsRole::Client},
        {HoldConn, std::nullopt, std::nullopt},
        {std::nullopt, std::nullopt, DtlsRole::Server}, // RFC 4145: absent means active
    };
    for (const auto& c : cases) {
        EXPECT_EQ(setupRoleFor(c.offered, c.preference), c.expected)
            << (c.offered ? toString(*c.offered) : "(none)") << " preference "
            << (c.preference ? static_cast<int>(*c.preference) : -1);
    }
}

TEST(SetupRoleTest, AnswerAttributeAnnouncesTheRole) {
    EXPECT_EQ(answerSetupFor(DtlsRole::Client), SetupAttribute::Active);
    EXPECT_EQ(answerSetupFor(DtlsRole::Server), SetupAttribute::Passive);
}

TEST(SetupRoleTest, ParsesAndFormatsSetupValues) {
    EXPECT_EQ(parseSetupAttribute("actpass"), SetupAttribute::ActPass);
    EXPECT_EQ(parseSetupAttribute("ACTIVE"), SetupAttribute::Active);
    EXPECT_EQ(parseSetupAttribute("passive"), SetupAttribute::Passive);
    EXPECT_EQ(parseSetupAttribute("holdconn"), SetupAttribute::HoldConn);
    EXPECT_FALSE(parseSetupAttribute("activ"));
    EXPECT_FALSE(parseSetupAttribute(""));
    EXPECT_EQ(toString(SetupAttribute::ActPass), "actpass");
    EXPECT_EQ(toString(SetupAttribute::Passive), "passive");
}

} // namespace
} // namespace rtcgate::dtls
