#include "rtcgate/control/ReplyCache.hpp"

#include <algorithm>
#include <utility>

namespace rtcgate::control {

ReplyCache::ReplyCache(Clock::duration ttl, std::size_t maxEntries)
    : ttl_(ttl), maxEntries_(std::max<std::size_t>(maxEntries, 1)) {}

ReplyCache::Lookup ReplyCache::begin(std::string_view key, Clock::time_point now) {
    expire(now);
    if (auto found = index_.find(key); found != index_.end()) {
        const Entry& entry = *found->second;
        if (!entry.completed) {
            return Lookup{State::InFlight, {}};
        }
        return Lookup{State::Hit, entry.reply};
    }
    makeRoom();
    entries_.push_back(Entry{std::string{key}, {}, false, now});
    auto it = std::prev(entries_.end());
    index_.emplace(it->key, it);
    return Lookup{State::Miss, {}};
}

void ReplyCache::complete(std::string_view key, std::string reply, Clock::time_point now) {
    expire(now);
    Entries::iterator it;
    if (auto found = index_.find(key); found != index_.end()) {
        it = found->second;
        // Re-stamped now, so it moves to the young end of the list.
        entries_.splice(entries_.end(), entries_, it);
    } else {
        makeRoom();
        entries_.push_back(Entry{std::string{key}, {}, false, now});
        it = std::prev(entries_.end());
        index_.emplace(it->key, it);
    }
    it->reply = std::move(reply);
    it->completed = true;
    it->stamp = now;
}

void ReplyCache::abandon(std::string_view key) {
    if (auto found = index_.find(key); found != index_.end() && !found->second->completed) {
        erase(found->second);
    }
}

void ReplyCache::expire(Clock::time_point now) {
    while (!entries_.empty() && now - entries_.front().stamp >= ttl_) {
        erase(entries_.begin());
    }
}

void ReplyCache::makeRoom() {
    while (index_.size() >= maxEntries_) {
        erase(entries_.begin());
    }
}

void ReplyCache::erase(Entries::iterator it) {
    index_.erase(std::string_view{it->key});
    entries_.erase(it);
}

} // namespace rtcgate::control
