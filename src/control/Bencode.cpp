#include "rtcgate/control/Bencode.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <ostream>
#include <system_error>
#include <utility>

namespace rtcgate::bencode {

const Value* Value::find(std::string_view key) const {
    const auto* dict = std::get_if<Dict>(&data_);
    if (dict == nullptr) {
        return nullptr;
    }
    auto it = dict->find(key);
    return it == dict->end() ? nullptr : &it->second;
}

namespace {

template <typename Number>
void appendNumber(Number n, std::string& out) {
    std::array<char, 24> buffer{};
    auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), n);
    out.append(buffer.data(), end);
}

void appendString(std::string_view s, std::string& out) {
    appendNumber(s.size(), out);
    out.push_back(':');
    out.append(s);
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

std::string describeByte(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f) {
        return std::string{"'"} + c + "'";
    }
    constexpr std::string_view hex = "0123456789abcdef";
    return std::string{"0x"} + hex[u >> 4] + hex[u & 0xf];
}

// Iterative, so that nesting costs heap (bounded by maxDepth) and never stack.
class Decoder {
public:
    Decoder(std::string_view input, const DecodeLimits& limits) : input_(input), limits_(limits) {
        stack_.reserve(std::min<std::size_t>(limits.maxDepth, 8));
    }

    DecodeResult run() {
        DecodeResult result;
        for (;;) {
            Value value;
            if (!nextValue(value)) {
                result.status = status_;
                result.error = std::move(error_);
                return result;
            }
            if (stack_.empty()) {
                result.status = DecodeStatus::Ok;
                result.value = std::move(value);
                result.consumed = pos_;
                return result;
            }
            Frame& top = stack_.back();
            if (top.container.isList()) {
                top.container.asList().push_back(std::move(value));
            } else {
                *top.slot = std::move(value);
                top.slot = nullptr;
            }
        }
    }

private:
    struct Frame {
        Value container;        // a List or a Dict
        Value* slot = nullptr;  // Dict: the entry of the key read last, awaiting its value
        std::size_t offset = 0; // of the 'l' or 'd'
    };

    // Reads until one value is complete (a scalar, or a container closed by
    // 'e'); containers opened on the way are pushed onto stack_.
    bool nextValue(Value& value) {
        for (;;) {
            if (pos_ == input_.size()) {
                return fail(DecodeStatus::Incomplete, pos_, insideWhat());
            }
            char c = input_[pos_];
            if (!stack_.empty()) {
                const Frame& top = stack_.back();
                bool awaitingKey = top.container.isDict() && top.slot == nullptr;
                if (c == 'e') {
                    if (top.container.isDict() && !awaitingKey) {
                        return fail(DecodeStatus::Malformed, pos_, "dictionary key without a value");
                    }
                    ++pos_;
                    value = pop();
                    return true;
                }
                if (awaitingKey) {
                    if (!readKey()) {
                        return false;
                    }
                    continue;
                }
            }
            if (++elements_ > limits_.maxElements) {
                return fail(DecodeStatus::TooLarge, pos_,
                            "more than " + std::to_string(limits_.maxElements) + " values");
            }
            if (c == 'i') {
                Integer i = 0;
                if (!readInteger(i)) {
                    return false;
                }
                value = Value{i};
                return true;
            }
            if (isDigit(c)) {
                String s;
                if (!readString(s)) {
                    return false;
                }
                value = Value{std::move(s)};
                return true;
            }
            if (c == 'l' || c == 'd') {
                if (stack_.size() >= limits_.maxDepth) {
                    return fail(DecodeStatus::TooDeep, pos_,
                                "nesting deeper than " + std::to_string(limits_.maxDepth) + " levels");
                }
                stack_.push_back(Frame{c == 'l' ? Value{List{}} : Value{Dict{}}, nullptr, pos_});
                ++pos_;
                continue;
            }
            return fail(DecodeStatus::Malformed, pos_, "unexpected byte " + describeByte(c) + " where a value starts");
        }
    }

    bool readKey() {
        char c = input_[pos_];
        if (!isDigit(c)) {
            return fail(DecodeStatus::Malformed, pos_, "dictionary key must be a string, found " + describeByte(c));
        }
        std::size_t keyOffset = pos_;
        String key;
        if (!readString(key)) {
            return false;
        }
        Frame& top = stack_.back();
        Dict& dict = top.container.asDict();
        std::size_t sizeBefore = dict.size();
        // Hinted at the end: keys usually arrive sorted, which makes the insertion O(1).
        auto it = dict.try_emplace(dict.end(), std::move(key));
        if (dict.size() == sizeBefore) {
            return fail(DecodeStatus::Malformed, keyOffset, "duplicate dictionary key \"" + it->first + "\"");
        }
        // std::map nodes never move, not even when the frame holding the map is moved.
        top.slot = &it->second;
        return true;
    }

