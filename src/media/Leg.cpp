#include "rtcgate/media/Leg.hpp"

namespace rtcgate::media {

std::string Leg::finalizeSdp(sdp::SessionDescription& sdp) {
    auto origin = sdp.origin();
    if (!origin) {
        return sdp.serialize();
    }
    if (!lastSdp_.empty()) {
        origin->sessionVersion = lastVersion_;
        sdp.setOrigin(*origin);
        std::string same = sdp.serialize();
        if (same == lastSdp_) {
            return same;
        }
        origin->sessionVersion = lastVersion_ + 1;
        sdp.setOrigin(*origin);
    }
    lastVersion_ = origin->sessionVersion;
    lastSdp_ = sdp.serialize();
    return lastSdp_;
}

} // namespace rtcgate::media
