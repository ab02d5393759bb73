#include "rtcgate/dtls/SrtpKeyMaterial.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace rtcgate::dtls {

srtp::SrtpKeyPair splitKeyingMaterial(SrtpProfile profile, std::span<const std::uint8_t> material, DtlsRole localRole) {
    if (material.size() != srtp::keyingMaterialLength(profile)) {
        throw std::invalid_argument("DTLS-SRTP keying material length does not fit the profile " +
                                    std::string(srtp::dtlsProfileName(profile)));
    }
    const std::size_t keyLength = srtp::masterKeyLength(profile);
    const std::size_t saltLength = srtp::masterSaltLength(profile);
    auto bytes = [&](std::size_t offset, std::size_t count) {
        const auto part = material.subspan(offset, count);
        return std::vector<std::uint8_t>(part.begin(), part.end());
    };
    srtp::SrtpMasterKey client{bytes(0, keyLength), bytes(2 * keyLength, saltLength)};
    srtp::SrtpMasterKey server{bytes(keyLength, keyLength), bytes(2 * keyLength + saltLength, saltLength)};
    if (localRole == DtlsRole::Client) {
        return {std::move(client), std::move(server)};
    }
    return {std::move(server), std::move(client)};
}

} // namespace rtcgate::dtls
