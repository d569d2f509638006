#include "serving/dynamic_batcher.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

namespace ferry::serving {
namespace {

int64_t RowsOf(const std::vector<Tensor>& inputs) {
  if (inputs.empty() || inputs[0].shape.empty()) return 1;
  return inputs[0].shape[0];
}

// Elements per row: the product of the dims after dim 0.
int64_t RowElements(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (size_t i = 1; i < shape.size(); ++i) n *= shape[i];
  return n;
}

}  // namespace

BatchingOptions ResolveBatching(BatchingOptions o, const runtime::ExecutionHint& hint) {
  if (o.max_batch_size == kAutoBatch) o.max_batch_size = hint.batch_rows;
  if (hint.concurrency > 0) {
    o.off_loop = true;
    o.workers = std::max(o.workers, hint.concurrency);
  }
  return o;
}

absl::Status ValidateBatchingOptions(const BatchingOptions& o) {
  if (o.max_batch_size < 0 && o.max_batch_size != kAutoBatch) {
    return absl::InvalidArgumentError("max_batch_size must be >= 0");
  }
  if (o.max_queue_delay_us < 0) {
    return absl::InvalidArgumentError("max_queue_delay_us must be >= 0");
  }
  if (o.Queued() && o.max_queue_size < 1) {
    return absl::InvalidArgumentError("max_queue_size must be >= 1");
  }
  if (o.Queued() && o.workers < 1) return absl::InvalidArgumentError("workers must be >= 1");
  return absl::OkStatus();
}

bool BatchCompatible(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const Tensor& x = a[i];
    const Tensor& y = b[i];
    if (x.shape.empty() || y.shape.empty()) return false;
    if (x.name != y.name || x.datatype != y.datatype || x.shape.size() != y.shape.size()) {
      return false;
    }
    for (size_t d = 1; d < x.shape.size(); ++d) {
      if (x.shape[d] != y.shape[d]) return false;
    }
  }
  return true;
}

std::vector<Tensor> ConcatBatch(const std::vector<const std::vector<Tensor>*>& parts) {
  const std::vector<Tensor>& first = *parts[0];
  std::vector<Tensor> out(first.size());
  for (size_t i = 0; i < first.size(); ++i) {
    Tensor& t = out[i];
    t.name = first[i].name;
    t.datatype = first[i].datatype;
    t.shape = first[i].shape;
    t.shape[0] = 0;
    size_t bytes = 0, strings = 0;
    for (const auto* p : parts) {
      bytes += (*p)[i].data.size();
      strings += (*p)[i].strings.size();
    }
    if (t.datatype == DataType::kBytes) {
      t.strings.reserve(strings);
    } else {
      t.data.reserve(bytes);
    }
    for (const auto* p : parts) {
      const Tensor& src = (*p)[i];
      t.shape[0] += src.shape[0];
      t.data.append(src.data);
      t.strings.insert(t.strings.end(), src.strings.begin(), src.strings.end());
    }
  }
  return out;
}

absl::StatusOr<std::vector<std::vector<Tensor>>> SplitBatch(std::vector<Tensor> outputs,
                                                            const std::vector<int64_t>& rows) {
  int64_t total = 0;
  for (int64_t r : rows) total += r;
  std::vector<std::vector<Tensor>> split(rows.size());
  for (auto& s : split) s.reserve(outputs.size());
  for (Tensor& o : outputs) {
    if (o.shape.empty() || o.shape[0] != total) {
      return absl::InternalError("output \"" + o.name + "\" has shape " + ShapeString(o.shape) +
                                 ", expected " + std::to_string(total) + " rows");
    }
    const int64_t per_row = RowElements(o.shape);
    const bool is_bytes = o.datatype == DataType::kBytes;
    const int64_t row_bytes = per_row * DataTypeSize(o.datatype);
    const size_t have = is_bytes ? o.strings.size() : o.data.size();
    if (have != static_cast<size_t>(total * (is_bytes ? per_row : row_bytes))) {
      return absl::InternalError("output \"" + o.name +
                                 "\" holds less or more data than its shape " +
                                 ShapeString(o.shape));
    }
    int64_t offset = 0;
    for (size_t k = 0; k < rows.size(); ++k) {
      Tensor t;
      t.name = o.name;
      t.datatype = o.datatype;
      t.shape = o.shape;
      t.shape[0] = rows[k];
      if (is_bytes) {
        auto begin = o.strings.begin() + offset * per_row;
        t.strings.assign(std::make_move_iterator(begin),
                         std::make_move_iterator(begin + rows[k] * per_row));
      } else {
        t.data.assign(o.data, offset * row_bytes, rows[k] * row_bytes);
      }
      offset += rows[k];
      split[k].push_back(std::move(t));
    }
  }
  return split;
}

