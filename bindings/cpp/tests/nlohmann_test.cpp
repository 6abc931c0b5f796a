// The optional nlohmann::json overloads (built only when nlohmann_json is installed).
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "test_support.hpp"

#if !KILI_CPP_HAS_NLOHMANN
#error "kili.hpp did not pick up <nlohmann/json.hpp>"
#endif

using kili_test::EmulatorTest;
using nlohmann::json;

TEST_F(EmulatorTest, JsonArgumentsWorkForEveryVerb) {
  json in_project = {{"project_id", kili_test::kProject}};
  EXPECT_EQ(client.count_assets(in_project), 12u);

  json query = in_project;
  query["fields"] = {"id", "status"};
  query["status_in"] = {"LABELED"};
  int n = 0;
  for (const std::string& asset : client.assets(query)) {
    EXPECT_EQ(json::parse(asset).at("status"), "LABELED");
    ++n;
  }
  EXPECT_EQ(n, 4);

  json del = in_project;
  del["asset_ids"] = {"asset-01"};
  json result = json::parse(client.delete_many_from_dataset(del));
  EXPECT_EQ(result.at("outcomes").at("succeeded").size(), 1u);

  json rename = in_project;
  rename["asset_ids"] = {"asset-02"};
  rename["new_external_ids"] = {"renamed"};
  client.mutate("change_asset_external_ids", rename);

  kili::ErrorInfo err;
  EXPECT_EQ(client.count_assets(json{{"project_id", kili_test::kProject}, {"nope", 1}}, err), 0u);
  EXPECT_EQ(err.status, kili::Status::InvalidArgument);
  EXPECT_EQ(client.count_assets(in_project, err), 11u);

  // String literals still pick the std::string_view overloads (no ambiguity).
  EXPECT_EQ(client.count_assets("{\"project_id\":\"proj-images\"}"), 11u);
}

TEST_F(EmulatorTest, ErrorDetailsAreParseableJson) {
  try {
    client.count_assets(json{{"project_id", kili_test::kProject}, {"status_in", {"TODO", 3}}});
    FAIL() << "expected kili::InvalidArgumentError";
  } catch (const kili::InvalidArgumentError& e) {
    json details = json::parse(e.details_json());
    EXPECT_EQ(details.at("status"), "INVALID_ARGUMENT");
  }
}

TEST_F(EmulatorTest, JsonArgumentsExportAndEachLineParsesBackToTheCursorItem) {
  char dir[] = "/tmp/kili-cpp-nlohmann-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string out = std::string(dir) + "/out.ndjson";
  json query = {{"project_id", kili_test::kProject}, {"fields", {"id", "jsonMetadata"}}};
  EXPECT_EQ(client.export_assets(query, kili::ExportFormat::Ndjson, out), 12u);
  std::ifstream in(out);
  std::vector<json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(json::parse(line));
  std::vector<json> want;
  for (const std::string& asset : client.assets(query)) want.push_back(json::parse(asset));
  EXPECT_EQ(lines, want);
  kili::ErrorInfo err;
  EXPECT_EQ(client.export_assets(json{{"project_id", "nope"}}, kili::ExportFormat::Csv, out + "2", err), 0u);
  EXPECT_EQ(err.status, kili::Status::NotFound);
  std::remove(out.c_str());
  EXPECT_EQ(rmdir(dir), 0) << "the failed export left a file behind";
}
