#include "rtcgate/control/ClientGate.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace rtcgate::control {
namespace {

// Jobs that are answered later, when the test says so.
struct Pending {
    std::vector<int> started;
    std::vector<ClientGate::Done> unanswered;

    ClientGate::Job job(int id) {
        return [this, id](ClientGate::Done done) {
            started.push_back(id);
            unanswered.push_back(std::move(done));
        };
    }
    void answerFirst() {
        auto done = std::move(unanswered.front());
        unanswered.erase(unanswered.begin());
        done();
    }
};

TEST(ClientGateTest, AClientRunsAFewCommandsAtOnceAndTheRestInOrder) {
    ClientGate gate;
    Pending pending;
    const int total = static_cast<int>(ClientGate::kMaxRunning) + 10;
    for (int id = 0; id < total; ++id) {
        EXPECT_TRUE(gate.submit("udp 127.0.0.1:5000", pending.job(id)));
    }
    EXPECT_EQ(pending.started.size(), ClientGate::kMaxRunning);
    EXPECT_EQ(gate.delayed(), 10U);

    // Another client is not held up by the first one's backlog.
    Pending other;
    EXPECT_TRUE(gate.submit("udp 127.0.0.1:6000", other.job(100)));
    EXPECT_EQ(other.started, std::vector<int>{100});

    while (!pending.unanswered.empty()) {
        pending.answerFirst();
    }
    std::vector<int> expected(total);
    for (int id = 0; id < total; ++id) {
        expected[id] = id;
    }
    EXPECT_EQ(pending.started, expected);
    other.answerFirst();
    EXPECT_EQ(gate.clients(), 0U);
}

TEST(ClientGateTest, CommandsAnsweredAtOnceDrainABacklogWithoutRecursing) {
    ClientGate gate;
    Pending slow;
    for (int id = 0; id < static_cast<int>(ClientGate::kMaxRunning); ++id) {
        gate.submit("c", slow.job(id));
    }
    int answered = 0;
    for (int i = 0; i < 4000; ++i) { // a backlog of pings, each answered inside its job
        ASSERT_TRUE(gate.submit("c", [&answered](ClientGate::Done done) {
            ++answered;
            done();
        }));
    }
    EXPECT_EQ(answered, 0);
    slow.answerFirst(); // one slot frees: the whole backlog runs in one loop, not 4000 nested calls
    EXPECT_EQ(answered, 4000);
    while (!slow.unanswered.empty()) {
        slow.answerFirst();
    }
    EXPECT_EQ(gate.clients(), 0U);
}

TEST(ClientGateTest, BeyondTheWaitingLimitACommandIsRefused) {
    ClientGate gate;
    Pending pending;
    for (std::size_t i = 0; i < ClientGate::kMaxRunning + ClientGate::kMaxWaiting; ++i) {
        ASSERT_TRUE(gate.submit("c", pending.job(static_cast<int>(i))));
    }
    EXPECT_FALSE(gate.submit("c", pending.job(-1)));
    EXPECT_EQ(gate.refused(), 1U);
    pending.answerFirst();
    EXPECT_TRUE(gate.submit("c", pending.job(-2)));
}

} // namespace
} // namespace rtcgate::control
