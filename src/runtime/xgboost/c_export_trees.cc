#include "runtime/xgboost/c_export_trees.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "common/fs.h"
#include "common/json.h"
#include "common/strings.h"
#include "runtime/xgboost/xgboost_model.h"

namespace ferry::runtime::xgboost {
namespace {

enum class Link { kIdentity, kSigmoid, kSoftmax, kArgmax };

struct Node {
  int feature = -1;  // -1 for a leaf
  float threshold = 0;
  int yes = 0, no = 0, missing = 0;  // global node indices
  float leaf = 0;
};

struct Forest {
  std::vector<Node> nodes;
  std::vector<int> roots;
  std::vector<int> groups;  // output group (class) of each tree
  int n_features = 0;
  int n_groups = 1;
  float base_margin = 0;
  Link link = Link::kIdentity;
};

std::string CFloat(float v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9ef", static_cast<double>(v));
  return buf;
}

const JsonValue* Path(const JsonValue& v, std::initializer_list<const char*> keys) {
  const JsonValue* cur = &v;
  for (const char* k : keys) {
    cur = cur->Find(k);
    if (cur == nullptr) return nullptr;
  }
  return cur;
}

double NumberOrString(const JsonValue* v, double fallback) {
  if (v == nullptr) return fallback;
  if (v->is_number()) return v->as_double();
  if (v->is_string()) return ParseDouble(v->as_string()).value_or(fallback);
  return fallback;
}

// Link function, base margin and tree layout from the booster's configuration.
absl::Status ReadConfig(const Booster& booster, const ModelInfo& info, Forest& f,
                        int& parallel_trees) {
  ASSIGN_OR_RETURN(std::string text, booster.JsonConfig());
  ASSIGN_OR_RETURN(JsonValue config, ParseJson(text));
  const JsonValue* gb = Path(config, {"learner", "gradient_booster", "name"});
  if (gb == nullptr || !gb->is_string() || gb->as_string() != "gbtree") {
    return absl::UnimplementedError("C export supports the gbtree booster only");
  }
  parallel_trees = static_cast<int>(NumberOrString(
      Path(config, {"learner", "gradient_booster", "gbtree_model_param", "num_parallel_tree"}), 1));
  const float base = static_cast<float>(
      NumberOrString(Path(config, {"learner", "learner_model_param", "base_score"}), 0.5));
  const std::string& obj = info.objective;
  if (obj == "binary:logistic" || obj == "reg:logistic") {
    f.link = Link::kSigmoid;
    f.base_margin = -logf(1.0f / base - 1.0f);  // xgboost's ProbToMargin, in float
  } else if (obj == "multi:softprob" || obj == "multi:softmax") {
    f.link = obj == "multi:softprob" ? Link::kSoftmax : Link::kArgmax;
    f.n_groups = static_cast<int>(info.classes.size());
    f.base_margin = base;
  } else if (obj == "reg:squarederror" || obj == "reg:absoluteerror" ||
             obj == "reg:pseudohubererror" || obj == "binary:logitraw" ||
             obj == "reg:quantileerror") {
    f.base_margin = base;
  } else {
    return absl::UnimplementedError("C export does not support objective " + obj);
  }
  return absl::OkStatus();
}

int FeatureIndex(const std::string& split, int n_features) {
  if (split.size() < 2 || split[0] != 'f') return -1;
  auto v = ParseInt64(std::string_view(split).substr(1));
  return v && *v >= 0 && *v < n_features ? static_cast<int>(*v) : -1;
}

// Collects the nodes of one dumped tree, keyed by their nodeid.
absl::Status CollectNodes(const JsonValue& node, int n_features, std::map<int, Node>& out,
                          std::map<int, std::vector<int>>& links) {
  const JsonValue* id = node.Find("nodeid");
  if (id == nullptr || !id->is_integer()) return absl::DataLossError("tree node without nodeid");
  Node n;
  if (const JsonValue* leaf = node.Find("leaf"); leaf != nullptr) {
    n.leaf = static_cast<float>(leaf->as_double());
    out[static_cast<int>(id->as_int())] = n;
    return absl::OkStatus();
  }
  const JsonValue* split = node.Find("split");
  const JsonValue* cond = node.Find("split_condition");
  const JsonValue* children = node.Find("children");
  if (split == nullptr || cond == nullptr || children == nullptr || !split->is_string()) {
    return absl::UnimplementedError("C export supports numerical splits only");
  }
  n.feature = FeatureIndex(split->as_string(), n_features);
  if (n.feature < 0) return absl::DataLossError("bad split feature " + split->as_string());
  n.threshold = static_cast<float>(cond->as_double());
  std::vector<int> ids;
  for (const char* k : {"yes", "no", "missing"}) {
    const JsonValue* v = node.Find(k);
    if (v == nullptr || !v->is_integer()) return absl::DataLossError("split without children");
    ids.push_back(static_cast<int>(v->as_int()));
  }
  const int self = static_cast<int>(id->as_int());
  out[self] = n;
  links[self] = ids;
  for (const JsonValue& c : children->items()) {
    RETURN_IF_ERROR(CollectNodes(c, n_features, out, links));
  }
  return absl::OkStatus();
}

absl::Status AddTree(const std::string& dump, Forest& f) {
  ASSIGN_OR_RETURN(JsonValue tree, ParseJson(dump));
  std::map<int, Node> nodes;
  std::map<int, std::vector<int>> links;
  RETURN_IF_ERROR(CollectNodes(tree, f.n_features, nodes, links));
  std::map<int, int> global;
  for (const auto& [id, n] : nodes) global[id] = static_cast<int>(f.nodes.size() + global.size());
  if (!global.count(0)) return absl::DataLossError("tree without root");
  f.roots.push_back(global[0]);
  for (auto& [id, n] : nodes) {
    if (n.feature >= 0) {
      const std::vector<int>& l = links[id];
      for (int child : l) {
        if (!global.count(child)) return absl::DataLossError("tree refers to a missing node");
      }
      n.yes = global[l[0]];
      n.no = global[l[1]];
      n.missing = global[l[2]];
    }
    f.nodes.push_back(n);
  }
  return absl::OkStatus();
}

template <typename T, typename Fn>
void EmitArray(std::string& out, const char* type, const std::string& name, const std::vector<T>& v,
               Fn fmt) {
  out +=
      "static const " + std::string(type) + " " + name + "[" + std::to_string(v.size()) + "] = {";
  for (size_t i = 0; i < v.size(); ++i) {
    out += (i % 8 == 0 ? "\n    " : " ") + fmt(v[i]) + ",";
  }
  out += "\n};\n";
}

std::string Upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

int NOutputs(const Forest& f) { return f.link == Link::kSoftmax ? f.n_groups : 1; }

std::string HeaderText(const Forest& f, std::string_view prefix) {
  const std::string p(prefix), up = Upper(prefix);
  return "/* Generated by ferry from an xgboost model. Do not edit. */\n#ifndef " + up +
         "_H_\n#define " + up + "_H_\n\n#include <stddef.h>\n\n#define " + up + "_N_FEATURES " +
         std::to_string(f.n_features) + "\n#define " + up + "_N_OUTPUTS " +
         std::to_string(NOutputs(f)) + "\n\n/* Writes " + up +
         "_N_OUTPUTS values to out and returns 0; returns -1 when\n"
         "   n_features != " +
         up + "_N_FEATURES. NaN features are missing values. */\nint " + p +
         "_predict(const double* features, size_t n_features, double* out);\n\n#endif\n";
}

std::string LinkCode(const Forest& f) {
  switch (f.link) {
    case Link::kIdentity:
      return "  out[0] = (double)margin[0];\n";
    case Link::kSigmoid:
      return "  out[0] = (double)(1.0f / (1.0f + expf(-margin[0])));\n";
    case Link::kArgmax:
      return "  best = 0;\n  for (k = 1; k < N_GROUPS; ++k) {\n"
             "    if (margin[k] > margin[best]) best = k;\n  }\n  out[0] = (double)best;\n";
    case Link::kSoftmax:
      return "  wmax = margin[0];\n  for (k = 1; k < N_GROUPS; ++k) {\n"
             "    if (margin[k] > wmax) wmax = margin[k];\n  }\n  wsum = 0.0;\n"
             "  for (k = 0; k < N_GROUPS; ++k) {\n    margin[k] = expf(margin[k] - wmax);\n"
             "    wsum += margin[k];\n  }\n"
             "  for (k = 0; k < N_GROUPS; ++k) out[k] = (double)(margin[k] / (float)wsum);\n";
  }
  return "";
}

std::string SourceText(const Forest& f, std::string_view prefix) {
  const std::string p(prefix), up = Upper(prefix);
  std::string s = "/* Generated by ferry from an xgboost model. Do not edit. */\n#include \"" + p +
                  ".h\"\n\n#include <math.h>\n#include <stddef.h>\n\n#define N_TREES " +
                  std::to_string(f.roots.size()) + "\n#define N_GROUPS " +
                  std::to_string(f.n_groups) + "\n\n";
  std::vector<int> feature, yes, no, missing;
  std::vector<float> threshold, leaf;
  for (const Node& n : f.nodes) {
    feature.push_back(n.feature);
    threshold.push_back(n.threshold);
    yes.push_back(n.yes);
    no.push_back(n.no);
    missing.push_back(n.missing);
    leaf.push_back(n.leaf);
  }
  auto i = [](int v) { return std::to_string(v); };
  EmitArray(s, "int", "node_feature", feature, i);
  EmitArray(s, "float", "node_threshold", threshold, CFloat);
  EmitArray(s, "int", "node_yes", yes, i);
  EmitArray(s, "int", "node_no", no, i);
  EmitArray(s, "int", "node_missing", missing, i);
  EmitArray(s, "float", "node_leaf", leaf, CFloat);
  EmitArray(s, "int", "tree_root", f.roots, i);
  EmitArray(s, "int", "tree_group", f.groups, i);
  s +=
      "\nint " + p + "_predict(const double* features, size_t n_features, double* out) {\n" +
      "  float margin[N_GROUPS];\n  size_t t;\n  int k, node, best;\n  float fv, wmax;\n"
      "  double wsum;\n  if (features == NULL || out == NULL || n_features != " +
      up +
      "_N_FEATURES) {\n    return -1;\n  }\n"
      "  for (k = 0; k < N_GROUPS; ++k) margin[k] = " +
      CFloat(f.base_margin) + ";\n" +
      "  for (t = 0; t < N_TREES; ++t) {\n    node = tree_root[t];\n"
      "    while (node_feature[node] >= 0) {\n"
      "      fv = (float)features[node_feature[node]];\n"
      "      if (isnan(fv)) {\n        node = node_missing[node];\n"
      "      } else {\n        node = fv < node_threshold[node] ? node_yes[node] : node_no[node];\n"
      "      }\n    }\n    margin[tree_group[t]] += node_leaf[node];\n  }\n"
      "  (void)best;\n  (void)wmax;\n  (void)wsum;\n" +
      LinkCode(f) + "  return 0;\n}\n";
  return s;
}

bool IsCIdentifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

}  // namespace

absl::Status ExportTreesC(const std::string& model_dir, const std::string& out_dir,
                          std::string_view prefix) {
  if (!IsCIdentifier(prefix)) {
    return absl::InvalidArgumentError("prefix \"" + std::string(prefix) +
                                      "\" is not a C identifier");
  }
  ASSIGN_OR_RETURN(LoadedModel m, LoadModelDir(model_dir, {}));
  Forest f;
  f.n_features = static_cast<int>(m.info.features.size());
  int parallel = 1;
  RETURN_IF_ERROR(ReadConfig(m.booster, m.info, f, parallel));
  ASSIGN_OR_RETURN(std::vector<std::string> dumps, m.booster.DumpJson());
  for (size_t t = 0; t < dumps.size(); ++t) {
    RETURN_IF_ERROR(AddTree(dumps[t], f));
    f.groups.push_back(static_cast<int>(t / std::max(parallel, 1)) % f.n_groups);
  }
  if (f.roots.empty()) return absl::InvalidArgumentError(model_dir + ": the model has no trees");
  RETURN_IF_ERROR(MakeDirs(out_dir));
  const std::string p(prefix);
  RETURN_IF_ERROR(WriteFileAtomic(JoinPath(out_dir, p + ".h"), HeaderText(f, prefix)));
  return WriteFileAtomic(JoinPath(out_dir, p + ".c"), SourceText(f, prefix));
}

}  // namespace ferry::runtime::xgboost
