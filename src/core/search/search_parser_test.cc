#include "core/search/search_parser.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace ferry {
namespace {

const char* EntityName(SearchEntity entity) {
  switch (entity) {
    case SearchEntity::kMetric:
      return "metric";
    case SearchEntity::kParam:
      return "param";
    case SearchEntity::kTag:
      return "tag";
    case SearchEntity::kAttribute:
      return "attr";
    case SearchEntity::kDataset:
      return "dataset";
  }
  return "?";
}

// "metric:acc > 0.9 ; param:lr = '0.1' ; attr:run_id IN [a|b]". Numbers print as written.
std::string Render(const std::vector<Comparison>& comparisons) {
  std::vector<std::string> out;
  for (const Comparison& c : comparisons) {
    std::string value = c.value.is_number ? c.value.text : absl::StrCat("'", c.value.text, "'");
    if (c.op == CompareOp::kIn || c.op == CompareOp::kNotIn) {
      value = absl::StrCat("[", absl::StrJoin(c.value.list, "|"), "]");
    }
    out.push_back(
        absl::StrCat(EntityName(c.entity), ":", c.key, " ", CompareOpText(c.op), " ", value));
  }
  return absl::StrJoin(out, " ; ");
}

std::string Render(const std::vector<OrderBy>& order_by) {
  std::vector<std::string> out;
  for (const OrderBy& o : order_by) {
    out.push_back(absl::StrCat(EntityName(o.entity), ":", o.key, o.ascending ? " ASC" : " DESC"));
  }
  return absl::StrJoin(out, " ; ");
}

struct FilterCase {
  const char* filter;
  std::string expected;  // Render() output, or the exact error message
};

void ExpectFilters(absl::StatusOr<std::vector<Comparison>> (*parse)(std::string_view),
                   const FilterCase* begin, const FilterCase* end, bool ok) {
  for (const FilterCase* c = begin; c != end; ++c) {
    SCOPED_TRACE(c->filter);
    absl::StatusOr<std::vector<Comparison>> parsed = parse(c->filter);
    if (ok) {
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(Render(*parsed), c->expected);
    } else {
      ASSERT_FALSE(parsed.ok()) << Render(*parsed);
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(std::string(parsed.status().message()), c->expected);
    }
  }
}

TEST(SearchParserTest, RunFilters) {
  static const FilterCase cases[] = {
      {"", ""},
      {"  \t ", ""},
      // Metrics: every numeric operator, entity aliases, number forms.
      {"metrics.acc > 0.9", "metric:acc > 0.9"},
      {"metric.acc >= -1", "metric:acc >= -1"},
      {"metrics.loss < 1e-3 and metrics.loss <= 10", "metric:loss < 1e-3 ; metric:loss <= 10"},
      {"metrics.a = .5 AnD metrics.b != 2E+3", "metric:a = .5 ; metric:b != 2E+3"},
      {"metrics.`my metric` > 1", "metric:my metric > 1"},
      {"`metrics`.\"a.b\" > 1", "metric:a.b > 1"},
      {"metrics.acc>1 AND params.p='x'", "metric:acc > 1 ; param:p = 'x'"},
      // Params: aliases, both quote styles, string operators.
      {"params.lr = '0.1'", "param:lr = '0.1'"},
      {"param.lr != \"0.1\"", "param:lr != '0.1'"},
      {"parameter.lr LIKE '%1'", "param:lr LIKE '%1'"},
      {"parameters.lr ilike '0._'", "param:lr ILIKE '0._'"},
      // Tags: dotted keys split on the first '.', quoted keys, quotes kept verbatim.
      {"tags.mlflow.runName = 'r'", "tag:mlflow.runName = 'r'"},
      {"tag.`my tag` = 'x'", "tag:my tag = 'x'"},
      {"tags.\"my.tag\" Like 'x%'", "tag:my.tag LIKE 'x%'"},
      {"tags.t = 'it''s' AND tags.u = \"say \"\"hi\"\"\"",
       "tag:t = 'it''s' ; tag:u = 'say \"\"hi\"\"'"},
      // String attributes with and without a prefix, and the run name aliases.
      {"attributes.status = 'FINISHED'", "attr:status = 'FINISHED'"},
      {"attribute.user_id != 'bob'", "attr:user_id != 'bob'"},
      {"attr.artifact_uri LIKE 's3://%'", "attr:artifact_uri LIKE 's3://%'"},
      {"run.run_name ILIKE 'abc%'", "attr:run_name ILIKE 'abc%'"},
      {"status = 'RUNNING'", "attr:status = 'RUNNING'"},
      {"`run name` = 'x'", "attr:run_name = 'x'"},
      {"attributes.`Run Name` = 'x' AND `Run name` = 'y'",
       "attr:run_name = 'x' ; attr:run_name = 'y'"},
      {"\"run_name\" = 'x'", "attr:run_name = 'x'"},
      {"attributes.\"run_name\" != 'x'", "attr:run_name != 'x'"},
      // Numeric attributes and the created alias.
      {"attributes.start_time > 1000", "attr:start_time > 1000"},
      {"created >= 5 AND attributes.Created < 9", "attr:start_time >= 5 ; attr:start_time < 9"},
      {"end_time <= 7", "attr:end_time <= 7"},
      // Lists: run_id and datasets only.
      {"attributes.run_id IN ('a', 'b')", "attr:run_id IN [a|b]"},
      {"run_id not in (\"c\")", "attr:run_id NOT IN [c]"},
      {"run_id = 'abc' AND run_id LIKE 'a%'", "attr:run_id = 'abc' ; attr:run_id LIKE 'a%'"},
      {"datasets.name = 'ds'", "dataset:name = 'ds'"},
      {"dataset.digest IN ('d1','d2')", "dataset:digest IN [d1|d2]"},
      {"datasets.context NOT IN ('train') AND datasets.context ILIKE 'tr%'",
       "dataset:context NOT IN [train] ; dataset:context ILIKE 'tr%'"},
  };
  ExpectFilters(&ParseRunFilter, std::begin(cases), std::end(cases), /*ok=*/true);
}

TEST(SearchParserTest, RunFilterNumbersAreParsed) {
  static const struct {
    const char* filter;
    double number;
  } cases[] = {{"metrics.a > 0.9", 0.9},    {"metrics.a > -1", -1},
               {"metrics.a > 1e-3", 1e-3},  {"metrics.a > .5", 0.5},
               {"metrics.a > 2.", 2.0},     {"start_time = 1700000000123", 1700000000123.0},
               {"metrics.a > -2.5E2", -250}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.filter);
    absl::StatusOr<std::vector<Comparison>> parsed = ParseRunFilter(c.filter);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    ASSERT_EQ(parsed->size(), 1u);
    EXPECT_TRUE((*parsed)[0].value.is_number);
    EXPECT_DOUBLE_EQ((*parsed)[0].value.number, c.number);
  }
}

