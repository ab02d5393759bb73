// What every fuzz target takes apart: libFuzzer's bytes as a span, a string view, or a few leading bytes that
// choose options and the rest as the input proper.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace rtcgate::fuzz {

class FuzzInput {
public:
    FuzzInput(const std::uint8_t* data, std::size_t size) : bytes_(data, size) {}

    // The next byte, or 0 when none is left.
    std::uint8_t take() {
        if (bytes_.empty()) {
            return 0;
        }
        const std::uint8_t byte = bytes_.front();
        bytes_ = bytes_.subspan(1);
        return byte;
    }
    // The next `count` bytes, or fewer when fewer are left.
    std::span<const std::uint8_t> take(std::size_t count) {
        const auto taken = bytes_.first(std::min(count, bytes_.size()));
        bytes_ = bytes_.subspan(taken.size());
        return taken;
    }
    std::span<const std::uint8_t> rest() const { return bytes_; }
    std::string_view restAsText() const { return {reinterpret_cast<const char*>(bytes_.data()), bytes_.size()}; }

private:
    std::span<const std::uint8_t> bytes_;
};

} // namespace rtcgate::fuzz

// libFuzzer's entry point; a crash, a sanitizer report or a failed check (__builtin_trap) is a finding.
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
