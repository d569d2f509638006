#include "http/handlers/ui/ui_routes.h"

#include <gtest/gtest.h>

#include "common/fs.h"
#include "common/testing/test_dir.h"
#include "http/handlers/ui/ui_assets.h"

namespace ferry::http {
namespace {

const std::string* HeaderOf(const HttpResponse& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return &v;
  }
  return nullptr;
}

class UiRoutesTest : public ::testing::Test {
 protected:
  HttpResponse Get(const std::string& path, HeaderList headers = {}) {
    Router::Match m = router_.Find("GET", path);
    if (m.handler == nullptr) return HttpResponse::Json(m.status, "");
    HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.path_rest = m.path_rest;
    r.headers = std::move(headers);
    return (*m.handler)(r);
  }
  Router router_;
};

TEST(UiAssets, IndexScriptAndStylesAreEmbeddedRawAndGzipped) {
  const auto& assets = ui::EmbeddedAssets();
  ASSERT_GE(assets.size(), 3u);
  for (const ui::Asset& a : assets) {
    EXPECT_FALSE(a.raw.empty()) << a.path;
    EXPECT_EQ(a.gzip.substr(0, 2), "\x1f\x8b") << a.path;  // gzip magic
    EXPECT_EQ(a.etag.size(), 22u) << a.path;               // 20 hex digits, quoted
  }
  EXPECT_EQ(assets[0].path, "index.html");
  EXPECT_NE(assets[0].raw.find("static/app.js"), std::string_view::npos);
}

TEST_F(UiRoutesTest, IndexWithCspNosniffAndEtag) {
  RegisterUiRoutes(router_, {});
  HttpResponse r = Get("/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<title>Ferry</title>"), std::string::npos);
  ASSERT_NE(HeaderOf(r, "Content-Security-Policy"), nullptr);
  const std::string& csp = *HeaderOf(r, "Content-Security-Policy");
  EXPECT_EQ(csp.rfind("default-src 'self';", 0), 0u);
  // Frames: the UI's own and the PDF preview's blob: (made by the page); no plugins.
  EXPECT_NE(csp.find("frame-src 'self' blob:;"), std::string::npos);
  // Media: the UI's own and the audio preview's blob: outside `default`; nothing else.
  EXPECT_NE(csp.find("media-src 'self' blob:;"), std::string::npos);
  EXPECT_EQ(csp.find("connect-src"), std::string::npos);
  EXPECT_NE(csp.find("object-src 'none';"), std::string::npos);
  EXPECT_EQ(*HeaderOf(r, "X-Content-Type-Options"), "nosniff");
  const std::string etag = *HeaderOf(r, "ETag");
  HttpResponse again = Get("/", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(UiRoutesTest, ScriptGzippedOnlyWhenAccepted) {
  RegisterUiRoutes(router_, {});
  HttpResponse plain = Get("/static/app.js");
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), nullptr);
  HttpResponse gz = Get("/static/app.js", {{"accept-encoding", "gzip, deflate, br"}});
  ASSERT_NE(HeaderOf(gz, "Content-Encoding"), nullptr);
  EXPECT_EQ(*HeaderOf(gz, "Content-Encoding"), "gzip");
  EXPECT_LT(gz.body.size(), plain.body.size());
  EXPECT_EQ(Get("/static/app.css").content_type, "text/css; charset=utf-8");
}

TEST_F(UiRoutesTest, OnlyTheUisOwnFileNames) {
  RegisterUiRoutes(router_, {});
  for (const char* path : {"/static/..", "/static/../index.html", "/static/.hidden",
                           "/static/a/b.js", "/static/missing.js", "/static/%2e%2e"}) {
    HttpResponse r = Get(path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find('/'), std::string::npos) << path << ": " << r.body;  // no paths leak
  }
}

TEST_F(UiRoutesTest, NoUiLeavesTheRootToTheApi) {
  RegisterUiRoutes(router_, {false, ""});
  EXPECT_EQ(Get("/").status, 404);
  EXPECT_EQ(Get("/static/app.js").status, 404);
}

TEST_F(UiRoutesTest, UiDirServesADevelopmentCopyFromDisk) {
  testing::TestDir dir("ui-dir");
  ASSERT_TRUE(WriteFileAtomic(JoinPath(dir.path(), "index.html"), "<p>dev copy</p>").ok());
  ASSERT_TRUE(MakeDirs(JoinPath(dir.path(), "static")).ok());
  ASSERT_TRUE(WriteFileAtomic(JoinPath(dir.path(), "static/app.js"), "console.log(1)").ok());
  RegisterUiRoutes(router_, {true, dir.path()});
  EXPECT_EQ(Get("/").body, "<p>dev copy</p>");
  EXPECT_EQ(Get("/static/app.js").body, "console.log(1)");
  EXPECT_EQ(*HeaderOf(Get("/"), "Cache-Control"), "no-store");
  EXPECT_EQ(Get("/static/other.js").status, 404);
}

}  // namespace
}  // namespace ferry::http
