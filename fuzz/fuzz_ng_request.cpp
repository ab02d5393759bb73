// An ng message as the server reads it: bencode, then the typed request with its flags, keys and codec lists.
#include "FuzzInput.hpp"

#include "rtcgate/control/Bencode.hpp"
#include "rtcgate/control/NgRequest.hpp"

using namespace rtcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::FuzzInput input(data, size);
    const auto decoded = bencode::decode(input.restAsText());
    if (!decoded.ok()) {
        return 0;
    }
    const auto parsed = control::NgRequest::parse(decoded.value);
    if (!parsed.request && parsed.error.empty()) {
        __builtin_trap(); // a refused request always says why
    }
    return 0;
}
