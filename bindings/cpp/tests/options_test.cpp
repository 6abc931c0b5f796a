// Client options and listing options reach the core through the C++ wrapper unchanged: range
// checks happen in the core (the same error in every language), valid values work against the
// emulator, and download_media_errors is an assets() argument, not a client option.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "test_support.hpp"

using kili_test::contains;
using kili_test::EmulatorTest;
using kili_test::string_value;
using kili_test::TempDir;

namespace fs = std::filesystem;

namespace {

/// The error of creating a client from `options_json` (status Ok when creation succeeded).
kili::ErrorInfo creation_error(const std::string& options_json) {
  kili::ErrorInfo err;
  kili::Client c = kili::Client::create(options_json, err);
  EXPECT_EQ(static_cast<bool>(c), !err) << "a client exactly when there is no error";
  return err;
}

}  // namespace

TEST(Options, MutationConcurrencyOutOfRangeFailsInTheCoreNamingTheKey) {
  for (const char* bad : {"0", "65"}) {
    kili::ErrorInfo err = creation_error(std::string("{\"api_key\":\"k\",\"mutation_concurrency\":") + bad + "}");
    EXPECT_EQ(err.status, kili::Status::InvalidArgument) << bad;
    EXPECT_TRUE(contains(err.message, "mutation_concurrency")) << err.message;
    EXPECT_TRUE(contains(err.message, "1..=64")) << err.message;
    EXPECT_TRUE(contains(err.message, bad)) << "names the value given: " << err.message;
  }
  EXPECT_THROW(kili::Client("{\"api_key\":\"k\",\"mutation_concurrency\":65}"), kili::InvalidArgumentError);
  // Beyond u32 and of the wrong type: also the core's errors, naming the key.
  for (const char* bad : {"4294967296", "\"4\"", "-1"}) {
    kili::ErrorInfo err = creation_error(std::string("{\"api_key\":\"k\",\"mutation_concurrency\":") + bad + "}");
    EXPECT_EQ(err.status, kili::Status::InvalidArgument) << bad;
    EXPECT_TRUE(contains(err.message + err.details_json, "mutation_concurrency"))
        << bad << ": " << err.message << " " << err.details_json;
  }
}

TEST(Options, MutationConcurrencyBoundsWorkAgainstTheEmulator) {
  kili_test::Emulator emu;
  int priority = 1;
  for (const char* ok : {"1", "64"}) {
    kili::Client client(emu.options(kili_test::kApiKey, std::string(",\"mutation_concurrency\":") + ok));
    const std::string p = std::to_string(priority++);
    std::string result = client.update_properties_in_assets(
        "{\"project_id\":\"proj-images\",\"asset_ids\":[\"asset-02\",\"asset-03\"],\"priorities\":[" + p + "," + p +
        "]}");
    EXPECT_TRUE(contains(result, "asset-02") && contains(result, "asset-03")) << result;
    kili::Cursor cursor = client.assets(
        "{\"project_id\":\"proj-images\",\"asset_id_in\":[\"asset-02\",\"asset-03\"],\"fields\":[\"id\",\"priority\"]}");
    int n = 0;
    for (const std::string& asset : cursor) {
      EXPECT_TRUE(contains(asset, "\"priority\":" + p + "}") || contains(asset, "\"priority\":" + p + ","))
          << "mutation_concurrency " << ok << ": " << asset;
      ++n;
    }
    EXPECT_EQ(n, 2);
  }
}

TEST(Options, DownloadMediaErrorsIsNotAClientOption) {
  kili::ErrorInfo err = creation_error("{\"api_key\":\"k\",\"download_media_errors\":\"report\"}");
  EXPECT_EQ(err.status, kili::Status::InvalidArgument);
  EXPECT_TRUE(contains(err.message, "download_media_errors")) << err.message;
}

TEST_F(EmulatorTest, DownloadMediaErrorsInvalidValueFailsNamingTheKey) {
  for (const char* extra : {",\"download_media_errors\":\"ignore\"",
                            ",\"download_media_errors\":\"ignore\",\"download_media\":true"}) {
    kili::ErrorInfo err;
    kili::Cursor cursor = client.assets(args(extra), err);
    EXPECT_FALSE(static_cast<bool>(cursor)) << extra;
    EXPECT_EQ(err.status, kili::Status::InvalidArgument) << extra;
    EXPECT_TRUE(contains(err.message, "download_media_errors")) << err.message;
    EXPECT_TRUE(contains(err.message, "ignore")) << "names the value given: " << err.message;
  }
  try {
    client.assets(args(",\"download_media_errors\":1"));
    FAIL() << "expected kili::InvalidArgumentError";
  } catch (const kili::InvalidArgumentError& e) {
    EXPECT_TRUE(contains(e.message() + e.details_json(), "download_media_errors")) << e.message();
  }
  // Accepted without download_media (where it changes nothing).
  for (const char* ok : {"raise", "report"}) {
    kili::Cursor cursor = client.assets(args(std::string(",\"fields\":[\"id\"],\"download_media_errors\":\"") + ok + "\""));
    int n = 0;
    for (const std::string& asset : cursor) {
      EXPECT_FALSE(contains(asset, "downloadErrors")) << asset;
      ++n;
    }
    EXPECT_EQ(n, 12) << ok;
  }
}

