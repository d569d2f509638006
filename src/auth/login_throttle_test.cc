#include "auth/login_throttle.h"

#include "common/testing/fake_clock.h"
#include "gtest/gtest.h"

namespace ferry::auth {
namespace {

TEST(LoginThrottleTest, TenFailuresAMinuteThenWaitForTheOldestToLeave) {
  testing::FakeClock clock;
  LoginThrottle throttle(&clock, 10, 60000);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(throttle.RetryAfterMs("bob", "10.0.0.1"), 0) << i;
    throttle.RecordFailure("bob", "10.0.0.1");
    clock.AdvanceMillis(1000);
  }
  // The first failure was at t=0 and it is now t=10 s: 50 s to go.
  EXPECT_EQ(throttle.RetryAfterMs("bob", "10.0.0.1"), 50000);
  EXPECT_EQ(throttle.RetryAfterMs("bob", "10.0.0.2"), 0);    // another address
  EXPECT_EQ(throttle.RetryAfterMs("alice", "10.0.0.1"), 0);  // another user
  clock.AdvanceMillis(50000);
  EXPECT_EQ(throttle.RetryAfterMs("bob", "10.0.0.1"), 0);
  throttle.RecordFailure("bob", "10.0.0.1");  // the window slid: nine recent, one new
  EXPECT_EQ(throttle.RetryAfterMs("bob", "10.0.0.1"), 1000);
}

TEST(LoginThrottleTest, SuccessForgets) {
  testing::FakeClock clock;
  LoginThrottle throttle(&clock, 2, 60000);
  throttle.RecordFailure("bob", "a");
  throttle.RecordFailure("bob", "a");
  EXPECT_GT(throttle.RetryAfterMs("bob", "a"), 0);
  throttle.RecordSuccess("bob", "a");
  EXPECT_EQ(throttle.RetryAfterMs("bob", "a"), 0);
  EXPECT_FALSE(throttle.active());
  throttle.RecordFailure("eve", "b");
  EXPECT_TRUE(throttle.active());
  clock.AdvanceMillis(60001);
  EXPECT_EQ(throttle.RetryAfterMs("bob", "a"), 0);  // sweeps eve's old failure away
  EXPECT_FALSE(throttle.active());
}

}  // namespace
}  // namespace ferry::auth
