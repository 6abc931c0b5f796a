// The six asset actions, each through its named method, checked by reading the state back.
#include "test_support.hpp"

using kili_test::contains;
using kili_test::EmulatorTest;
using kili_test::string_value;
using kili_test::string_values;

namespace {

/// The JSON of one asset of proj-images selected by id, with the given fields.
std::string read_asset(const kili::Client& c, const std::string& id, const std::string& fields) {
  kili::Cursor cursor = c.assets("{\"project_id\":\"proj-images\",\"asset_id_in\":[\"" + id +
                                 "\"],\"fields\":" + fields + "}");
  std::optional<std::string> item = cursor.next();
  return item ? *item : std::string();
}

}  // namespace

TEST_F(EmulatorTest, AppendManyToDatasetImportsAssets) {
  std::string result = client.append_many_to_dataset(args(
      ",\"content_array\":[\"https://storage.example.com/new/a.jpg\",\"https://storage.example.com/new/b.jpg\"],"
      "\"external_id_array\":[\"new-a\",\"new-b\"],"
      "\"json_metadata_array\":[{\"k\":1},{\"k\":2}]"));
  EXPECT_TRUE(contains(result, "\"result\"")) << result;
  EXPECT_TRUE(contains(result, "\"asset_ids\"")) << result;
  EXPECT_EQ(client.count_assets(args()), 14u);
  EXPECT_EQ(client.count_assets(args(",\"external_id_strictly_in\":[\"new-a\",\"new-b\"]")), 2u);
}

TEST_F(EmulatorTest, UpdatePropertiesInAssetsChangesPriority) {
  std::string result =
      client.update_properties_in_assets(args(",\"asset_ids\":[\"asset-02\"],\"priorities\":[7]"));
  EXPECT_TRUE(contains(result, "asset-02")) << result;
  std::string asset = read_asset(client, "asset-02", "[\"id\",\"priority\"]");
  EXPECT_TRUE(contains(asset, "\"priority\":7")) << asset;
}

TEST_F(EmulatorTest, ChangeAssetExternalIdsRenames) {
  client.change_asset_external_ids(args(",\"asset_ids\":[\"asset-05\"],\"new_external_ids\":[\"renamed-05\"]"));
  std::string asset = read_asset(client, "asset-05", "[\"id\",\"externalId\"]");
  EXPECT_EQ(string_value(asset, "externalId"), "renamed-05") << asset;
  EXPECT_EQ(client.count_assets(args(",\"external_id_strictly_in\":[\"ext-05\"]")), 0u);
}

TEST_F(EmulatorTest, DeleteManyFromDatasetRemovesAssets) {
  std::string result = client.delete_many_from_dataset(args(",\"external_ids\":[\"ext-01\",\"ext-02\"]"));
  auto succeeded = string_values(result, "asset_id");
  EXPECT_EQ(succeeded.size(), 2u) << result;
  EXPECT_EQ(client.count_assets(args()), 10u);
  EXPECT_EQ(client.count_assets(args(",\"asset_id_in\":[\"asset-01\",\"asset-02\"]")), 0u);
}

TEST_F(EmulatorTest, AddToReviewThenSendBackToQueue) {
  // asset-04 is LABELED: it can go to review, then back to the queue.
  std::string reviewed = client.add_to_review(args(",\"asset_ids\":[\"asset-04\"]"));
  EXPECT_TRUE(contains(reviewed, "asset-04")) << reviewed;
  EXPECT_EQ(string_value(read_asset(client, "asset-04", "[\"id\",\"status\"]"), "status"), "TO_REVIEW");

  std::string queued = client.send_back_to_queue(args(",\"asset_ids\":[\"asset-04\"]"));
  EXPECT_TRUE(contains(queued, "asset-04")) << queued;
  EXPECT_EQ(string_value(read_asset(client, "asset-04", "[\"id\",\"status\"]"), "status"), "ONGOING");
}

TEST_F(EmulatorTest, DeclinedItemsAreReportedNotThrown) {
  // asset-01 is TODO: the server declines to review it; that is an outcome, not an error.
  std::string result = client.add_to_review(args(",\"asset_ids\":[\"asset-01\",\"asset-04\"]"));
  EXPECT_TRUE(contains(result, "\"declined\":[{")) << result;
  EXPECT_EQ(string_value(read_asset(client, "asset-01", "[\"id\",\"status\"]"), "status"), "TODO");
}

TEST_F(EmulatorTest, GenericMutateRunsTheNamedAction) {
  client.mutate("delete_many_from_dataset", args(",\"asset_ids\":[\"asset-12\"]"));
  EXPECT_EQ(client.count_assets(args()), 11u);
}

