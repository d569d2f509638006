#include "http/handlers/blocking_worker.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "common/logging.h"

namespace ferry::http {

BlockingWorker::BlockingWorker(std::string name, int threads, size_t max_queued)
    : name_(std::move(name)), max_queued_(max_queued) {
  for (int i = 0; i < std::max(threads, 1); ++i) threads_.emplace_back([this] { Run(); });
}

BlockingWorker::~BlockingWorker() {
  std::deque<std::function<void()>> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
  // `dropped` is destroyed here, outside the lock.
}

absl::Status BlockingWorker::TrySubmit(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || running_ + queue_.size() >= threads_.size() + max_queued_) {
      return absl::UnavailableError("server busy: the " + name_ + " queue is full; retry later");
    }
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
  return absl::OkStatus();
}

void BlockingWorker::Run() {
  while (true) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      job = std::move(queue_.front());
      queue_.pop_front();
      ++running_;
    }
    try {
      job();
    } catch (const std::exception& e) {
      LogError("worker job threw", {{"worker", name_}, {"what", e.what()}});
    } catch (...) {
      LogError("worker job threw", {{"worker", name_}, {"what", "unknown exception"}});
    }
    job = nullptr;  // what it holds goes before the job counts as done
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
  }
}

}  // namespace ferry::http
