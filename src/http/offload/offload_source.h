#pragma once
// A BodySource read on another thread: the artifact proxy's S3 download (each 8 MiB range is
// one blocking GET) must not hold the event loop that writes every other connection.
//
// A job (run through a JobRunner, a BlockingWorker) reads the inner source ahead into up to
// `max_chunks` buffers of `chunk_bytes` while the loop sends what is ready. Poll() says
// whether a buffer (or the end, or an error) is there; when not, the connection waits and the
// job wakes it once one is. Each Read() that frees a buffer starts the job again, so reading
// ahead overlaps sending. Destroying the source (the client left) never waits: a running job
// finishes its current read and drops the inner source on the worker.
//
// Local files keep sendfile(2): wrap only sources without a descriptor (fd() is always -1
// here).

#include <cstddef>
#include <cstdint>
#include <memory>

#include "http/http_types.h"

namespace ferry::http {

struct OffloadSourceOptions {
  size_t chunk_bytes = size_t{1} << 20;
  size_t max_chunks = 2;
};

class OffloadSource : public BodySource {
 public:
  // Reads nothing until the first Poll() (a HEAD response never polls).
  OffloadSource(std::unique_ptr<BodySource> inner, JobRunner run,
                OffloadSourceOptions options = {});
  ~OffloadSource() override;
  OffloadSource(const OffloadSource&) = delete;
  OffloadSource& operator=(const OffloadSource&) = delete;

  // BodySource
  int64_t size() const override { return size_; }
  int fd() const override { return -1; }
  bool Poll(const Waker& waker) override;
  // After Poll() answered true; kUnavailable otherwise.
  absl::StatusOr<size_t> Read(char* buf, size_t n) override;

  struct State;  // shared with the worker job

 private:
  void Start();  // runs the job unless it runs, the buffers are full or the end was read

  std::shared_ptr<State> state_;
  const JobRunner run_;
  const int64_t size_;
};

}  // namespace ferry::http
