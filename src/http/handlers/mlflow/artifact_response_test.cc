#include "http/handlers/mlflow/artifact_response.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

namespace ferry::http {
namespace {

// An in-memory blob without a file descriptor (Read() only).
class StringReader : public store::BlobReader {
 public:
  explicit StringReader(std::string data) : data_(std::move(data)) {}
  int64_t size() const override { return static_cast<int64_t>(data_.size()); }
  int fd() const override { return -1; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    size_t take = std::min(n, data_.size() - offset_);
    std::memcpy(buf, data_.data() + offset_, take);
    offset_ += take;
    return take;
  }

 private:
  std::string data_;
  size_t offset_ = 0;
};

std::string Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return "";
}

std::string Drain(BodySource& source) {
  std::string out;
  char buf[3];  // small reads exercise the skip and the cap
  while (true) {
    auto n = source.Read(buf, sizeof(buf));
    EXPECT_TRUE(n.ok());
    if (!n.ok() || *n == 0) return out;
    out.append(buf, *n);
  }
}

HttpResponse Send(const std::string& data, const char* range) {
  tracking::ArtifactDownload d;
  d.reader = std::make_unique<StringReader>(data);
  HttpRequest req;
  if (range != nullptr) req.headers.emplace_back("range", range);
  return ArtifactFileResponse(std::move(d), "run/artifacts/notes.txt", req);
}

// Expected values are what MLflow 2.12.2's _guess_mime_type answers on Python 3.11.
TEST(ArtifactResponse, GuessMimeTypeAsMlflow) {
  static const struct {
    const char* path;
    const char* type;
  } cases[] = {
      {"a/MLmodel", "text/plain"},
      {"MLproject", "text/plain"},
      {"conda.yaml", "text/plain"},
      {"metrics.json", "text/plain"},
      {"x.csv", "text/plain"},
      {"README.md", "text/plain"},
      {"page.html", "text/html"},
      {"plot.PNG", "image/png"},
      {"m.pkl", "application/octet-stream"},
      {"d.tar.gz", "application/x-tar"},
      {"d.tgz", "application/x-tar"},
      {"x.gz", "application/octet-stream"},
      {"img.svg", "image/svg+xml"},
      {"doc.pdf", "application/pdf"},
      {".bashrc", "application/octet-stream"},
      {"noext", "application/octet-stream"},
      {"TXT.TXT", "text/plain"},
  };
  for (const auto& c : cases) EXPECT_EQ(GuessMimeType(c.path), c.type) << c.path;
}

// The UI's previews: PDF and audio have their types (.flac, .ogg, .oga, .m4a are Ferry's
// additions to Python's table).
TEST(ArtifactResponse, GuessMimeTypeForPreviews) {
  EXPECT_EQ(GuessMimeType("r/report.pdf"), "application/pdf");
  EXPECT_EQ(GuessMimeType("a/tone.wav"), "audio/x-wav");
  EXPECT_EQ(GuessMimeType("a/tone.mp3"), "audio/mpeg");
  EXPECT_EQ(GuessMimeType("a/tone.ogg"), "audio/ogg");
  EXPECT_EQ(GuessMimeType("a/tone.OGG"), "audio/ogg");
  EXPECT_EQ(GuessMimeType("a/tone.oga"), "audio/ogg");
  EXPECT_EQ(GuessMimeType("a/tone.flac"), "audio/flac");
  EXPECT_EQ(GuessMimeType("a/tone.m4a"), "audio/mp4");
}

TEST(ArtifactResponse, DispositionAsWerkzeug) {
  EXPECT_EQ(AttachmentDisposition("model.pkl"), "attachment; filename=model.pkl");
  EXPECT_EQ(AttachmentDisposition("my plot.png"), "attachment; filename=\"my plot.png\"");
  EXPECT_EQ(AttachmentDisposition("a\"b\\c"), "attachment; filename=\"a\\\"b\\\\c\"");
  EXPECT_EQ(AttachmentDisposition("x\r\nSet-Cookie: y"),
            "attachment; filename=\"x__Set-Cookie: y\"");
  EXPECT_EQ(AttachmentDisposition("r\xC3\xA9sum\xC3\xA9.txt"),
            "attachment; filename=rsum.txt; filename*=UTF-8''r%C3%A9sum%C3%A9.txt");
}

TEST(ArtifactResponse, WholeFileHeaders) {
  HttpResponse r = Send("0123456789", nullptr);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain");
  EXPECT_EQ(Header(r, "Content-Disposition"), "attachment; filename=notes.txt");
  EXPECT_EQ(Header(r, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(Header(r, "Accept-Ranges"), "bytes");
  ASSERT_NE(r.source, nullptr);
  EXPECT_EQ(r.source->size(), 10);
  EXPECT_EQ(Drain(*r.source), "0123456789");
}

TEST(ArtifactResponse, Ranges) {
  static const struct {
    const char* range;
    int status;
    const char* content_range;
    const char* body;
  } cases[] = {
      {"bytes=2-5", 206, "bytes 2-5/10", "2345"}, {"bytes=7-", 206, "bytes 7-9/10", "789"},
      {"bytes=-4", 206, "bytes 6-9/10", "6789"},  {"bytes=-40", 206, "bytes 0-9/10", "0123456789"},
      {"bytes=8-100", 206, "bytes 8-9/10", "89"}, {"BYTES=1-1", 206, "bytes 1-1/10", "1"},
      {"bytes=10-", 416, "bytes */10", ""},       {"bytes=-0", 416, "bytes */10", ""},
      {"bytes=5-2", 200, "", "0123456789"},      // invalid: ignored
      {"bytes=0-1,4-5", 200, "", "0123456789"},  // several ranges: the whole file
      {"items=0-1", 200, "", "0123456789"},
  };
  for (const auto& c : cases) {
    HttpResponse r = Send("0123456789", c.range);
    EXPECT_EQ(r.status, c.status) << c.range;
    EXPECT_EQ(Header(r, "Content-Range"), c.content_range) << c.range;
    std::string body = r.source ? Drain(*r.source) : r.body;
    EXPECT_EQ(body, c.body) << c.range;
    if (r.source) {
      EXPECT_EQ(r.source->size(), static_cast<int64_t>(body.size())) << c.range;
    }
  }
}

}  // namespace
}  // namespace ferry::http