const std::string kRunKeys =
    "['artifact_uri', 'end_time', 'run_id', 'run_name', 'start_time', 'status', 'user_id']";

TEST(SearchParserTest, RunFilterGrammarErrors) {
  static const FilterCase cases[] = {
      {"metrics.acc > 0.9 OR params.x = 'a'",
       "Invalid clause(s) in filter string: 'OR' at position 18"},
      {"NOT metrics.acc > 1", "Invalid clause(s) in filter string: 'NOT' at position 0"},
      {"(metrics.acc > 1)", "Invalid clause(s) in filter string: '(' at position 0"},
      {"metrics.acc > 1 AND (params.x = 'a')",
       "Invalid clause(s) in filter string: '(' at position 20"},
      {"metrics.acc > 1 AND", "Invalid clause(s) in filter string: 'AND' at position 16"},
      {"AND metrics.acc > 1", "Invalid clause(s) in filter string: 'AND' at position 0"},
      {"metrics.acc", "Invalid clause(s) in filter string: 'metrics.acc' at position 0"},
      {"metrics.acc >", "Invalid clause(s) in filter string: '>' at position 12"},
      {"metrics.acc > AND", "Invalid clause(s) in filter string: 'AND' at position 14"},
      {"metrics.acc > 1 params.x = 'a'",
       "Invalid clause(s) in filter string: 'params.x' at position 16"},
      {"params.x NOT = 'a'", "Invalid clause(s) in filter string: 'NOT' at position 9"},
      {"params.x 'a'", "Invalid clause(s) in filter string: ''a'' at position 9"},
      {"run_id IN 'a'", "Invalid clause(s) in filter string: ''a'' at position 10"},
      {"run_id NOT IN", "Invalid clause(s) in filter string: 'NOT' at position 7"},
      {"run_id = ('a')", "Invalid clause(s) in filter string: '(' at position 9"},
      {"'x' = params.a", "Invalid clause(s) in filter string: ''x'' at position 0"},
      {"params.a = 'x' AND AND params.b = 'y'",
       "Invalid clause(s) in filter string: 'AND' at position 19"},
      // Tokenizer errors pass through unchanged.
      {"params.x = 'abc", "Unterminated quoted text ''abc' in search string at position 11"},
      {"metrics.a > 1a", "Malformed number '1a' in search string at position 12"},
  };
  ExpectFilters(&ParseRunFilter, std::begin(cases), std::end(cases), /*ok=*/false);
}

