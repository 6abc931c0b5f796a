// Listing and counting: range-for, page-wise cursors, sticky end, filters, counts.
#include <algorithm>
#include <set>

#include "test_support.hpp"

using kili_test::contains;
using kili_test::EmulatorTest;
using kili_test::string_value;
using kili_test::string_values;

namespace {

std::vector<std::string> ids_of(kili::Cursor& cursor) {
  std::vector<std::string> ids;
  for (const std::string& asset : cursor) ids.push_back(string_value(asset, "id"));
  return ids;
}

}  // namespace

TEST_F(EmulatorTest, RangeForYieldsEveryAssetOfTheProjectOnce) {
  std::vector<std::string> ids;
  for (const std::string& asset : client.assets(args())) {
    EXPECT_EQ(asset.front(), '{') << asset;
    ids.push_back(string_value(asset, "id"));
  }
  ASSERT_EQ(ids.size(), 12u);
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), 12u);
  EXPECT_EQ(unique.count("asset-01"), 1u);
  EXPECT_EQ(unique.count("asset-12"), 1u);
  EXPECT_EQ(unique.count("secret-01"), 0u) << "an asset of another project leaked in";
}

TEST_F(EmulatorTest, SmallPagesStillYieldEverything) {
  for (const char* page_size : {"1", "3", "5", "10"}) {
    kili::Client paged(emu.options(kili_test::kApiKey, std::string(",\"prefetch_pages\":1,\"page_size\":") + page_size));
    kili::Cursor cursor = paged.assets(args());
    std::vector<std::string> ids = ids_of(cursor);
    EXPECT_EQ(ids.size(), 12u) << "page_size " << page_size;
    EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 12u) << "page_size " << page_size;
    EXPECT_EQ(cursor.error().status, kili::Status::Done) << cursor.error().message;
  }
}

TEST_F(EmulatorTest, FieldsSelectsTheReturnedKeys) {
  kili::Cursor cursor = client.assets(args(",\"fields\":[\"id\",\"externalId\"],\"first\":1"));
  std::optional<std::string> item = cursor.next();
  ASSERT_TRUE(item.has_value());
  EXPECT_TRUE(contains(*item, "\"externalId\":\"ext-")) << *item;
  EXPECT_FALSE(contains(*item, "\"content\"")) << *item;
  EXPECT_FALSE(cursor.next().has_value());
}

TEST_F(EmulatorTest, FirstAndSkipSliceTheListing) {
  kili::Cursor all = client.assets(args());
  std::vector<std::string> full = ids_of(all);
  ASSERT_EQ(full.size(), 12u);
  kili::Cursor slice = client.assets(args(",\"skip\":3,\"first\":4"));
  std::vector<std::string> got = ids_of(slice);
  EXPECT_EQ(got, std::vector<std::string>(full.begin() + 3, full.begin() + 7));
}

TEST_F(EmulatorTest, NextReturnsItemsThenNulloptForever) {
  kili::Cursor cursor = client.assets(args(",\"first\":2"));
  EXPECT_TRUE(cursor.next().has_value());
  EXPECT_TRUE(cursor.next().has_value());
  EXPECT_FALSE(cursor.next().has_value());
  EXPECT_FALSE(cursor.next().has_value()) << "DONE must be sticky";
  // A range-for over an exhausted cursor does nothing.
  int n = 0;
  for (const auto& a : cursor) {
    (void)a;
    ++n;
  }
  EXPECT_EQ(n, 0);
}

TEST_F(EmulatorTest, NextPageReturnsJsonArraysOfAtMostMaxItems) {
  kili::Cursor cursor = client.assets(args(",\"fields\":[\"id\"]"));
  std::vector<size_t> sizes;
  std::set<std::string> ids;
  while (std::optional<std::string> page = cursor.next_page(5)) {
    ASSERT_EQ(page->front(), '[') << *page;
    ASSERT_EQ(page->back(), ']') << *page;
    auto v = string_values(*page, "id");
    sizes.push_back(v.size());
    ids.insert(v.begin(), v.end());
  }
  EXPECT_EQ(ids.size(), 12u);
  for (size_t s : sizes) {
    EXPECT_GE(s, 1u);
    EXPECT_LE(s, 5u);
  }
  EXPECT_FALSE(cursor.next_page(5).has_value());
}

TEST_F(EmulatorTest, IteratorAndPagesCanBeMixed) {
  kili::Cursor cursor = client.assets(args(",\"fields\":[\"id\"]"));
  auto it = cursor.begin();
  ASSERT_NE(it, cursor.end());
  std::string first = string_value(*it, "id");
  std::optional<std::string> page = cursor.next_page(100);
  ASSERT_TRUE(page.has_value());
  auto rest = string_values(*page, "id");
  EXPECT_EQ(rest.size(), 11u) << "the page continues after the item the iterator consumed";
  EXPECT_EQ(std::count(rest.begin(), rest.end(), first), 0);
  EXPECT_FALSE(cursor.next_page(100).has_value());
}

TEST_F(EmulatorTest, ExpectedTotalIsKnownOnceListingStarted) {
  kili::Cursor cursor = client.assets(args(",\"first\":5"));
  ASSERT_TRUE(cursor.next().has_value());
  std::optional<std::int64_t> total = cursor.expected_total();
  ASSERT_TRUE(total.has_value());
  EXPECT_EQ(*total, 5);
}

TEST_F(EmulatorTest, StatusFilterRestrictsTheListing) {
  kili::Cursor cursor = client.assets(args(",\"status_in\":[\"LABELED\"],\"fields\":[\"id\",\"status\"]"));
  int n = 0;
  for (const std::string& asset : cursor) {
    EXPECT_EQ(string_value(asset, "status"), "LABELED") << asset;
    ++n;
  }
  EXPECT_EQ(n, 4);
}

TEST_F(EmulatorTest, CountAssetsCountsTheProjectAndFilters) {
  EXPECT_EQ(client.count_assets(args()), 12u);
  EXPECT_EQ(client.count_assets(args(",\"status_in\":[\"TODO\"]")), 6u);
  EXPECT_EQ(client.count_assets(args(",\"external_id_strictly_in\":[\"ext-01\",\"ext-02\",\"nope\"]")), 2u);
  EXPECT_EQ(client.count_assets(args(",\"asset_id_in\":[\"asset-03\"]")), 1u);
}

TEST_F(EmulatorTest, CountAssetsWithCallOptions) {
  kili::CancelToken token;  // never triggered
  EXPECT_EQ(client.count_assets(args(), kili::CallOptions(std::chrono::seconds(30), token)), 12u);
  EXPECT_EQ(client.count_assets(args(), std::chrono::seconds(30)), 12u);
  EXPECT_EQ(client.count_assets(args(), token), 12u);
  EXPECT_EQ(kili::CallOptions(std::chrono::microseconds(1500)).to_c().timeout_ms, 2u) << "rounded up";
  EXPECT_EQ(kili::CallOptions(token).to_c().cancel, token.raw());
}

TEST_F(EmulatorTest, CursorOutlivesItsClient) {
  kili::Cursor cursor;
  {
    kili::Client scoped(emu.options(kili_test::kApiKey, ",\"page_size\":2"));
    cursor = scoped.assets(args());
  }  // client destroyed here; the cursor keeps what it needs
  EXPECT_EQ(ids_of(cursor).size(), 12u);
}
