// BlockingWorker: jobs run off the caller's thread, a full queue is refused with
// kUnavailable instead of blocking, and destruction drops queued jobs unrun.

#include "http/handlers/blocking_worker.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>

#include "gtest/gtest.h"

namespace ferry::http {
namespace {

TEST(BlockingWorkerTest, RunsJobsOnItsOwnThread) {
  BlockingWorker worker("test", 2, 4);
  std::promise<std::thread::id> ran;
  ASSERT_TRUE(worker.TrySubmit([&ran] { ran.set_value(std::this_thread::get_id()); }).ok());
  EXPECT_NE(ran.get_future().get(), std::this_thread::get_id());
}

TEST(BlockingWorkerTest, IdleThreadsCountAsRoom) {
  BlockingWorker worker("test", 1, 0);  // no queue: only as many jobs as threads
  std::promise<void> release, started;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(worker
                  .TrySubmit([&started, released] {
                    started.set_value();
                    released.wait();
                  })
                  .ok());
  started.get_future().wait();
  EXPECT_EQ(worker.TrySubmit([] {}).code(), absl::StatusCode::kUnavailable);
  release.set_value();
}

TEST(BlockingWorkerTest, FullQueueIsUnavailableAndQueuedJobsAreDropped) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  std::atomic<int> ran{0};
  auto dropped = std::make_shared<int>(0);
  std::thread unblock;
  {
    BlockingWorker worker("intake", 1, 2);
    ASSERT_TRUE(worker
                    .TrySubmit([&started, released, &ran] {
                      started.set_value();
                      released.wait();
                      ++ran;
                    })
                    .ok());
    started.get_future().wait();  // the thread is busy; the next two wait in the queue
    ASSERT_TRUE(worker.TrySubmit([dropped, &ran] { ++ran; }).ok());
    ASSERT_TRUE(worker.TrySubmit([dropped, &ran] { ++ran; }).ok());
    absl::Status full = worker.TrySubmit([&ran] { ++ran; });
    EXPECT_EQ(full.code(), absl::StatusCode::kUnavailable);
    EXPECT_NE(full.message().find("intake queue is full"), absl::string_view::npos);
    EXPECT_EQ(dropped.use_count(), 3);
    unblock = std::thread([&release] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      release.set_value();
    });
    // The destructor lets the running job finish (released by `unblock`) and drops the
    // queued ones, or runs them if the thread got to them first.
  }
  unblock.join();
  EXPECT_EQ(dropped.use_count(), 1);
  EXPECT_LE(ran.load(), 3);
  EXPECT_GE(ran.load(), 1);
}

}  // namespace
}  // namespace ferry::http