TEST(SearchParserTest, RunFilterKeyErrors) {
  static const FilterCase cases[] = {
      {"Metrics.acc > 1",
       "Invalid entity type 'Metrics'. Valid values are ['metric', 'parameter', 'tag', "
       "'attribute', 'dataset'] at position 0"},
      {"status = 'x' AND foo.bar = 'x'",
       "Invalid entity type 'foo'. Valid values are ['metric', 'parameter', 'tag', 'attribute', "
       "'dataset'] at position 17"},
      {"foo = 'x'",
       "Invalid attribute key 'foo' specified. Valid keys are '" + kRunKeys + "' at position 0"},
      {"attributes.experiment_id = '1'",
       "Invalid attribute key 'experiment_id' specified. "
       "Valid keys are '" +
           kRunKeys + "' at position 0"},
      {"datasets.foo = 'x'",
       "Invalid dataset key 'foo' specified. Valid keys are '['name', 'digest', 'context']' at "
       "position 0"},
      {"metrics.`` > 1",
       "Invalid identifier 'metrics.``': the key after the entity type is empty at position 0"},
  };
  ExpectFilters(&ParseRunFilter, std::begin(cases), std::end(cases), /*ok=*/false);
}

TEST(SearchParserTest, RunFilterValueAndOperatorErrors) {
  static const FilterCase cases[] = {
      {"metrics.acc > 'x'", "Expected numeric value type for metric. Found 'x' at position 14"},
      {"metrics.acc > \"x\"", "Expected numeric value type for metric. Found \"x\" at position 14"},
      {"start_time > 'x'",
       "Expected numeric value type for numeric attribute: start_time. Found 'x' at position 13"},
      {"created > abc",
       "Expected numeric value type for numeric attribute: created. Found abc at position 10"},
      {"metrics.acc > 1e999", "Numeric value out of range: 1e999 at position 14"},
      {"params.lr = 0.1",
       "Expected a quoted string value for parameter (e.g. 'my-value'). Got value 0.1 at "
       "position 12"},
      {"tags.t = 1",
       "Expected a quoted string value for tag (e.g. 'my-value'). Got value 1 at position 9"},
      {"status = 1", "Expected a quoted string value for attributes. Got value 1 at position 9"},
      {"datasets.name = 1",
       "Expected a quoted string value for dataset attributes. Got value 1 at position 16"},
      {"params.lr = abc",
       "Parameter value is either not quoted or unidentified quote types used for string value "
       "abc (use either single or double quotes) at position 12"},
      {"tags.t = `abc`",
       "Parameter value is either not quoted or unidentified quote types used for string value "
       "`abc` (use either single or double quotes) at position 9"},
      {"metrics.acc LIKE 1",
       "Invalid comparator 'LIKE' not one of '=, !=, >, >=, <, <=' at position 12"},
      {"metrics.acc <> 1",
       "Invalid comparator '<>' not one of '=, !=, >, >=, <, <=' at position 12"},
      {"metrics.acc == 1",
       "Invalid comparator '==' not one of '=, !=, >, >=, <, <=' at position 12"},
      {"start_time ILIKE 1",
       "Invalid comparator 'ILIKE' not one of '=, !=, >, >=, <, <=' at position 11"},
      {"params.lr > '1'", "Invalid comparator '>' not one of '=, !=, LIKE, ILIKE' at position 10"},
      {"run_id < 'a'",
       "Invalid comparator '<' not one of '=, !=, LIKE, ILIKE, IN, NOT IN' at position 7"},
      {"tags.t IN ('a')", "Invalid comparator 'IN' not one of '=, !=, LIKE, ILIKE' at position 7"},
      {"metrics.m in ('a')",
       "Invalid comparator 'IN' not one of '=, !=, >, >=, <, <=' at position 10"},
      {"status IN ('a')",
       "Only the 'run_id' attribute supports comparison with a list of quoted string values, got "
       "'IN' at position 7"},
      {"status not IN ('a')",
       "Only the 'run_id' attribute supports comparison with a list of quoted string values, got "
       "'NOT IN' at position 7"},
  };
  ExpectFilters(&ParseRunFilter, std::begin(cases), std::end(cases), /*ok=*/false);
}