TEST_F(EmulatorTest, DownloadMediaErrorsReportDeliversTheAssetRaiseFails) {
  // An asset whose content is a file the emulator does not have (404).
  const std::string endpoint = emu.endpoint();
  const std::string missing =
      endpoint.substr(0, endpoint.size() - std::string("/graphql").size()) + "/files?id=no/such/file.jpg";
  client.append_many_to_dataset(args(",\"content_array\":[\"" + missing + "\"],\"external_id_array\":[\"broken\"]"));
  TempDir dir("options");
  const std::string query = args(",\"external_id_strictly_in\":[\"broken\"],\"fields\":[\"id\",\"externalId\",\"content\"],"
                                 "\"download_media\":true,\"local_media_dir\":\"" +
                                 dir.str() + "\"");

  // report: the asset is delivered with its URL kept and the failure listed.
  kili::Cursor reported = client.assets(query.substr(0, query.size() - 1) + ",\"download_media_errors\":\"report\"}");
  std::optional<std::string> asset = reported.next();
  ASSERT_TRUE(asset.has_value());
  EXPECT_EQ(string_value(*asset, "externalId"), "broken") << *asset;
  EXPECT_TRUE(contains(*asset, "\"downloadErrors\":[{")) << *asset;
  EXPECT_TRUE(contains(*asset, "NOT_FOUND")) << *asset;
  EXPECT_TRUE(contains(*asset, "no/such/file.jpg")) << *asset;
  EXPECT_FALSE(reported.next().has_value());

  // raise (also the default): the listing fails with the download's error.
  for (const std::string& q : {query.substr(0, query.size() - 1) + ",\"download_media_errors\":\"raise\"}", query}) {
    kili::Cursor raised = client.assets(q);
    EXPECT_THROW(raised.next(), kili::NotFoundError) << q;
  }
}

TEST(Options, TypedOptionsWriteTheJsonObjectInOrderEscapingStrings) {
  kili::Options o;
  o.api_key("k\"\\\n\x01")
      .page_size(10)
      .prefetch_pages(0)
      .verify_tls(false)
      .raw("keep_json_raw", "true")
      .page_size(20);  // set again: replaced in place
  EXPECT_EQ(o.to_json(),
            "{\"api_key\":\"k\\\"\\\\\\n\\u0001\",\"page_size\":20,\"prefetch_pages\":0,\"verify_tls\":false,"
            "\"keep_json_raw\":true}");
  EXPECT_EQ(kili::Options().to_json(), "{}");
}

TEST(Options, TypedOptionsWorkAgainstTheEmulator) {
  kili_test::Emulator emu;
  for (std::uint32_t prefetch : {0u, 2u}) {
    const auto options = kili::Options()
                             .api_endpoint(emu.endpoint())
                             .api_key(kili_test::kApiKey)
                             .rate_limit_per_minute(0)
                             .page_size(5)
                             .prefetch_pages(prefetch)
                             .mutation_concurrency(2)
                             .client_name("options-test");
    kili::ErrorInfo err;
    kili::Client client = kili::Client::create(options, err);
    ASSERT_FALSE(err) << err.message;
    const std::string args = "{\"project_id\":\"proj-images\",\"fields\":[\"id\"]}";
    std::uint64_t n = 0;
    kili::Cursor cursor = client.assets(args, err);
    ASSERT_FALSE(err) << err.message;
    for (const auto& asset : cursor) {
      EXPECT_TRUE(contains(std::string(asset), "\"id\":")) << std::string(asset);
      n++;
    }
    const std::string count_args = "{\"project_id\":\"proj-images\"}";
    EXPECT_EQ(n, client.count_assets(count_args, err)) << "prefetch " << prefetch << ": every asset, in pages of 5";
    EXPECT_FALSE(err) << err.message;
    EXPECT_EQ(n, 12u);
    // The throwing constructor takes the same options.
    kili::Client thrown(options);
    EXPECT_EQ(thrown.count_assets(count_args), 12u);
  }
}

TEST(Options, TypedOptionsOutOfRangeFailInTheCoreNamingTheKey) {
  struct Case {
    kili::Options options;
    const char* key;
  };
  const Case cases[] = {
      {kili::Options().api_key("k").mutation_concurrency(0), "mutation_concurrency"},
      {kili::Options().api_key("k").page_size(0), "page_size"},
      {kili::Options().api_key("k").raw("page_sise", "10"), "page_size"},  // "did you mean"
  };
  for (const auto& c : cases) {
    kili::ErrorInfo err;
    kili::Client client = kili::Client::create(c.options, err);
    EXPECT_FALSE(static_cast<bool>(client));
    EXPECT_EQ(err.status, kili::Status::InvalidArgument) << c.options.to_json();
    EXPECT_TRUE(contains(err.message + err.details_json, c.key)) << c.key << ": " << err.message;
    EXPECT_THROW(kili::Client{c.options}, kili::InvalidArgumentError);
  }
}
