// The values of a=crypto (SDES, RFC 4568) and a=fingerprint (RFC 8122) as rtcgate reads them from a party's SDP;
// what parses writes back to a value that parses to the same.
#include "FuzzInput.hpp"

#include "rtcgate/dtls/Fingerprint.hpp"
#include "rtcgate/srtp/CryptoAttribute.hpp"

using namespace rtcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::FuzzInput input(data, size);
    const auto text = input.restAsText();
    if (const auto crypto = srtp::CryptoAttribute::parse(text)) {
        const auto again = srtp::CryptoAttribute::parse(crypto->toString());
        if (!again || again->suite != crypto->suite || again->keys != crypto->keys) {
            __builtin_trap();
        }
    }
    if (const auto fingerprint = dtls::Fingerprint::parse(text)) {
        const auto again = dtls::Fingerprint::parse(fingerprint->toSdp());
        if (!again || !(*again == *fingerprint)) {
            __builtin_trap();
        }
    }
    return 0;
}
