#include "core/paging.h"

#include <gtest/gtest.h>

#include "common/strings.h"

namespace ferry {
namespace {

TEST(PagingTest, TrimToPageDropsTheLookAheadRow) {
  std::vector<int> rows = {1, 2, 3, 4};
  Page<std::string> page;
  TrimToPage(rows, 3, 6, page);
  EXPECT_EQ(rows, (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(page.has_more);
  EXPECT_EQ(page.next_offset, 9);

  std::vector<int> last = {1, 2, 3};
  Page<std::string> last_page;
  TrimToPage(last, 3, 6, last_page);
  EXPECT_EQ(last.size(), 3u);
  EXPECT_FALSE(last_page.has_more);

  std::vector<int> unlimited = {1, 2, 3};
  Page<std::string> all;
  TrimToPage(unlimited, 0, 0, all);  // no limit
  EXPECT_EQ(unlimited.size(), 3u);
  EXPECT_FALSE(all.has_more);
}

TEST(PagingTest, ToSearchResultEncodesTheNextOffset) {
  Page<int> page;
  page.items = {7, 8};
  page.has_more = true;
  page.next_offset = 2;
  SearchResult<int> result = ToSearchResult(std::move(page));
  EXPECT_EQ(result.items, (std::vector<int>{7, 8}));
  EXPECT_EQ(DecodePageToken(result.next_page_token).value_or(-1), 2);

  Page<int> final_page;
  final_page.items = {1};
  EXPECT_EQ(ToSearchResult(std::move(final_page)).next_page_token, "");
}

TEST(PagingTest, PageTokensRoundTripAndRejectGarbage) {
  EXPECT_EQ(DecodePageToken("").value_or(-1), 0);
  EXPECT_EQ(DecodePageToken(EncodePageToken(1234)).value_or(-1), 1234);
  EXPECT_FALSE(DecodePageToken("not base64!").ok());
  EXPECT_FALSE(DecodePageToken(Base64Encode("{\"offset\": -1}")).ok());
  EXPECT_FALSE(DecodePageToken(Base64Encode("[1]")).ok());
}

}  // namespace
}  // namespace ferry
