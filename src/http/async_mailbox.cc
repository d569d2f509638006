#include "http/async_mailbox.h"

#include <unistd.h>

#include <utility>

#include "http/response_writer.h"

namespace ferry::http {
namespace {

// The mailbox of the loop running on this thread, if any.
thread_local AsyncMailbox* bound_mailbox = nullptr;

}  // namespace

void AsyncMailbox::Bind() { bound_mailbox = this; }

void AsyncMailbox::Unbind() {
  if (bound_mailbox == this) bound_mailbox = nullptr;
}

void AsyncMailbox::Post(Completion completion) {
  if (bound_mailbox == this) {
    local_.push_back(std::move(completion));
    return;
  }
  std::unique_lock<std::mutex> lock(mu_);
  if (closed_) {
    lock.unlock();
    return;  // `completion` (and its response) is destroyed here, outside the lock
  }
  bool was_empty = remote_.empty();
  remote_.push_back(std::move(completion));
  if (was_empty) {
    // Under the lock, so Close() cannot let the loop close the fd in between.
    uint64_t one = 1;
    ssize_t ignored = ::write(wake_fd_, &one, sizeof(one));
    (void)ignored;
  }
}

void AsyncMailbox::Take(bool remote, std::vector<Completion>* out) {
  for (Completion& completion : local_) out->push_back(std::move(completion));
  local_.clear();
  if (!remote) return;
  std::lock_guard<std::mutex> lock(mu_);
  for (Completion& completion : remote_) out->push_back(std::move(completion));
  remote_.clear();
}

void AsyncMailbox::Close() {
  std::vector<Completion> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    dropped.swap(remote_);
  }
  local_.clear();
}

Responder::Responder(std::shared_ptr<AsyncMailbox> mailbox, Connection* connection, uint64_t serial)
    : mailbox_(std::move(mailbox)), connection_(connection), serial_(serial) {}

Responder::Responder(Responder&& other) noexcept
    : mailbox_(std::move(other.mailbox_)), connection_(other.connection_), serial_(other.serial_) {}

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    if (pending()) Send(JsonErrorResponse(500, "INTERNAL_ERROR", "handler dropped the request"));
    mailbox_ = std::move(other.mailbox_);
    connection_ = other.connection_;
    serial_ = other.serial_;
  }
  return *this;
}

Responder::~Responder() {
  if (pending()) Send(JsonErrorResponse(500, "INTERNAL_ERROR", "handler dropped the request"));
}

void Responder::Send(HttpResponse response) {
  if (!mailbox_) return;
  std::shared_ptr<AsyncMailbox> mailbox = std::move(mailbox_);
  mailbox->Post({connection_, serial_, std::move(response)});
}

void Waker::Wake() const {
  if (!mailbox_) return;
  AsyncMailbox::Completion completion;
  completion.connection = connection_;
  completion.wake = true;
  mailbox_->Post(std::move(completion));
}

}  // namespace ferry::http
