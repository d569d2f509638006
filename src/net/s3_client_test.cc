// S3 signing against AWS's published Signature Version 4 examples (the S3 API reference,
// "Signature Calculations for the Authorization Header", examples GET Object, PUT Object
// and GET Bucket (List Objects)), and the S3 XML reader. The calls themselves are tested
// against a real S3 server (s3rver) in store/s3's tests and tests/e2e/s3_artifacts.sh.

#include "net/s3_client.h"

#include <string>

#include "gtest/gtest.h"
#include "net/http_client.h"
#include "net/testing/canned_server.h"

namespace ferry::net {
namespace {

using testing::CannedServer;

constexpr char kKeyId[] = "AKIAIOSFODNN7EXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr char kEmptySha[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kOk[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

// The Authorization header a signed request to the canned server carried.
std::string Authorization(ClientRequest req) {
  CannedServer server(kOk);
  auto client = HttpClient::ForUri(server.url());
  EXPECT_TRUE(client.ok()) << client.status();
  client->set_aws_sigv4("us-east-1:s3", kKeyId, kSecret);
  // AWS's examples are for this host at this instant.
  req.headers.emplace_back("Host", "examplebucket.s3.amazonaws.com");
  req.headers.emplace_back("x-amz-date", "20130524T000000Z");
  auto resp = client->Do(req);
  EXPECT_TRUE(resp.ok()) << resp.status();
  const std::string& sent = server.request();
  const size_t at = sent.find("Authorization: ");
  if (at == std::string::npos) return "";
  return sent.substr(at, sent.find("\r\n", at) - at);
}

constexpr char kCredential[] =
    "Authorization: AWS4-HMAC-SHA256 "
    "Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ";

TEST(S3SigningTest, GetObjectExample) {
  ClientRequest req;
  req.target = "/test.txt";
  req.headers = {{"Range", "bytes=0-9"}, {"x-amz-content-sha256", kEmptySha}};
  EXPECT_EQ(Authorization(req),
            std::string(kCredential) +
                "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(S3SigningTest, PutObjectExampleSignsNoRemovedHeaders) {
  ClientRequest req;
  req.method = "PUT";
  req.target = "/test%24file.text";
  req.body = "Welcome to Amazon S3.";
  req.headers = {
      {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
      {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
      {"x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"}};
  // An unsigned client removes "Expect:"; libcurl would sign that removal as "expect;".
  EXPECT_EQ(Authorization(req),
            std::string(kCredential) +
                "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
                "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(S3SigningTest, ListObjectsExampleWithQuery) {
  ClientRequest req;
  req.target = "/?max-keys=2&prefix=J";
  req.headers = {{"x-amz-content-sha256", kEmptySha}};
  EXPECT_EQ(Authorization(req),
            std::string(kCredential) +
                "SignedHeaders=host;x-amz-content-sha256;x-amz-date, "
                "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(S3SigningTest, OtherOriginsAreNotSigned) {
  CannedServer server(kOk);
  auto client = HttpClient::ForUri("http://127.0.0.1:1");
  ASSERT_TRUE(client.ok());
  client->set_aws_sigv4("us-east-1:s3", kKeyId, kSecret);
  ClientRequest req;
  req.target = server.url() + "/elsewhere";
  ASSERT_TRUE(client->Do(req).ok());
  EXPECT_EQ(server.request().find("Authorization"), std::string::npos);
}

TEST(S3ClientTest, RefusesBucketNamesThatCouldChangeTheUrl) {
  S3Config config;
  config.endpoint_url = "http://127.0.0.1:1";
  for (const char* bad : {"", "ab", "a/b", "Bucket", "-abc", "abc.", "a?b=c", "a b"}) {
    config.bucket = bad;
    EXPECT_EQ(S3Client::Create(config).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  config.bucket = "ml-artifacts.team1";
  EXPECT_TRUE(S3Client::Create(config).ok());
}

TEST(S3ClientTest, UnreachableEndpointIsUnavailable) {
  S3Config config;
  config.bucket = "artifacts";
  config.endpoint_url = "http://127.0.0.1:1";
  auto client = S3Client::Create(config);
  ASSERT_TRUE(client.ok());
  absl::Status st = client->Put("k", "v");
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_NE(st.ToString().find("MLFLOW_S3_ENDPOINT_URL"), std::string::npos) << st;
}

TEST(S3XmlTest, ReadsElementText) {
  const std::string xml =
      "<?xml version=\"1.0\"?><InitiateMultipartUploadResult xmlns=\"x\"><Bucket>b</Bucket>"
      "<Key>k</Key><UploadId>a&amp;b&#x41;&#66;&lt;&gt;&quot;&apos;</UploadId>"
      "<Empty/><Nested><Code>c</Code></Nested></InitiateMultipartUploadResult>";
  EXPECT_EQ(XmlElementText(xml, "UploadId"), "a&bAB<>\"'");
  EXPECT_EQ(XmlElementText(xml, "Key"), "k");
  EXPECT_EQ(XmlElementText(xml, "Empty"), "");
  EXPECT_EQ(XmlElementText(xml, "Code"), "c");
  EXPECT_EQ(XmlElementText(xml, "Ke"), std::nullopt);  // a prefix of a tag is not the tag
  EXPECT_EQ(XmlElementText(xml, "Nested"), std::nullopt);
  EXPECT_EQ(XmlElementText(xml, "Missing"), std::nullopt);
}

TEST(S3XmlTest, RefusesMalformedText) {
  for (const char* xml : {"<A>x", "<A>&bogus;</A>", "<A>&#0;</A>", "<A>&#xD800;</A>",
                          "<A>&#x110000;</A>", "<A>&amp</A>", "<A", "<A>&#;</A>"}) {
    EXPECT_EQ(XmlElementText(xml, "A"), std::nullopt) << xml;
  }
  EXPECT_EQ(XmlElementText("<A>&#x1F600;</A>", "A"), "\xF0\x9F\x98\x80");
}

}  // namespace
}  // namespace ferry::net
