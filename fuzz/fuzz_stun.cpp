// A datagram on a WebRTC party's port whose first byte says STUN, as the ICE-lite responder answers it: with the
// party's credentials known or not yet; a success response it builds must parse as STUN again.
#include "FuzzInput.hpp"

#include "rtcgate/ice/IceLiteResponder.hpp"
#include "rtcgate/ice/StunDemux.hpp"

#include <array>

using namespace rtcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    const std::uint8_t options = input.take();
    ice::IceLiteResponder responder(ice::IceCredentials{"ufrag", "passwordpasswordpassword"});
    if ((options & 1U) != 0) {
        responder.setRemoteCredentials("peer", "peerpasswordpeerpassword");
    }
    const auto source = *net::makeEndpoint((options & 2U) != 0 ? "::1" : "127.0.0.1", 50000);
    std::array<std::uint8_t, ice::IceLiteResponder::kMaxResponseSize> response{};
    const auto now = ice::Clock::now();
    const auto result =
        responder.handle(input.rest(), source.data(), static_cast<socklen_t>(source.size()), now, response);
    if (result.responseSize > response.size() ||
        (result.responseSize > 0 && !ice::isStun(std::span(response).first(result.responseSize)))) {
        __builtin_trap();
    }
    (void)responder.hasChecked(source);
    (void)responder.consentExpired(now);
    return 0;
}