TEST(SearchParserTest, RunFilterListErrors) {
  static const FilterCase cases[] = {
      {"run_id IN ()",
       "While parsing a list in the query, expected a non-empty list of string values, but got "
       "empty list at position 10"},
      {"run_id IN ('a', 1)",
       "While parsing a list in the query, expected string value, punctuation, or whitespace, but "
       "got different type in list: '1' at position 16"},
      {"run_id IN ('a',)",
       "While parsing a list in the query, expected string value, punctuation, or whitespace, but "
       "got different type in list: ')' at position 15"},
      {"run_id IN ('a' 'b')",
       "While parsing a list in the query, expected a non-empty list of string values, but got "
       "ill-formed list: ''b'' at position 15"},
      {"run_id IN ('a',",
       "While parsing a list in the query, expected a non-empty list of string values, but got "
       "ill-formed list: '(' is never closed at position 10"},
      {"datasets.name IN ('a'",
       "While parsing a list in the query, expected a non-empty list of string values, but got "
       "ill-formed list: '(' is never closed at position 17"},
  };
  ExpectFilters(&ParseRunFilter, std::begin(cases), std::end(cases), /*ok=*/false);
}

TEST(SearchParserTest, ExperimentFilters) {
  static const FilterCase ok_cases[] = {
      {"", ""},
      {"name = 'exp'", "attr:name = 'exp'"},
      {"attribute.name LIKE 'e%' and name != \"b\"", "attr:name LIKE 'e%' ; attr:name != 'b'"},
      {"creation_time > 10 AND `creation_time` <= 20",
       "attr:creation_time > 10 ; attr:creation_time <= 20"},
      {"last_update_time < 5", "attr:last_update_time < 5"},
      {"tags.team = 'ml' AND tag.x ILIKE '%'", "tag:team = 'ml' ; tag:x ILIKE '%'"},
  };
  ExpectFilters(&ParseExperimentFilter, std::begin(ok_cases), std::end(ok_cases), /*ok=*/true);
  static const FilterCase error_cases[] = {
      {"metrics.acc > 1",
       "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', 'tags') at "
       "position 0"},
      {"attributes.name = 'x'",
       "Invalid entity type 'attributes'. Valid entity types are ('attribute', 'tag', 'tags') at "
       "position 0"},
      {"experiment_id = '1'",
       "Invalid attribute key 'experiment_id' specified. Valid keys are '['creation_time', "
       "'last_update_time', 'name']' at position 0"},
      {"name IN ('a')", "Invalid comparator 'IN' not one of '=, !=, LIKE, ILIKE' at position 5"},
      {"name > 'a'", "Invalid comparator '>' not one of '=, !=, LIKE, ILIKE' at position 5"},
      {"creation_time = 'x'",
       "Expected numeric value type for numeric attribute: creation_time. Found 'x' at position "
       "16"},
      {"name = 'a' OR name = 'b'", "Invalid clause(s) in filter string: 'OR' at position 11"},
  };
  ExpectFilters(&ParseExperimentFilter, std::begin(error_cases), std::end(error_cases),
                /*ok=*/false);
}

struct OrderByCase {
  std::vector<std::string> order_by;
  std::string expected;  // Render() output, or the exact error message
};

void ExpectOrderBy(absl::StatusOr<std::vector<OrderBy>> (*parse)(const std::vector<std::string>&),
                   const std::vector<OrderByCase>& cases, bool ok) {
  for (const OrderByCase& c : cases) {
    SCOPED_TRACE(absl::StrJoin(c.order_by, " | "));
    absl::StatusOr<std::vector<OrderBy>> parsed = parse(c.order_by);
    if (ok) {
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(Render(*parsed), c.expected);
    } else {
      ASSERT_FALSE(parsed.ok()) << Render(*parsed);
      EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
      EXPECT_EQ(std::string(parsed.status().message()), c.expected);
    }
  }
}

