// One client's commands run a few at a time: a proxy that pipelines thousands of them (a query of a large call,
// say) waits for its own replies, while the shards go on relaying media and other clients' commands go on.
// Not thread-safe: the control thread's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <string>

namespace rtcgate::control {

class ClientGate {
public:
    // Calls `done` once its command has been answered.
    using Done = std::function<void()>;
    using Job = std::function<void(Done done)>;

    // At once per client; beyond it a client's commands wait, in order.
    static constexpr std::size_t kMaxRunning = 16;
    // Waiting per client; beyond it a command is refused (a UDP client retransmits it later).
    static constexpr std::size_t kMaxWaiting = 4096;

    // Runs `job` now or once the client's earlier commands have been answered; false when the client already has
    // kMaxWaiting commands waiting (the job is dropped).
    bool submit(const std::string& client, Job job);

    std::size_t clients() const { return clients_.size(); }
    std::uint64_t delayed() const { return delayed_; }
    std::uint64_t refused() const { return refused_; }

private:
    struct Client {
        std::size_t running = 0;
        std::deque<Job> waiting;
        bool draining = false; // starting waiting jobs: one that is answered at once does not recurse
    };

    void finished(const std::string& client);
    // Starts the client's waiting jobs while it has room; erases the client when nothing is left.
    void drain(const std::string& client);

    std::map<std::string, Client, std::less<>> clients_;
    std::uint64_t delayed_ = 0;
    std::uint64_t refused_ = 0;
};

} // namespace rtcgate::control
