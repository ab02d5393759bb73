// The DTLS role of a leg from SDP a=setup (RFC 4145 section 4, RFC 8842 section 5).
#pragma once

#include <optional>
#include <string_view>

namespace rtcgate::dtls {

enum class DtlsRole {
    Client, // a=setup:active, sends the ClientHello
    Server, // a=setup:passive
};

enum class SetupAttribute {
    Active,
    Passive,
    ActPass,
    HoldConn,
};

std::optional<SetupAttribute> parseSetupAttribute(std::string_view value);
std::string_view toString(SetupAttribute setup);

// Our role when answering an offer whose a=setup is `offered` (nullopt: no a=setup, which RFC 4145 reads as
// active). `preference` is the role asked for (ng `DTLS=active|passive`); it only decides an actpass offer, which is
// answered active when there is none (RFC 8842 section 5.3). Returns nullopt for holdconn: no DTLS connection.
std::optional<DtlsRole> setupRoleFor(std::optional<SetupAttribute> offered,
                                     std::optional<DtlsRole> preference = std::nullopt);

// The a=setup value that announces `role` in an answer.
SetupAttribute answerSetupFor(DtlsRole role);

} // namespace rtcgate::dtls
