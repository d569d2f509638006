#include "cli/demo/demo_traffic.h"

#include <chrono>

#include "common/clock.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "net/http_client.h"

namespace ferry::cli::demo {
namespace {

constexpr size_t kMaxErrors = 5;

std::vector<std::string> Prefixes(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  std::string prefix;
  for (size_t i = 0; i + 1 < items.size(); ++i) {
    prefix += (i == 0 ? "" : " ") + items[i];
    out.push_back(prefix);
  }
  return out;
}

// Sleeps until `next` (steady clock) unless stopping; moves `next` on by one period.
void Pace(std::chrono::steady_clock::time_point& next, double per_second,
          const std::atomic<bool>& stop) {
  next += std::chrono::microseconds(static_cast<int64_t>(1e6 / per_second));
  const auto now = std::chrono::steady_clock::now();
  if (next < now) next = now;  // behind: do not burst to catch up
  while (!stop.load() && std::chrono::steady_clock::now() < next) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        next - std::chrono::steady_clock::now(), std::chrono::milliseconds(50)));
  }
}

}  // namespace

SessionPool MakeSessionPool(const std::vector<std::pair<int, std::vector<std::string>>>& sessions) {
  SessionPool pool;
  for (const auto& [phase, items] : sessions) {
    for (std::string& p : Prefixes(items)) {
      (phase == 0 ? pool.before : pool.after).push_back(std::move(p));
    }
  }
  return pool;
}

std::string SessionsRequest(const std::vector<std::string>& sessions) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("inputs").BeginArray().BeginObject();
  w.Field("name", "session");
  w.Key("shape").BeginArray().Uint(sessions.size()).EndArray();
  w.Field("datatype", "BYTES");
  w.Key("data").BeginArray();
  for (const std::string& s : sessions) w.String(s);
  w.EndArray().EndObject().EndArray().EndObject();
  return out;
}

std::string RowsRequest(const std::vector<std::vector<double>>& rows) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Key("inputs").BeginArray().BeginObject();
  w.Field("name", "input");
  w.Key("shape").BeginArray().Uint(rows.size()).Uint(rows.empty() ? 0 : rows[0].size());
  w.EndArray();
  w.Field("datatype", "FP64");
  w.Key("data").BeginArray();
  for (const auto& r : rows) {
    for (double v : r) w.Double(v);
  }
  w.EndArray().EndObject().EndArray().EndObject();
  return out;
}

std::vector<std::vector<double>> FeatureRows(std::string_view csv) {
  std::vector<std::vector<double>> rows;
  bool header = true;
  for (std::string_view line : SplitString(csv, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    std::vector<std::string_view> cells = SplitString(line, ',');
    if (cells.size() < 2) return {};
    std::vector<double> row;
    for (size_t i = 0; i + 1 < cells.size(); ++i) {
      auto v = ParseDouble(cells[i]);
      if (!v) return {};
      row.push_back(*v);
    }
    if (!rows.empty() && rows[0].size() != row.size()) return {};
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string AnswerVersion(std::string_view body) {
  auto j = ParseJson(body);
  if (!j.ok() || !j->is_object()) return "";
  const JsonValue* v = j->Find("model_version");
  return v != nullptr && v->is_string() ? v->as_string() : "";
}

Traffic::Traffic(TrafficOptions options, SessionPool pool, std::vector<std::vector<double>> rows)
    : options_(std::move(options)), pool_(std::move(pool)), rows_(std::move(rows)) {}

Traffic::~Traffic() { Stop(); }

void Traffic::Start() {
  stop_ = false;
  for (int i = 0; i < options_.session_clients; ++i) {
    threads_.emplace_back([this, i] { SessionClient(i); });
  }
  if (!options_.tabular_model.empty() && !rows_.empty()) {
    threads_.emplace_back([this] { TabularClient(); });
  }
}

void Traffic::Stop() {
  stop_ = true;
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

TrafficCounts Traffic::Counts() const {
  std::lock_guard<std::mutex> lock(mu_);
  return counts_;
}

void Traffic::Record(int status, const std::string& body, const std::string& error, bool sessions) {
  std::lock_guard<std::mutex> lock(mu_);
  if (status == 200) {
    ++counts_.served;
    if (sessions) ++counts_.by_version[AnswerVersion(body)];
    return;
  }
  ++counts_.failed;
  if (counts_.errors.size() < kMaxErrors) {
    counts_.errors.push_back(error.empty() ? std::to_string(status) + " " + body.substr(0, 200)
                                           : error);
  }
}

void Traffic::SessionClient(int index) {
  auto client = net::HttpClient::ForUri(options_.url);
  if (!client.ok()) return Record(0, "", std::string(client.status().message()), true);
  client->set_timeout_ms(10000);
  SeededRandom rng(options_.seed * 1000 + static_cast<uint64_t>(index));
  const std::string target = "/v2/models/" + options_.model + "/infer";
  auto next = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    const std::vector<std::string>& pool =
        phase_.load() == static_cast<int>(Phase::kBefore) ? pool_.before : pool_.after;
    std::vector<std::string> batch;
    for (int i = 0; i < options_.batch && !pool.empty(); ++i) {
      batch.push_back(pool[rng.Next64() % pool.size()]);
    }
    auto r = client->Send("POST", target, SessionsRequest(batch));
    if (r.ok()) {
      Record(r->status, r->body, "", true);
    } else {
      Record(0, "", std::string(r.status().message()), true);
    }
    Pace(next, options_.requests_per_second, stop_);
  }
}

void Traffic::TabularClient() {
  auto client = net::HttpClient::ForUri(options_.url);
  if (!client.ok()) return Record(0, "", std::string(client.status().message()), false);
  client->set_timeout_ms(10000);
  SeededRandom rng(options_.seed * 1000 + 999);
  const std::string target = "/v2/models/" + options_.tabular_model + "/infer";
  auto next = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    std::vector<std::vector<double>> batch;
    for (int i = 0; i < 8; ++i) batch.push_back(rows_[rng.Next64() % rows_.size()]);
    auto r = client->Send("POST", target, RowsRequest(batch));
    if (r.ok()) {
      Record(r->status, r->body, "", false);
    } else {
      Record(0, "", std::string(r.status().message()), false);
    }
    Pace(next, options_.requests_per_second / 2, stop_);
  }
}

}  // namespace ferry::cli::demo
