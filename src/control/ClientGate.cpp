#include "rtcgate/control/ClientGate.hpp"

#include <utility>

namespace rtcgate::control {

bool ClientGate::submit(const std::string& client, Job job) {
    Client& state = clients_[client];
    if (state.waiting.size() >= kMaxWaiting) {
        ++refused_;
        return false;
    }
    if (state.running >= kMaxRunning) {
        ++delayed_;
    }
    state.waiting.push_back(std::move(job));
    drain(client);
    return true;
}

void ClientGate::finished(const std::string& client) {
    if (auto it = clients_.find(client); it != clients_.end()) {
        --it->second.running;
        drain(client);
    }
}

void ClientGate::drain(const std::string& client) {
    auto it = clients_.find(client);
    if (it == clients_.end() || it->second.draining) {
        return; // a job answered at once, inside the loop below: the loop goes on
    }
    it->second.draining = true;
    while (it->second.running < kMaxRunning && !it->second.waiting.empty()) {
        Job job = std::move(it->second.waiting.front());
        it->second.waiting.pop_front();
        ++it->second.running;
        job([this, client] { finished(client); });
        it = clients_.find(client); // std::map: the entry stays where it is, but look it up as finished() does
    }
    it->second.draining = false;
    if (it->second.running == 0 && it->second.waiting.empty()) {
        clients_.erase(it);
    }
}

} // namespace rtcgate::control
