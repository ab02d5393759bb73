// Bencode decode under its limits; what decodes re-encodes to a value that decodes back to itself.
#include "FuzzInput.hpp"

#include "rtcgate/control/Bencode.hpp"

using namespace rtcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const fuzz::FuzzInput input(data, size);
    const auto decoded = bencode::decode(input.restAsText());
    if (!decoded.ok()) {
        return 0;
    }
    const std::string encoded = bencode::encode(decoded.value);
    const auto again = bencode::decode(encoded);
    if (!again.ok() || again.consumed != encoded.size() || !(again.value == decoded.value)) {
        __builtin_trap();
    }
    return 0;
}