DynamicBatcher::DynamicBatcher(const runtime::Predictor& predictor, BatchingOptions options,
                               Clock& clock, VersionMetrics* metrics)
    : predictor_(predictor), options_(options), clock_(clock), metrics_(metrics) {}

DynamicBatcher::~DynamicBatcher() { Drain(); }

void DynamicBatcher::Start() {
  if (!options_.Queued()) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ || draining_) return;
  started_ = true;
  const int n = options_.workers > 0 ? options_.workers : 1;
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { WorkerLoop(); });
}

size_t DynamicBatcher::QueueDepth() const {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

bool DynamicBatcher::Expired(const Pending& p, int64_t now_ns) const {
  return p.deadline_ms > 0 && now_ns / 1000000 >= p.deadline_ms;
}

void DynamicBatcher::Submit(std::vector<Tensor> inputs, int64_t deadline_ms, BatchCallback done) {
  Pending p;
  p.rows = RowsOf(inputs);
  p.inputs = std::move(inputs);
  p.deadline_ms = deadline_ms;
  p.done = std::move(done);
  if (!options_.Queued()) return RunInline(std::move(p));
  {
    std::unique_lock<std::mutex> lock(mu_);
    if (draining_) {
      lock.unlock();
      return RunInline(std::move(p));
    }
    if (static_cast<int64_t>(queue_.size()) >= options_.max_queue_size) {
      lock.unlock();
      BatchResult r;
      r.status = absl::UnavailableError("queue full (" + std::to_string(options_.max_queue_size) +
                                        " requests)");
      r.inputs = std::move(p.inputs);
      p.done(std::move(r));
      return;
    }
    p.enqueued_ns = clock_.MonotonicNanos();
    queue_.push_back(std::move(p));
    if (metrics_) metrics_->queue_depth.store(queue_.size(), std::memory_order_relaxed);
  }
  cv_.notify_one();
}

void DynamicBatcher::RunInline(Pending p) {
  p.enqueued_ns = clock_.MonotonicNanos();
  if (Expired(p, p.enqueued_ns)) {
    Batch expired;
    expired.push_back(std::move(p));
    return CompleteExpired(std::move(expired));
  }
  Batch batch;
  batch.push_back(std::move(p));
  Execute(std::move(batch));
}

int64_t DynamicBatcher::BatchRows() const { return std::max(1, options_.max_batch_size); }

bool DynamicBatcher::FullBatchQueued() const {
  int64_t rows = 0;
  for (const Pending& p : queue_) {
    rows += p.rows;
    if (rows >= BatchRows()) return true;
  }
  return false;
}

void DynamicBatcher::WorkerLoop() {
  for (;;) {
    Batch batch, expired;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return draining_ || !queue_.empty(); });
      if (queue_.empty()) return;  // draining, nothing left
      if (options_.max_queue_delay_us > 0 && !draining_ && !FullBatchQueued()) {
        // A latency knob, not a correctness one: measured on the steady clock.
        auto until = std::chrono::steady_clock::now() +
                     std::chrono::microseconds(options_.max_queue_delay_us);
        cv_.wait_until(lock, until,
                       [&] { return draining_ || queue_.empty() || FullBatchQueued(); });
        if (queue_.empty()) continue;  // another worker took them
      }
      TakeBatch(&batch, &expired);
      if (metrics_) metrics_->queue_depth.store(queue_.size(), std::memory_order_relaxed);
    }
    if (!expired.empty()) CompleteExpired(std::move(expired));
    if (!batch.empty()) Execute(std::move(batch));
  }
}