TEST(SearchParserTest, RunOrderBy) {
  ExpectOrderBy(
      &ParseRunOrderBy,
      {
          {{}, ""},
          {{"metrics.acc"}, "metric:acc ASC"},
          {{"metrics.acc DESC", "params.lr asc", "tags.`my tag` Desc", "start_time"},
           "metric:acc DESC ; param:lr ASC ; tag:my tag DESC ; attr:start_time ASC"},
          {{"created DESC"}, "attr:start_time DESC"},
          {{"run.run_name", "attributes.end_time desc"}, "attr:run_name ASC ; attr:end_time DESC"},
          {{"`metrics`.`my metric` DESC"}, "metric:my metric DESC"},
          {{"tags.\"a.b\"", "  metrics.acc   DESC  "}, "tag:a.b ASC ; metric:acc DESC"},
          {{"metrics.acc", "params.acc"}, "metric:acc ASC ; param:acc ASC"},
      },
      /*ok=*/true);
  ExpectOrderBy(
      &ParseRunOrderBy,
      {
          {{""}, "Invalid order_by clause ''. The clause is empty at position 0"},
          {{"metrics.acc DESC extra"},
           "Invalid order_by clause 'metrics.acc DESC extra'. Could not be parsed: 'extra' at "
           "position 17"},
          {{"metrics.acc UP"},
           "Invalid order_by clause 'metrics.acc UP'. Invalid ordering key 'UP' at position 12"},
          {{"metrics.acc, params.x"},
           "Invalid order_by clause 'metrics.acc, params.x'. Could not be parsed: ',' at position "
           "11"},
          {{"metrics.acc > 1"},
           "Invalid order_by clause 'metrics.acc > 1'. Could not be parsed: '>' at position 12"},
          {{"'x'"}, "Invalid order_by clause ''x''. Could not be parsed: ''x'' at position 0"},
          {{"foo"},
           "Invalid attribute key 'foo' specified. Valid keys are '" + kRunKeys +
               "' at position 0"},
          {{"`run name`"},
           "Invalid attribute key 'run name' specified. Valid keys are '" + kRunKeys +
               "' at position 0"},
          {{"datasets.name"}, "Invalid order_by entity type 'dataset' at position 0"},
          {{"metrics.acc", "metrics.acc DESC"},
           "`order_by` contains duplicate fields: 'metrics.acc DESC' at position 0"},
          {{"created", " start_time DESC"},
           "`order_by` contains duplicate fields: ' start_time DESC' at position 1"},
          {{"metrics.`a"}, "Unterminated quoted text '`a' in search string at position 8"},
      },
      /*ok=*/false);
}

TEST(SearchParserTest, ExperimentOrderBy) {
  ExpectOrderBy(&ParseExperimentOrderBy,
                {
                    {{"name", "experiment_id DESC", "creation_time", "last_update_time ASC"},
                     "attr:name ASC ; attr:experiment_id DESC ; attr:creation_time ASC ; "
                     "attr:last_update_time ASC"},
                    {{"attribute.name desc"}, "attr:name DESC"},
                },
                /*ok=*/true);
  ExpectOrderBy(&ParseExperimentOrderBy,
                {
                    {{"tags.x"}, "Invalid order_by entity: tag at position 0"},
                    {{"run_id"},
                     "Invalid attribute key 'run_id' specified. Valid keys are '['creation_time', "
                     "'experiment_id', 'last_update_time', 'name']' at position 0"},
                    {{"metrics.acc"},
                     "Invalid entity type 'metrics'. Valid entity types are ('attribute', 'tag', "
                     "'tags') at position 0"},
                    {{"name", "name DESC"},
                     "`order_by` contains duplicate fields: 'name DESC' at position 0"},
                },
                /*ok=*/false);
}

TEST(SearchParserTest, FilterLimits) {
  auto clauses = [](size_t n) {
    std::string f = "metrics.m0 > 0";
    for (size_t i = 1; i < n; ++i) f += " AND metrics.m" + std::to_string(i) + " > 0";
    return f;
  };
  EXPECT_TRUE(ParseRunFilter(clauses(kMaxFilterClauses)).ok());
  absl::StatusOr<std::vector<Comparison>> many = ParseRunFilter(clauses(kMaxFilterClauses + 1));
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(many.status().message().find("comparison 101 is over the limit of 100 at position " +
                                         std::to_string(clauses(kMaxFilterClauses).size() + 5)),
            std::string::npos);
  EXPECT_FALSE(ParseExperimentFilter(clauses(1000)).ok());

  std::string big = "tags.t = '" + std::string(kMaxFilterBytes, 'x') + "'";
  absl::StatusOr<std::vector<Comparison>> long_filter = ParseModelVersionFilter(big);
  ASSERT_FALSE(long_filter.ok());
  EXPECT_EQ(long_filter.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(long_filter.status().message().find("over the limit of 65536 at position 65536"),
            std::string::npos);
}
}  // namespace
}  // namespace ferry
