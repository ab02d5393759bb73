#include "rtcgate/media/Leg.hpp"

#include <functional>

namespace rtcgate::media {

std::string Leg::finalizeSdp(sdp::SessionDescription& sdp) {
    auto origin = sdp.origin();
    if (!origin) {
        return sdp.serialize();
    }
    if (lastSdpHash_) {
        origin->sessionVersion = lastVersion_;
        sdp.setOrigin(*origin);
        std::string same = sdp.serialize();
        if (std::hash<std::string>{}(same) == *lastSdpHash_) {
            return same;
        }
        origin->sessionVersion = lastVersion_ + 1;
        sdp.setOrigin(*origin);
    }
    lastVersion_ = origin->sessionVersion;
    std::string text = sdp.serialize();
    lastSdpHash_ = std::hash<std::string>{}(text);
    return text;
}

} // namespace rtcgate::media