void DynamicBatcher::TakeBatch(Batch* batch, Batch* expired) {
  const int64_t now = clock_.MonotonicNanos();
  const int64_t cap = BatchRows();
  int64_t rows = 0;
  for (auto it = queue_.begin(); it != queue_.end() && rows < cap;) {
    if (Expired(*it, now)) {
      expired->push_back(std::move(*it));
      it = queue_.erase(it);
    } else if (batch->empty() ||
               (rows + it->rows <= cap && BatchCompatible((*batch)[0].inputs, it->inputs))) {
      rows += it->rows;
      batch->push_back(std::move(*it));
      it = queue_.erase(it);
      // A request that cannot share a batch runs alone.
      if (batch->size() == 1 && !BatchCompatible((*batch)[0].inputs, (*batch)[0].inputs)) break;
    } else {
      ++it;
    }
  }
}

void DynamicBatcher::CompleteExpired(Batch expired) {
  for (Pending& p : expired) {
    BatchResult r;
    r.status = absl::DeadlineExceededError("deadline passed before the request ran");
    r.inputs = std::move(p.inputs);
    r.queue_us = (clock_.MonotonicNanos() - p.enqueued_ns) / 1000;
    p.done(std::move(r));
  }
}

void DynamicBatcher::Execute(Batch batch) {
  const int64_t start = clock_.MonotonicNanos();
  std::vector<Tensor> outputs;
  absl::Status status;
  std::vector<int64_t> rows;
  rows.reserve(batch.size());
  int64_t total_rows = 0;
  for (const Pending& p : batch) {
    rows.push_back(p.rows);
    total_rows += p.rows;
  }
  try {  // on a worker thread nothing else would catch it: the batch fails, not the server
    if (batch.size() == 1) {
      status = predictor_.Predict(batch[0].inputs, outputs);
    } else {
      std::vector<const std::vector<Tensor>*> parts;
      parts.reserve(batch.size());
      for (const Pending& p : batch) parts.push_back(&p.inputs);
      status = predictor_.Predict(ConcatBatch(parts), outputs);
    }
  } catch (const std::exception& e) {
    status = absl::InternalError(std::string("the model failed: ") + e.what());
  }
  const int64_t compute_us = (clock_.MonotonicNanos() - start) / 1000;
  if (metrics_ && options_.Enabled()) metrics_->batch_size.Observe(total_rows);
  std::vector<std::vector<Tensor>> split;
  if (status.ok() && batch.size() == 1) {
    split.push_back(std::move(outputs));
  } else if (status.ok()) {
    auto s = SplitBatch(std::move(outputs), rows);
    if (s.ok()) {
      split = std::move(s).value();
    } else {
      status = s.status();
    }
  }
  for (size_t k = 0; k < batch.size(); ++k) {
    BatchResult r;
    r.status = status;
    r.inputs = std::move(batch[k].inputs);
    if (status.ok()) r.outputs = std::move(split[k]);
    r.queue_us = (start - batch[k].enqueued_ns) / 1000;
    r.compute_us = compute_us;
    batch[k].done(std::move(r));
  }
}

void DynamicBatcher::Drain() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    draining_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : workers_) {
    if (t.joinable()) t.join();
  }
  // Requests queued before Start() was ever called run here.
  for (;;) {
    Batch batch, expired;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (queue_.empty()) break;
      TakeBatch(&batch, &expired);
      if (metrics_) metrics_->queue_depth.store(queue_.size(), std::memory_order_relaxed);
    }
    if (!expired.empty()) CompleteExpired(std::move(expired));
    if (!batch.empty()) Execute(std::move(batch));
  }
}

}  // namespace ferry::serving
