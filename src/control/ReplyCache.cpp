#include "rtcgate/control/ReplyCache.hpp"

#include <algorithm>
#include <utility>

namespace rtcgate::control {

ReplyCache::ReplyCache(Clock::duration ttl, std::size_t maxEntries, std::size_t maxBytes)
    : ttl_(ttl), maxEntries_(std::max<std::size_t>(maxEntries, 1)), maxBytes_(maxBytes) {}

ReplyCache::Lookup ReplyCache::begin(std::string_view key, Clock::time_point now) {
    expire(now);
    if (auto found = index_.find(key); found != index_.end()) {
        const Entry& entry = *found->second;
        if (!entry.completed) {
            return Lookup{State::InFlight, {}};
        }
        return Lookup{State::Hit, entry.reply};
    }
    makeRoom(key.size());
    entries_.push_back(Entry{std::string{key}, {}, false, now});
    auto it = std::prev(entries_.end());
    index_.emplace(it->key, it);
    bytes_ += key.size();
    return Lookup{State::Miss, {}};
}

void ReplyCache::complete(std::string_view key, std::string reply, Clock::time_point now) {
    expire(now);
    if (auto found = index_.find(key); found != index_.end()) {
        erase(found->second); // stored afresh below, at the young end of the list
    }
    if (key.size() + reply.size() > maxBytes_) {
        return;
    }
    makeRoom(key.size() + reply.size());
    entries_.push_back(Entry{std::string{key}, {}, false, now});
    auto it = std::prev(entries_.end());
    index_.emplace(it->key, it);
    bytes_ += key.size() + reply.size();
    reply.shrink_to_fit(); // an encoder's string grows by doubling: what is kept is what is counted
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

void ReplyCache::makeRoom(std::size_t bytes) {
    while (!entries_.empty() && (index_.size() >= maxEntries_ || bytes_ + bytes > maxBytes_)) {
        erase(entries_.begin());
    }
}

void ReplyCache::erase(Entries::iterator it) {
    bytes_ -= it->key.size() + it->reply.size();
    index_.erase(std::string_view{it->key});
    entries_.erase(it);
}

} // namespace rtcgate::control
