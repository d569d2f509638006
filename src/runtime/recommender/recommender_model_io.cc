// model.json: Model::ToJson and Model::FromJson (the format is in recommender_model.h).
#include <string>

#include "common/json.h"
#include "common/json_writer.h"
#include "runtime/recommender/recommender_model.h"

namespace ferry::runtime::recommender {
namespace {

constexpr char kFormat[] = "ferry-recommender";
constexpr int64_t kVersion = 2;

absl::Status Corrupt(std::string_view what) {
  return absl::DataLossError("model.json: " + std::string(what));
}

absl::StatusOr<int> IntField(const JsonValue& doc, const char* name, int lo, int hi) {
  const JsonValue* v = doc.Find(name);
  if (v == nullptr || !v->is_integer() || v->as_int() < lo || v->as_int() > hi) {
    return Corrupt(std::string("\"") + name + "\" missing or out of range");
  }
  return static_cast<int>(v->as_int());
}

// The array member `name` with `n` entries, or nullptr.
const JsonValue* ArrayOf(const JsonValue& doc, const char* name, size_t n) {
  const JsonValue* v = doc.Find(name);
  return v != nullptr && v->is_array() && v->items().size() == n ? v : nullptr;
}

std::string_view SimilarityName(Similarity s) { return s == Similarity::kVec ? "vec" : "cosine"; }

}  // namespace

std::string Model::ToJson() const {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("format", kFormat).Field("version", kVersion);
  w.Field("method", MethodName(params_.method)).Field("k", int64_t{params_.k});
  w.Field("window", int64_t{params_.window});
  w.Field("max_neighbours", int64_t{params_.max_neighbours});
  w.Field("session_neighbours", int64_t{params_.knn.neighbours});
  w.Field("sample", int64_t{params_.knn.sample});
  w.Field("similarity", SimilarityName(params_.knn.similarity));
  w.Key("items").BeginArray();
  for (const std::string& i : items_) w.String(i);
  w.EndArray().Key("popularity").BeginArray();
  for (int64_t c : popularity_) w.Int(c);
  w.EndArray();
  if (params_.method == Method::kSr || params_.method == Method::kIknn) {
    w.Key("rules").BeginArray();
    for (size_t i = 0; i < items_.size(); ++i) w.String(rules_.Encode(static_cast<int32_t>(i)));
    w.EndArray();
  }
  if (params_.method == Method::kVsknn) {
    w.Key("sessions").BeginArray();
    std::string line;
    for (size_t s = 0; s < knn_.num_sessions(); ++s) {
      line.clear();
      for (int32_t item : knn_.set(s)) line += (line.empty() ? "" : " ") + std::to_string(item);
      w.String(line);
    }
    w.EndArray();
  }
  w.EndObject();
  return out;
}

absl::StatusOr<Model> Model::FromJson(std::string_view text) {
  auto doc = ParseJson(text);
  if (!doc.ok()) return Corrupt(StatusMessage(doc.status()));
  const JsonValue* format = doc->Find("format");
  if (format == nullptr || !format->is_string() || format->as_string() != kFormat) {
    return Corrupt("\"format\" is not \"ferry-recommender\"");
  }
  Model m;
  ASSIGN_OR_RETURN(int version, IntField(*doc, "version", 1, kVersion));
  ASSIGN_OR_RETURN(m.params_.window, IntField(*doc, "window", 1, 1 << 20));
  ASSIGN_OR_RETURN(m.params_.k, IntField(*doc, "k", 1, 1 << 20));
  ASSIGN_OR_RETURN(m.params_.max_neighbours, IntField(*doc, "max_neighbours", 1, 1 << 30));
  const JsonValue* items = doc->Find("items");
  if (items == nullptr || !items->is_array() ||
      ArrayOf(*doc, "popularity", items->items().size()) == nullptr) {
    return Corrupt("\"items\" and \"popularity\" must be arrays of one length");
  }
  const JsonValue& pop = *doc->Find("popularity");
  for (size_t i = 0; i < items->items().size(); ++i) {
    const JsonValue& id = items->items()[i];
    const JsonValue& count = pop.items()[i];
    if (!id.is_string() || !count.is_integer()) return Corrupt("bad item " + std::to_string(i));
    m.items_.push_back(id.as_string());
    m.popularity_.push_back(count.as_int());
  }
  RETURN_IF_ERROR(version == 1 ? m.ReadV1(*doc) : m.ReadV2(*doc));
  m.BuildIndex();
  if (m.index_.size() != m.items_.size()) return Corrupt("duplicate item ids");
  return m;
}

absl::Status Model::ReadV1(const JsonValue& doc) {
  params_.method = Method::kSr;
  sr_depth_ = params_.window;
  const size_t n = items_.size();
  const JsonValue* nb = ArrayOf(doc, "neighbours", n);
  if (nb == nullptr) return Corrupt("\"neighbours\" must be an array with one list per item");
  rules_.lists.resize(n);
  for (size_t i = 0; i < n; ++i) {
    for (const JsonValue& pair : nb->items()[i].items()) {
      if (!pair.is_array() || pair.items().size() != 2 || !pair.items()[0].is_integer() ||
          pair.items()[0].as_int() < 0 || static_cast<size_t>(pair.items()[0].as_int()) >= n ||
          !pair.items()[1].is_number()) {
        return Corrupt("bad neighbour of item " + std::to_string(i));
      }
      rules_.lists[i].push_back(
          {static_cast<int32_t>(pair.items()[0].as_int()), pair.items()[1].as_double()});
    }
  }
  return absl::OkStatus();
}

absl::Status Model::ReadV2(const JsonValue& doc) {
  const JsonValue* method = doc.Find("method");
  const JsonValue* similarity = doc.Find("similarity");
  auto m =
      method != nullptr && method->is_string() ? ParseMethod(method->as_string()) : std::nullopt;
  auto sim = similarity != nullptr && similarity->is_string()
                 ? ParseSimilarity(similarity->as_string())
                 : std::nullopt;
  if (!m) return Corrupt("\"method\" must be sr, vsknn, iknn or pop");
  if (!sim) return Corrupt("\"similarity\" must be vec or cosine");
  params_.method = *m;
  params_.knn.similarity = *sim;
  ASSIGN_OR_RETURN(params_.knn.neighbours, IntField(doc, "session_neighbours", 1, 1 << 20));
  ASSIGN_OR_RETURN(params_.knn.sample, IntField(doc, "sample", 1, 1 << 24));
  const size_t n = items_.size();
  if (*m == Method::kSr || *m == Method::kIknn) {
    const JsonValue* rules = ArrayOf(doc, "rules", n);
    if (rules == nullptr) return Corrupt("\"rules\" must be an array with one string per item");
    rules_.lists.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const JsonValue& r = rules->items()[i];
      if (!r.is_string()) return Corrupt("bad rules of item " + std::to_string(i));
      RETURN_IF_ERROR(rules_.Decode(static_cast<int32_t>(i), r.as_string(), n));
    }
  }
  if (*m == Method::kVsknn) {
    const JsonValue* sessions = doc.Find("sessions");
    if (sessions == nullptr || !sessions->is_array()) {
      return Corrupt("\"sessions\" must be an array of strings");
    }
    std::vector<Sequence> sets(sessions->items().size());
    for (size_t s = 0; s < sets.size(); ++s) {
      const JsonValue& v = sessions->items()[s];
      if (!v.is_string() || !ParseIndices(v.as_string(), n, sets[s])) {
        return Corrupt("bad session " + std::to_string(s));
      }
    }
    knn_ = SessionKnn::FromSets(std::move(sets), n);
  }
  return absl::OkStatus();
}

}  // namespace ferry::runtime::recommender
