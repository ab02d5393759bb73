// The ng reply cache: a retransmitted request gets the reply of its first
// execution, byte for byte, and is never executed twice.
#pragma once

#include <chrono>
#include <cstddef>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rtcgate::control {

// Not thread-safe: owned and used by one control thread.
//
// Keys are built by the caller (the request's cookie and the client's
// address), so two clients that pick the same cookie never share an entry.
// Entries live for `ttl` after their reply was stored (in-flight ones for
// `ttl` after they began); at most `maxEntries` are kept, holding at most
// `maxBytes` of keys and replies, the oldest evicted first, so memory stays
// bounded whatever clients send. A reply larger than `maxBytes` is not kept.
class ReplyCache {
public:
    using Clock = std::chrono::steady_clock;

    enum class State {
        Miss,     // first sight of the key: execute the request, then complete()
        InFlight, // the first copy is still executing: drop this retransmit
        Hit,      // answered before: send `reply` again
    };

    struct Lookup {
        State state = State::Miss;
        std::string reply; // State::Hit only
    };

    ReplyCache(Clock::duration ttl, std::size_t maxEntries, std::size_t maxBytes);

    // On a Miss the key is recorded as in flight.
    Lookup begin(std::string_view key, Clock::time_point now);

    // Stores the reply of the request begun under `key`. A key that expired or
    // was evicted while in flight is stored afresh.
    void complete(std::string_view key, std::string reply, Clock::time_point now);

    // Forgets an in-flight key whose request will never be answered, so that a
    // retransmit is executed again. A completed entry is left alone.
    void abandon(std::string_view key);

    // Drops the entries older than ttl; begin() and complete() do it too, and the server's timer while no
    // request comes.
    void expire(Clock::time_point now);

    std::size_t size() const { return index_.size(); }
    // Keys and replies held.
    std::size_t bytes() const { return bytes_; }
    Clock::duration ttl() const { return ttl_; }
    std::size_t maxEntries() const { return maxEntries_; }

private:
    struct Entry {
        std::string key;
        std::string reply;
        bool completed = false;
        Clock::time_point stamp; // when begun, then when completed
    };
    using Entries = std::list<Entry>;

    // Evicts the oldest entries until one more of `bytes` fits.
    void makeRoom(std::size_t bytes);
    void erase(Entries::iterator it);

    Clock::duration ttl_;
    std::size_t maxEntries_;
    std::size_t maxBytes_;
    std::size_t bytes_ = 0;
    Entries entries_; // oldest stamp first
    // Keyed by views of Entry::key: list nodes never move.
    std::unordered_map<std::string_view, Entries::iterator> index_;
};

} // namespace rtcgate::control
