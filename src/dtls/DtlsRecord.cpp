#include "rtcgate/dtls/DtlsRecord.hpp"

#include <cstddef>

namespace rtcgate::dtls {

namespace {

// RFC 6347 section 4.1: content type, version, epoch, sequence number, length.
constexpr std::size_t kRecordHeaderSize = 13;
// RFC 6347 section 4.2.2: msg_type, length, message_seq, fragment_offset, fragment_length.
constexpr std::size_t kHandshakeHeaderSize = 12;

enum ContentType : std::uint8_t {
    ChangeCipherSpec = 20,
    Alert = 21,
    Handshake = 22,
    ApplicationData = 23,
};

constexpr std::uint8_t kClientHello = 1;

std::size_t read16(std::span<const std::uint8_t> bytes, std::size_t at) {
    return (static_cast<std::size_t>(bytes[at]) << 8) | bytes[at + 1];
}

std::size_t read24(std::span<const std::uint8_t> bytes, std::size_t at) {
    return (static_cast<std::size_t>(bytes[at]) << 16) | (static_cast<std::size_t>(bytes[at + 1]) << 8) | bytes[at + 2];
}

// One record of a datagram: its header fields and its body.
struct Record {
    std::uint8_t contentType = 0;
    std::size_t epoch = 0;
    std::span<const std::uint8_t> body;
};

// Calls `visit(record)` for each record while it returns true; false when the datagram is not whole records.
template <typename Visit>
bool forEachRecord(std::span<const std::uint8_t> datagram, Visit visit) {
    std::size_t offset = 0;
    while (offset < datagram.size()) {
        if (datagram.size() - offset < kRecordHeaderSize || datagram[offset + 1] != 0xfe) {
            return false; // DTLS 1.x versions are 0xfeXX (RFC 6347 section 4.1)
        }
        const std::size_t length = read16(datagram, offset + 11);
        if (datagram.size() - offset - kRecordHeaderSize < length) {
            return false;
        }
        const Record record{datagram[offset], read16(datagram, offset + 3),
                            datagram.subspan(offset + kRecordHeaderSize, length)};
        if (!visit(record)) {
            return true;
        }
        offset += kRecordHeaderSize + length;
    }
    return true;
}

bool handshakeFragmentsFit(std::span<const std::uint8_t> body) {
    std::size_t offset = 0;
    while (offset < body.size()) {
        if (body.size() - offset < kHandshakeHeaderSize) {
            return false;
        }
        const std::size_t messageLength = read24(body, offset + 1);
        const std::size_t fragmentOffset = read24(body, offset + 6);
        const std::size_t fragmentLength = read24(body, offset + 9);
        if (fragmentOffset + fragmentLength > messageLength ||
            body.size() - offset - kHandshakeHeaderSize < fragmentLength) {
            return false;
        }
        offset += kHandshakeHeaderSize + fragmentLength;
    }
    return !body.empty();
}

bool plaintextRecordParses(const Record& record) {
    switch (record.contentType) {
    case ChangeCipherSpec:
        return record.body.size() == 1 && record.body[0] == 1;
    case Alert:
        return record.body.size() == 2;
    case Handshake:
        return handshakeFragmentsFit(record.body);
    default:
        return false; // application data before the keys
    }
}

} // namespace

bool isWellFormed(std::span<const std::uint8_t> datagram) {
    bool parses = !datagram.empty();
    const bool whole = forEachRecord(datagram, [&](const Record& record) {
        if (record.contentType < ChangeCipherSpec || record.contentType > ApplicationData) {
            parses = false;
        } else if (record.epoch == 0) {
            parses = plaintextRecordParses(record);
        }
        return parses;
    });
    return whole && parses;
}

bool isClientHello(std::span<const std::uint8_t> datagram) {
    bool hello = false;
    forEachRecord(datagram, [&](const Record& record) {
        hello = record.contentType == Handshake && record.epoch == 0 && !record.body.empty() &&
                record.body[0] == kClientHello;
        return false;
    });
    return hello;
}

bool hasPlaintextAlert(std::span<const std::uint8_t> datagram) {
    bool alert = false;
    forEachRecord(datagram, [&](const Record& record) {
        alert = record.contentType == Alert && record.epoch == 0;
        return !alert;
    });
    return alert;
}

} // namespace rtcgate::dtls
