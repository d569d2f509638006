#include "package/trust/trust_policy.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "common/fs.h"
#include "common/testing/test_dir.h"

namespace ferry::package {
namespace {

class TrustPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = tmp_.path();
    auto a = PrivateKey::Generate();
    auto b = PrivateKey::Generate();
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_TRUE(MakeDirs(dir_ + "/keys").ok());
    ASSERT_TRUE(a->WritePair(dir_ + "/keys/lnu").ok());
    a_id_ = a->Public().KeyId();
    b_pem_ = b->Public().Pem();
    b_id_ = b->Public().KeyId();
  }

  absl::StatusOr<TrustPolicy> Parse(const std::string& text) {
    return TrustPolicy::Parse(text, dir_, "policy.json");
  }
  std::string InlineB() {
    std::string escaped;
    for (char c : b_pem_) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
    return "{\"pem\":\"" + escaped + "\"}";
  }

  ferry::testing::TestDir tmp_{"ferry-policy-test"};
  std::string dir_, a_id_, b_pem_, b_id_;
};

TEST_F(TrustPolicyTest, LoadsKeysAndMatchesFirstRule) {
  std::string text = R"({"keys":{"lnu":{"path":"keys/lnu.pub"},"acme":)" + InlineB() +
                     R"(},"rules":[{"models":["iris-*","churn"],"keys":["lnu"],
                        "require_provenance":true},{"models":"*","keys":["acme","lnu"]}]})";
  ASSERT_TRUE(WriteFileAtomic(dir_ + "/policy.json", text).ok());
  auto p = TrustPolicy::Load(dir_ + "/policy.json");
  ASSERT_TRUE(p.ok()) << p.status();
  ASSERT_EQ(p->keys().size(), 2u);
  ASSERT_NE(p->FindById(a_id_), nullptr);
  EXPECT_EQ(p->FindById(a_id_)->name, "lnu");
  EXPECT_EQ(p->FindById(b_id_)->name, "acme");
  EXPECT_EQ(p->FindById("00"), nullptr);

  auto iris = p->RuleFor("iris-logreg");
  ASSERT_TRUE(iris.ok());
  EXPECT_TRUE((*iris)->require_provenance);
  EXPECT_TRUE(TrustPolicy::Allows(**iris, "lnu"));
  EXPECT_FALSE(TrustPolicy::Allows(**iris, "acme"));
  auto other = p->RuleFor("fraud");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE((*other)->require_provenance);
  EXPECT_TRUE(TrustPolicy::Allows(**other, "acme"));
}

TEST_F(TrustPolicyTest, NoRuleCoversModel) {
  auto p = Parse(R"({"keys":{"lnu":{"path":"keys/lnu.pub"}},
                     "rules":[{"models":"iris-*","keys":"lnu"}]})");
  ASSERT_TRUE(p.ok()) << p.status();
  auto r = p->RuleFor("churn");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(std::string(r.status().message()).find("covers model 'churn'"), std::string::npos);
}

TEST_F(TrustPolicyTest, MalformedPoliciesNameTheField) {
  struct {
    std::string text;
    std::string want;
  } cases[] = {
      {"not json", "policy.json: not valid JSON"},
      {"[]", "(top level): want an object"},
      {R"({"rules":[]})", "keys: missing"},
      {R"({"keys":{}})", "rules: missing"},
      {R"({"keys":{},"rules":[],"extra":1})", "extra: unknown field"},
      {R"({"keys":{"k":{}},"rules":[]})", "keys.k: exactly one of"},
      {R"({"keys":{"k":{"path":"nope.pub"}},"rules":[]})", "keys.k.path:"},
      {R"({"keys":{"k":{"pem":"garbage"}},"rules":[]})", "keys.k.pem: inline key: not a PEM"},
      {R"({"keys":{"lnu":{"path":"keys/lnu.pub"}},"rules":[{"models":"*","keys":["lnu","x"]}]})",
       "rules[0].keys[1]: unknown key 'x'"},
      {R"({"keys":{"lnu":{"path":"keys/lnu.pub"}},"rules":[{"keys":["lnu"]}]})",
       "rules[0].models: missing"},
      {R"({"keys":{"lnu":{"path":"keys/lnu.pub"}},"rules":[{"models":[1],"keys":"lnu"}]})",
       "rules[0].models[0]: want a string"},
      {R"({"keys":{"lnu":{"path":"keys/lnu.pub"}},
           "rules":[{"models":"*","keys":"lnu","require_provenance":"yes"}]})",
       "rules[0].require_provenance: want true or false"},
      {R"({"keys":{"lnu":{"path":"keys/lnu.pub"}},"rules":[{"models":"*","keys":"lnu","x":1}]})",
       "rules[0].x: unknown field"},
  };
  for (const auto& c : cases) {
    auto p = Parse(c.text);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << c.text;
    EXPECT_NE(std::string(p.status().message()).find(c.want), std::string::npos)
        << p.status() << " wanted " << c.want;
  }
}

TEST_F(TrustPolicyTest, InlinePoliciesRefuseKeyFiles) {
  // A policy from a request must not make the server read its own files.
  auto p = TrustPolicy::ParseInline(R"({"keys":{"lnu":{"path":"/etc/passwd"}},
                                       "rules":[{"models":"*","keys":"lnu"}]})",
                                    "workspace team-a");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(p.status().message(),
            "workspace team-a: keys.lnu.path: key files are not allowed here: give the key "
            "inline as \"pem\"");
  auto inline_ok = TrustPolicy::ParseInline(
      R"({"keys":{"acme":)" + InlineB() + R"(},"rules":[{"models":"*","keys":"acme"}]})",
      "workspace team-a");
  ASSERT_TRUE(inline_ok.ok()) << inline_ok.status();
  EXPECT_EQ(inline_ok->FindById(b_id_)->name, "acme");
}

TEST_F(TrustPolicyTest, MissingFileIsNotFound) {
  EXPECT_EQ(TrustPolicy::Load(dir_ + "/nope.json").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(TrustPolicyTest, ForKeyTrustsEveryModel) {
  auto key = PublicKey::Load(dir_ + "/keys/lnu.pub");
  ASSERT_TRUE(key.ok());
  TrustPolicy p = TrustPolicy::ForKey(*key, "lnu.pub");
  auto r = p.RuleFor("anything");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(TrustPolicy::Allows(**r, "lnu.pub"));
  EXPECT_FALSE((*r)->require_provenance);
}

}  // namespace
}  // namespace ferry::package
