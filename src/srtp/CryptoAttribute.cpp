#include "rtcgate/srtp/CryptoAttribute.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace rtcgate::srtp {

namespace {

constexpr std::string_view kInlinePrefix = "inline:";
constexpr std::size_t kMaxMkiValueDigits = 128; // RFC 4568 section 9.1: mki-value = 1*128DIGIT
constexpr unsigned kMaxMkiLength = 128;         // mki-length = 1*3DIGIT, 1 to 128 bytes

bool isDigits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::vector<std::string_view> splitOnWhitespace(std::string_view text) {
    std::vector<std::string_view> fields;
    std::size_t position = 0;
    while (position < text.size()) {
        while (position < text.size() && isWhitespace(text[position])) {
            ++position;
        }
        const std::size_t start = position;
        while (position < text.size() && !isWhitespace(text[position])) {
            ++position;
        }
        if (position > start) {
            fields.push_back(text.substr(start, position - start));
        }
    }
    return fields;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = text.find(separator, start);
        parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) {
            return parts;
        }
        start = end + 1;
    }
}

bool isBase64Character(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// RFC 4648 base64 through OpenSSL; the padding may be left out, as some endpoints do.
std::optional<std::vector<std::uint8_t>> decodeBase64(std::string_view text) {
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
        ++padding;
    }
    const std::string_view body = text.substr(0, text.size() - padding);
    if (body.empty() || !std::all_of(body.begin(), body.end(), isBase64Character) ||
        (padding > 0 && text.size() % 4 != 0) || body.size() % 4 == 1) {
        return std::nullopt;
    }
    std::string padded(body);
    padded.append((4 - body.size() % 4) % 4, '=');
    padding = padded.size() - body.size();

    std::vector<std::uint8_t> bytes(padded.size() / 4 * 3);
    const int decoded = EVP_DecodeBlock(bytes.data(), reinterpret_cast<const unsigned char*>(padded.data()),
                                        static_cast<int>(padded.size()));
    if (decoded < 0 || static_cast<std::size_t>(decoded) != bytes.size()) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts the padding as decoded zero bytes.
    bytes.resize(bytes.size() - padding);
    return bytes;
}

std::string encodeBase64(const std::vector<std::uint8_t>& bytes) {
    std::string text(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int length =
        EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes.data(), static_cast<int>(bytes.size()));
    text.resize(static_cast<std::size_t>(length));
    return text;
}

bool isLifetime(std::string_view text) {
    if (text.starts_with("2^")) {
        text.remove_prefix(2);
    }
    return isDigits(text);
}

bool isMki(std::string_view value, std::string_view length) {
    unsigned bytes = 0;
    if (!isDigits(value) || value.size() > kMaxMkiValueDigits || !isDigits(length) || length.size() > 3 ||
        std::from_chars(length.data(), length.data() + length.size(), bytes).ec != std::errc{}) {
        return false;
    }
    return bytes >= 1 && bytes <= kMaxMkiLength;
}

// key-param = "inline:" key-salt ["|" lifetime] ["|" mki-value ":" mki-length]
std::optional<CryptoKeyParams> parseKeyParams(std::string_view text, SrtpProfile suite) {
    if (!text.starts_with(kInlinePrefix)) {
        return std::nullopt;
    }
    text.remove_prefix(kInlinePrefix.size());
    const std::vector<std::string_view> parts = split(text, '|');
    if (parts.size() > 3) {
        return std::nullopt;
    }
    const auto keyAndSalt = decodeBase64(parts[0]);
    const std::size_t keyLength = masterKeyLength(suite);
    if (!keyAndSalt || keyAndSalt->size() != keyLength + masterSaltLength(suite)) {
        return std::nullopt;
    }
    CryptoKeyParams params;
    params.masterKey.key.assign(keyAndSalt->begin(), keyAndSalt->begin() + static_cast<std::ptrdiff_t>(keyLength));
    params.masterKey.salt.assign(keyAndSalt->begin() + static_cast<std::ptrdiff_t>(keyLength), keyAndSalt->end());

    for (std::size_t index = 1; index < parts.size(); ++index) {
        const std::string_view part = parts[index];
        const std::size_t colon = part.find(':');
        if (colon == std::string_view::npos) {
            // A lifetime comes before any MKI and only once.
            if (index != 1 || !isLifetime(part)) {
                return std::nullopt;
            }
            params.lifetime = part;
        } else {
            // The MKI is the last part.
            const std::string_view value = part.substr(0, colon);
            const std::string_view length = part.substr(colon + 1);
            if (index != parts.size() - 1 || !isMki(value, length)) {
                return std::nullopt;
            }
            params.mkiValue = value;
            params.mkiLength = length;
        }
    }
    return params;
}

} // namespace

std::optional<CryptoAttribute> CryptoAttribute::parse(std::string_view value) {
    const std::vector<std::string_view> fields = splitOnWhitespace(value);
    if (fields.size() < 3) {
        return std::nullopt;
    }
    CryptoAttribute attribute;
    const std::string_view tag = fields[0];
    if (!isDigits(tag) || tag.size() > 9 ||
        std::from_chars(tag.data(), tag.data() + tag.size(), attribute.tag).ec != std::errc{}) {
        return std::nullopt;
    }
    const auto suite = srtpProfileFromSdesSuite(fields[1]);
    if (!suite) {
        return std::nullopt;
    }
    attribute.suite = *suite;
    for (std::string_view keyParamsText : split(fields[2], ';')) {
        auto keyParams = parseKeyParams(keyParamsText, *suite);
        if (!keyParams) {
            return std::nullopt;
        }
        attribute.keys.push_back(std::move(*keyParams));
    }
    attribute.sessionParams.assign(fields.begin() + 3, fields.end());
    return attribute;
}

std::string CryptoAttribute::toString() const {
    std::string text = std::to_string(tag);
    text += ' ';
    text += sdesSuiteName(suite);
    text += ' ';
    for (std::size_t index = 0; index < keys.size(); ++index) {
        const CryptoKeyParams& params = keys[index];
        if (index > 0) {
            text += ';';
        }
        std::vector<std::uint8_t> keyAndSalt = params.masterKey.key;
        keyAndSalt.insert(keyAndSalt.end(), params.masterKey.salt.begin(), params.masterKey.salt.end());
        text += kInlinePrefix;
        text += encodeBase64(keyAndSalt);
        if (!params.lifetime.empty()) {
            text += '|';
            text += params.lifetime;
        }
        if (!params.mkiValue.empty()) {
            text += '|';
            text += params.mkiValue;
            text += ':';
            text += params.mkiLength;
        }
    }
    for (const std::string& param : sessionParams) {
        text += ' ';
        text += param;
    }
    return text;
}

CryptoAttribute CryptoAttribute::generate(std::uint32_t tag, SrtpProfile suite) {
    CryptoKeyParams params;
    params.masterKey.key.resize(masterKeyLength(suite));
    params.masterKey.salt.resize(masterSaltLength(suite));
    if (RAND_bytes(params.masterKey.key.data(), static_cast<int>(params.masterKey.key.size())) != 1 ||
        RAND_bytes(params.masterKey.salt.data(), static_cast<int>(params.masterKey.salt.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed to generate an SRTP master key");
    }
    CryptoAttribute attribute;
    attribute.tag = tag;
    attribute.suite = suite;
    attribute.keys.push_back(std::move(params));
    return attribute;
}

} // namespace rtcgate::srtp