    // i<integer>e: an optional '-', then digits without leading zeros; "-0" is not allowed.
    bool readInteger(Integer& out) {
        std::size_t start = pos_;
        std::size_t p = start + 1;
        bool negative = p < input_.size() && input_[p] == '-';
        if (negative) {
            ++p;
        }
        std::size_t digits = p;
        while (p < input_.size() && isDigit(input_[p])) {
            if (p > digits && input_[digits] == '0') {
                return fail(DecodeStatus::Malformed, digits, "leading zero in integer");
            }
            // INT64_MIN has 19 digits: more can never fit, whatever follows.
            if (p - digits == 19) {
                return fail(DecodeStatus::Malformed, start, "integer out of the 64-bit range");
            }
            ++p;
        }
        if (negative && p > digits && input_[digits] == '0') {
            return fail(DecodeStatus::Malformed, digits, "negative zero");
        }
        if (p == input_.size()) {
            return fail(DecodeStatus::Incomplete, p,
                        "input ends inside an integer started at byte " + std::to_string(start));
        }
        if (input_[p] != 'e') {
            return fail(DecodeStatus::Malformed, p, "unexpected byte " + describeByte(input_[p]) + " in integer");
        }
        if (p == digits) {
            return fail(DecodeStatus::Malformed, start, "integer without digits");
        }
        auto [end, ec] = std::from_chars(input_.data() + start + 1, input_.data() + p, out);
        if (ec != std::errc{}) {
            return fail(DecodeStatus::Malformed, start, "integer out of the 64-bit range");
        }
        pos_ = p + 1;
        return true;
    }

    // <length>:<bytes>, the length in decimal without leading zeros.
    bool readString(String& out) {
        std::size_t start = pos_;
        std::size_t p = start;
        std::size_t length = 0;
        const std::size_t max = limits_.maxStringLength;
        while (p < input_.size() && isDigit(input_[p])) {
            if (p > start && input_[start] == '0') {
                return fail(DecodeStatus::Malformed, start, "leading zero in string length");
            }
            auto digit = static_cast<std::size_t>(input_[p] - '0');
            if (digit > max || length > (max - digit) / 10) {
                return fail(DecodeStatus::TooLarge, start,
                            "string longer than the limit of " + std::to_string(max) + " bytes");
            }
            length = length * 10 + digit;
            ++p;
        }
        if (p == input_.size()) {
            return fail(DecodeStatus::Incomplete, p, "input ends inside a string length");
        }
        if (input_[p] != ':') {
            return fail(DecodeStatus::Malformed, p,
                        "unexpected byte " + describeByte(input_[p]) + " in string length, expected ':'");
        }
        ++p;
        if (input_.size() - p < length) {
            return fail(DecodeStatus::Incomplete, input_.size(),
                        "input ends inside a string of " + std::to_string(length) + " bytes started at byte " +
                            std::to_string(start));
        }
        out.assign(input_.substr(p, length));
        pos_ = p + length;
        return true;
    }

    Value pop() {
        Value v = std::move(stack_.back().container);
        stack_.pop_back();
        return v;
    }

    std::string insideWhat() const {
        if (stack_.empty()) {
            return "input ends before a value";
        }
        const Frame& top = stack_.back();
        return std::string{"input ends inside a "} + (top.container.isList() ? "list" : "dictionary") +
               " started at byte " + std::to_string(top.offset);
    }

    bool fail(DecodeStatus status, std::size_t offset, std::string_view what) {
        status_ = status;
        error_ = "at byte " + std::to_string(offset) + ": ";
        error_.append(what);
        return false;
    }

    std::string_view input_;
    const DecodeLimits& limits_;
    std::size_t pos_ = 0;
    std::size_t elements_ = 0;
    std::vector<Frame> stack_;
    DecodeStatus status_ = DecodeStatus::Malformed;
    std::string error_;
};

} // namespace

void encode(const Value& value, std::string& out) {
    if (value.isInteger()) {
        out.push_back('i');
        appendNumber(value.asInteger(), out);
        out.push_back('e');
    } else if (value.isString()) {
        appendString(value.asString(), out);
    } else if (value.isList()) {
        out.push_back('l');
        for (const Value& item : value.asList()) {
            encode(item, out);
        }
        out.push_back('e');
    } else {
        encode(value.asDict(), out);
    }
}

void encode(const Dict& dict, std::string& out) {
    out.push_back('d');
    for (const auto& [key, item] : dict) {
        appendString(key, out);
        encode(item, out);
    }
    out.push_back('e');
}

std::string encode(const Value& value) {
    std::string out;
    encode(value, out);
    return out;
}

DecodeResult decode(std::string_view input, const DecodeLimits& limits) {
    return Decoder{input, limits}.run();
}

std::string_view toString(DecodeStatus status) {
    switch (status) {
    case DecodeStatus::Ok:
        return "ok";
    case DecodeStatus::Incomplete:
        return "incomplete";
    case DecodeStatus::Malformed:
        return "malformed";
    case DecodeStatus::TooDeep:
        return "too deep";
    case DecodeStatus::TooLarge:
        return "too large";
    }
    return "unknown";
}

std::ostream& operator<<(std::ostream& os, DecodeStatus status) {
    return os << toString(status);
}

} // namespace rtcgate::bencode