TEST_F(EmulatorTest, UnknownExternalIdIsNotFound) {
  EXPECT_THROW(client.delete_many_from_dataset(args(",\"external_ids\":[\"does-not-exist\"]")), kili::NotFoundError);
  EXPECT_EQ(client.count_assets(args()), 12u) << "nothing may be half-done";
}

TEST(Mutations, FailedItemsRaisePartialFailureWithPerItemOutcomes) {
  // Every addAssetsToReview request fails with HTTP 500 before being applied.
  kili_test::Emulator emu({"--fault-rate", "1", "--fault-kinds", "500", "--fault-operations", "addAssetsToReview",
                           "--fault-mutation-phase", "before"});
  kili::Client client(emu.options(kili_test::kApiKey, ",\"retry_deadline_ms\":300,\"max_attempts_uncertain\":1"));
  const std::string args = "{\"project_id\":\"proj-images\",\"asset_ids\":[\"asset-04\",\"asset-05\"]}";
  // One call only (the library retries an unknown outcome with backoff for a few seconds):
  // through the no-throw overload, then the same ErrorInfo through kili::throw_error.
  kili::ErrorInfo err;
  EXPECT_EQ(client.add_to_review(args, err), "");
  EXPECT_EQ(err.status, kili::Status::PartialFailure);
  EXPECT_TRUE(contains(err.details_json, "asset-05")) << err.details_json;
  try {
    kili::throw_error(err);
  } catch (const kili::PartialFailureError& e) {
    EXPECT_EQ(e.status(), kili::Status::PartialFailure);
    EXPECT_TRUE(contains(e.details_json(), "\"failed\":[{")) << e.details_json();
    EXPECT_TRUE(contains(e.details_json(), "asset-04")) << e.details_json();
  }
  // Nothing was applied.
  EXPECT_EQ(string_value(read_asset(client, "asset-04", "[\"id\",\"status\"]"), "status"), "LABELED");
}

TEST_F(EmulatorTest, TheRestOfTheAssetMethods) {
  // set_assets_priority: asset-01 (TODO) waits for work, asset-04 (LABELED) is declined.
  std::string pr = client.set_assets_priority(args(",\"priority\":6,\"asset_ids\":[\"asset-01\",\"asset-04\"]"));
  EXPECT_TRUE(contains(pr, "\"declined\":[{\"assetId\":\"asset-04\"")) << pr;
  EXPECT_TRUE(contains(read_asset(client, "asset-01", "[\"id\",\"priority\"]"), "\"priority\":6"));

  std::string as = client.assign_assets_to_labelers(
      args(",\"asset_ids\":[\"asset-02\"],\"to_be_labeled_by_array\":[[\"user-alice\"]]"));
  EXPECT_EQ(string_values(as, "asset_id").size(), 1u) << as;
  EXPECT_TRUE(contains(read_asset(client, "asset-02", "[\"id\",\"assignedTo.id\"]"), "user-alice"));

  client.add_metadata(args(",\"asset_ids\":[\"asset-03\"],\"json_metadata\":[{\"extra\":\"x\"}]"));
  std::string meta = read_asset(client, "asset-03", "[\"id\",\"jsonMetadata\"]");
  EXPECT_TRUE(contains(meta, "\"index\":2") && contains(meta, "\"extra\":\"x\"")) << meta;
  client.set_metadata(args(",\"asset_ids\":[\"asset-03\"],\"json_metadata\":[{\"only\":1}]"));
  meta = read_asset(client, "asset-03", "[\"id\",\"jsonMetadata\"]");
  EXPECT_TRUE(contains(meta, "\"jsonMetadata\":{\"only\":1}")) << meta;

  std::string sk = client.skip_or_unskip(args(",\"action\":\"skip\",\"asset_id\":\"asset-06\",\"reason\":\"blurry\""));
  EXPECT_TRUE(contains(sk, "\"result\":\"asset-06\"")) << sk;
  EXPECT_TRUE(contains(read_asset(client, "asset-06", "[\"id\",\"skipped\"]"), "\"skipped\":true"));

  // A legacy-workflow project: the server refuses consensus changes, reported per item.
  EXPECT_THROW(client.update_asset_consensus(args(",\"asset_id\":\"asset-01\",\"is_consensus\":true")),
               kili::PartialFailureError);
  EXPECT_THROW(client.skip_or_unskip(args(",\"action\":\"skip\",\"asset_id\":\"asset-06\"")),
               kili::InvalidArgumentError);
}
