#include "serving/prediction_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <utility>

#include "common/fs.h"
#include "common/json_writer.h"

namespace ferry::serving {
namespace {

template <typename T>
void WriteInts(JsonWriter& w, const Tensor& t, int64_t n) {
  const T* p = t.As<T>();
  for (int64_t i = 0; i < n; ++i) {
    if constexpr (std::is_signed_v<T>) {
      w.Int(static_cast<int64_t>(p[i]));
    } else {
      w.Uint(static_cast<uint64_t>(p[i]));
    }
  }
}

void WriteData(JsonWriter& w, const Tensor& t) {
  w.BeginArray();
  if (t.datatype == DataType::kBytes) {
    for (const std::string& s : t.strings) w.String(s);
    w.EndArray();
    return;
  }
  const int size = DataTypeSize(t.datatype);
  const int64_t n = size > 0 ? static_cast<int64_t>(t.data.size()) / size : 0;
  switch (t.datatype) {
    case DataType::kBool:
      for (int64_t i = 0; i < n; ++i) w.Bool(t.data[i] != 0);
      break;
    case DataType::kUint8:
      WriteInts<uint8_t>(w, t, n);
      break;
    case DataType::kUint16:
      WriteInts<uint16_t>(w, t, n);
      break;
    case DataType::kUint32:
      WriteInts<uint32_t>(w, t, n);
      break;
    case DataType::kUint64:
      WriteInts<uint64_t>(w, t, n);
      break;
    case DataType::kInt8:
      WriteInts<int8_t>(w, t, n);
      break;
    case DataType::kInt16:
      WriteInts<int16_t>(w, t, n);
      break;
    case DataType::kInt32:
      WriteInts<int32_t>(w, t, n);
      break;
    case DataType::kInt64:
      WriteInts<int64_t>(w, t, n);
      break;
    default:  // floating types, FP16/BF16 widened
      for (int64_t i = 0; i < n; ++i) w.Double(ElementAsDouble(t, i));
      break;
  }
  w.EndArray();
}

void WriteTensors(JsonWriter& w, std::string_view key, const std::vector<Tensor>& tensors) {
  w.Key(key).BeginArray();
  for (const Tensor& t : tensors) {
    w.BeginObject().Field("name", t.name).Field("datatype", DataTypeName(t.datatype));
    w.Key("shape").BeginArray();
    for (int64_t d : t.shape) w.Int(d);
    w.EndArray();
    w.Key("data");
    WriteData(w, t);
    w.EndObject();
  }
  w.EndArray();
}

class FileSink : public PredictionSink {
 public:
  FileSink(std::string dir, int64_t max_bytes, Clock& clock)
      : dir_(std::move(dir)), max_bytes_(max_bytes), clock_(clock) {}

  // PredictionSink
  absl::Status Write(std::string_view lines) override {
    if (!fd_.valid() || (size_ > 0 && size_ + static_cast<int64_t>(lines.size()) > max_bytes_)) {
      RETURN_IF_ERROR(Rotate());
    }
    absl::Status written = WriteAll(fd_.get(), lines, path_);
    size_ += static_cast<int64_t>(lines.size());  // a partial write still counts towards rotation
    return written;
  }

 private:
  absl::Status Rotate() {
    fd_.Close();
    last_ms_ = std::max(clock_.NowMillis(), last_ms_ + 1);
    path_ = JoinPath(dir_, "predictions-" + std::to_string(last_ms_) + ".jsonl");
    fd_ = Fd(::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!fd_.valid()) return ErrnoStatus(errno, "open", path_);
    size_ = 0;
    return absl::OkStatus();
  }

  const std::string dir_;
  const int64_t max_bytes_;
  Clock& clock_;
  Fd fd_;
  int64_t size_ = 0;
  int64_t last_ms_ = 0;
  std::string path_;
};

}  // namespace

absl::StatusOr<PredictionSinkPtr> NewFilePredictionSink(std::string dir, int64_t max_file_bytes,
                                                        Clock& clock) {
  RETURN_IF_ERROR(MakeDirs(dir));
  return PredictionSinkPtr(new FileSink(std::move(dir), max_file_bytes, clock));
}

std::string PredictionToJsonLine(const PredictionRecord& r) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject()
      .Field("deployment", r.deployment)
      .Field("model_name", r.model_name)
      .Field("model_version", r.model_version)
      .Field("request_id", r.request_id)
      .Field("role", r.role)
      .Field("time", r.time_unix_ms)
      .Field("latency_us", r.latency_us);
  WriteTensors(w, "inputs", r.inputs);
  WriteTensors(w, "outputs", r.outputs);
  w.EndObject();
  out += '\n';
  return out;
}

absl::StatusOr<std::unique_ptr<PredictionLog>> PredictionLog::Create(
    const PredictionLogOptions& options, Clock& clock, Random& random) {
  if (options.sample_rate < 0 || options.sample_rate > 1) {
    return absl::InvalidArgumentError("prediction log sample rate must be between 0 and 1");
  }
  ASSIGN_OR_RETURN(PredictionSinkPtr sink,
                   NewFilePredictionSink(options.directory, options.max_file_bytes, clock));
  return std::make_unique<PredictionLog>(options, std::move(sink), random);
}

PredictionLog::PredictionLog(const PredictionLogOptions& options, PredictionSinkPtr sink,
                             Random& random)
    : options_(options), sink_(std::move(sink)), random_(random) {
  writer_ = std::thread([this] { WriterLoop(); });
}

PredictionLog::~PredictionLog() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

bool PredictionLog::Sampled() {
  if (options_.sample_rate >= 1) return true;
  if (options_.sample_rate <= 0) return false;
  // 53 random bits as a double in [0, 1).
  const double u = static_cast<double>(random_.Next64() >> 11) * 0x1.0p-53;
  return u < options_.sample_rate;
}

void PredictionLog::OnPrediction(PredictionRecord record) {
  if (!Sampled()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= options_.queue_size) {
      dropped_.fetch_add(1);
      return;
    }
    queue_.push_back(std::move(record));
  }
  cv_.notify_one();
}

void PredictionLog::WriterLoop() {
  for (;;) {
    std::deque<PredictionRecord> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopped and flushed
      batch.swap(queue_);
    }
    std::string lines;
    for (const PredictionRecord& r : batch) lines += PredictionToJsonLine(r);
    if (sink_->Write(lines).ok()) {
      written_.fetch_add(batch.size());
    } else {
      write_errors_.fetch_add(1);
      dropped_.fetch_add(batch.size());
    }
  }
}

void PredictionLog::RenderMetrics(std::string* out) const {
  out->append(
      "# HELP ferry_prediction_log_written_total Predictions written to the prediction log.\n"
      "# TYPE ferry_prediction_log_written_total counter\n"
      "ferry_prediction_log_written_total ");
  out->append(std::to_string(written())).append("\n");
  out->append(
      "# HELP ferry_prediction_log_dropped_total Predictions dropped (queue full or write "
      "error).\n"
      "# TYPE ferry_prediction_log_dropped_total counter\n"
      "ferry_prediction_log_dropped_total ");
  out->append(std::to_string(dropped())).append("\n");
}

}  // namespace ferry::serving
