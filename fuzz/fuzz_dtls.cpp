// Datagrams on a WebRTC party's port whose first byte says DTLS: the record pre-check, then a DTLS endpoint of
// either role (the peer's fingerprint known) that OpenSSL runs on them. Each input is an option byte, then a
// sequence of datagrams, each prefixed by its length (two bytes, big-endian).
#include "FuzzInput.hpp"

#include "rtcgate/dtls/Certificate.hpp"
#include "rtcgate/dtls/DtlsContext.hpp"
#include "rtcgate/dtls/DtlsEndpoint.hpp"
#include "rtcgate/dtls/DtlsRecord.hpp"

using namespace rtcgate;

namespace {

struct Identity {
    dtls::Certificate certificate = dtls::Certificate::generate();
    dtls::DtlsContext context{certificate, {}};
};

Identity& identity() {
    static Identity shared; // a certificate per run: generating one per input would be all the fuzzer did
    return shared;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fuzz::FuzzInput input(data, size);
    const std::uint8_t options = input.take();
    auto& self = identity();
    dtls::DtlsEndpoint endpoint(self.context, (options & 1U) != 0 ? dtls::DtlsRole::Client : dtls::DtlsRole::Server);
    auto now = dtls::DtlsEndpoint::Clock::now();
    endpoint.setRemoteFingerprint(self.certificate.fingerprint(), now);
    endpoint.start(now);
    while (!input.rest().empty()) {
        const std::size_t length = std::size_t{input.take()} << 8U;
        const auto datagram = input.take(length | input.take());
        (void)dtls::isWellFormed(datagram);
        (void)dtls::isClientHello(datagram);
        (void)dtls::hasPlaintextAlert(datagram);
        if (dtls::isDtls(datagram)) {
            endpoint.onDatagram(datagram, now);
        }
        while (endpoint.nextOutgoing()) {
        }
        now += std::chrono::milliseconds(50);
        endpoint.onTick(now);
    }
    if (endpoint.state() == dtls::DtlsState::Connected && !endpoint.keyMaterial()) {
        __builtin_trap();
    }
    return 0;
}
