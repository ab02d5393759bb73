// Bencode values and a strict, bounded codec: the wire format of the ng protocol.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rtcgate::bencode {

class Value;
using Integer = std::int64_t;
using String = std::string;
using List = std::vector<Value>;
// Bencode requires dictionary keys in sorted raw-byte order on the wire;
// std::map gives exactly that when encoding.
using Dict = std::map<std::string, Value, std::less<>>;

class Value {
public:
    Value() : data_(String{}) {}
    Value(Integer i) : data_(i) {}                  // NOLINT(google-explicit-constructor)
    Value(int i) : data_(Integer{i}) {}             // NOLINT(google-explicit-constructor)
    Value(String s) : data_(std::move(s)) {}        // NOLINT(google-explicit-constructor)
    Value(const char* s) : data_(String{s}) {}      // NOLINT(google-explicit-constructor)
    Value(std::string_view s) : data_(String{s}) {} // NOLINT(google-explicit-constructor)
    Value(List l) : data_(std::move(l)) {}          // NOLINT(google-explicit-constructor)
    Value(Dict d) : data_(std::move(d)) {}          // NOLINT(google-explicit-constructor)

    bool isInteger() const { return std::holds_alternative<Integer>(data_); }
    bool isString() const { return std::holds_alternative<String>(data_); }
    bool isList() const { return std::holds_alternative<List>(data_); }
    bool isDict() const { return std::holds_alternative<Dict>(data_); }

    // Precondition: the value holds that type.
    Integer asInteger() const { return std::get<Integer>(data_); }
    const String& asString() const { return std::get<String>(data_); }
    const List& asList() const { return std::get<List>(data_); }
    const Dict& asDict() const { return std::get<Dict>(data_); }
    List& asList() { return std::get<List>(data_); }
    Dict& asDict() { return std::get<Dict>(data_); }

    // Dictionary lookup; nullptr when this is not a dict or the key is absent.
    const Value* find(std::string_view key) const;

    bool operator==(const Value&) const = default;

private:
    std::variant<Integer, String, List, Dict> data_;
};

// Appends the canonical encoding of `value` to `out`.
void encode(const Value& value, std::string& out);
void encode(const Dict& dict, std::string& out);
std::string encode(const Value& value);

struct DecodeLimits {
    // Nesting of lists and dicts. The decoder itself never recurses, but
    // encode() and ~Value() do, as deep as the value is nested.
    std::size_t maxDepth = 32;
    std::size_t maxElements = 100000; // values in total, at every level
    std::size_t maxStringLength = 1 << 20;
};

enum class DecodeStatus {
    Ok,
    Incomplete, // the input ends inside a value: a stream reader waits for more bytes
    Malformed,  // bytes that no valid encoding contains (also integers outside int64)
    TooDeep,    // nesting over limits.maxDepth
    TooLarge,   // over limits.maxElements, or a string length over limits.maxStringLength
};

std::string_view toString(DecodeStatus status);
std::ostream& operator<<(std::ostream& os, DecodeStatus status);

struct DecodeResult {
    DecodeStatus status = DecodeStatus::Malformed;
    Value value;
    std::size_t consumed = 0; // bytes of input that form `value` (status Ok)
    std::string error;        // human-readable reason (status != Ok)

    bool ok() const { return status == DecodeStatus::Ok; }
};

// Decodes one value from the start of `input`. Bytes after it are left
// unconsumed (see `consumed`); callers that need the whole input to be one
// value check consumed == input.size().
DecodeResult decode(std::string_view input, const DecodeLimits& limits = {});

} // namespace rtcgate::bencode
