#include "rtcgate/dtls/SetupRole.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace rtcgate::dtls {

namespace {

constexpr std::array<std::pair<SetupAttribute, std::string_view>, 4> kSetupNames{{
    {SetupAttribute::Active, "active"},
    {SetupAttribute::Passive, "passive"},
    {SetupAttribute::ActPass, "actpass"},
    {SetupAttribute::HoldConn, "holdconn"},
}};

} // namespace

std::optional<SetupAttribute> parseSetupAttribute(std::string_view value) {
    for (const auto& [setup, name] : kSetupNames) {
        if (std::ranges::equal(value, name,
                               [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; })) {
            return setup;
        }
    }
    return std::nullopt;
}

std::string_view toString(SetupAttribute setup) {
    for (const auto& [known, name] : kSetupNames) {
        if (known == setup) {
            return name;
        }
    }
    return "";
}

std::optional<DtlsRole> setupRoleFor(std::optional<SetupAttribute> offered, std::optional<DtlsRole> preference) {
    // RFC 4145 section 4: an offer without a=setup is read as active.
    switch (offered.value_or(SetupAttribute::Active)) {
    case SetupAttribute::Active:
        return DtlsRole::Server;
    case SetupAttribute::Passive:
        return DtlsRole::Client;
    case SetupAttribute::ActPass:
        // RFC 8842 section 5.3: the answerer picks; active is the recommended answer.
        return preference.value_or(DtlsRole::Client);
    case SetupAttribute::HoldConn:
        return std::nullopt;
    }
    return std::nullopt;
}

SetupAttribute answerSetupFor(DtlsRole role) {
    return role == DtlsRole::Client ? SetupAttribute::Active : SetupAttribute::Passive;
}

} // namespace rtcgate::dtls
