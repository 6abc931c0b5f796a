// Error mapping: each C status becomes its kili::Error subclass (with message and details),
// the no-throw overloads report the same through kili::ErrorInfo, and std::error_code works.
#include "test_support.hpp"

using kili_test::contains;
using kili_test::EmulatorTest;

TEST(Status, ValuesMatchTheCAbiAndNameThemselves) {
  EXPECT_EQ(static_cast<int>(kili::Status::Ok), KILI_OK);
  EXPECT_EQ(static_cast<int>(kili::Status::PartialFailure), KILI_PARTIAL_FAILURE);
  EXPECT_STREQ(kili::status_name(kili::Status::NotFound), "KILI_NOT_FOUND");
  std::error_code ec = kili::Status::Timeout;
  EXPECT_EQ(ec.category().name(), std::string("kili"));
  EXPECT_EQ(ec.message(), "KILI_TIMEOUT");
  EXPECT_EQ(ec, kili::Status::Timeout);
}

TEST(Version, LibraryMatchesHeader) {
  EXPECT_STREQ(kili::version(), KILI_VERSION);
  EXPECT_EQ(kili::abi_version(), static_cast<std::uint32_t>(KILI_ABI_VERSION));
}

TEST_F(EmulatorTest, UnknownArgumentThrowsInvalidArgumentNamingIt) {
  try {
    client.count_assets(args(",\"status_inn\":[\"TODO\"]"));
    FAIL() << "expected kili::InvalidArgumentError";
  } catch (const kili::InvalidArgumentError& e) {
    EXPECT_EQ(e.status(), kili::Status::InvalidArgument);
    EXPECT_EQ(e.code(), kili::Status::InvalidArgument);
    EXPECT_TRUE(contains(e.message(), "status_inn")) << e.message();
    EXPECT_TRUE(contains(e.message(), "status_in")) << "closest valid name: " << e.message();
    EXPECT_TRUE(contains(e.what(), "KILI_INVALID_ARGUMENT")) << e.what();
    EXPECT_TRUE(contains(e.details_json(), "\"status\"")) << e.details_json();
  }
}

TEST_F(EmulatorTest, IllTypedArgumentNamesThePath) {
  try {
    client.assets(args(",\"status_in\":[\"TODO\",\"NOT_A_STATUS\"]"));
    FAIL() << "expected kili::InvalidArgumentError";
  } catch (const kili::InvalidArgumentError& e) {
    EXPECT_TRUE(contains(e.message() + e.details_json(), "status_in[1]"))
        << e.message() << " " << e.details_json();
  }
}

TEST_F(EmulatorTest, InvalidJsonIsAnInvalidArgument) {
  EXPECT_THROW(client.count_assets("{\"project_id\": "), kili::InvalidArgumentError);
  EXPECT_THROW(client.assets("[1,2]"), kili::InvalidArgumentError);
  EXPECT_THROW(client.delete_many_from_dataset("not json"), kili::InvalidArgumentError);
}

TEST_F(EmulatorTest, SubclassesAreCatchableAsTheBaseClass) {
  try {
    client.count_assets("{}");  // project_id is required
    FAIL() << "expected an error";
  } catch (const kili::Error& e) {
    EXPECT_EQ(e.status(), kili::Status::InvalidArgument);
    EXPECT_NE(dynamic_cast<const kili::InvalidArgumentError*>(&e), nullptr);
    EXPECT_NE(dynamic_cast<const std::runtime_error*>(&e), nullptr);
  }
}

TEST_F(EmulatorTest, InvisibleProjectIsNotFound) {
  try {
    client.assets("{\"project_id\":\"proj-secret\"}");
    FAIL() << "expected kili::NotFoundError";
  } catch (const kili::NotFoundError& e) {
    EXPECT_EQ(e.status(), kili::Status::NotFound);
    EXPECT_TRUE(contains(e.message(), "proj-secret")) << e.message();
  }
  EXPECT_THROW(client.assets("{\"project_id\":\"no-such-project\"}"), kili::NotFoundError);
}

TEST_F(EmulatorTest, UnknownApiKeyIsAnAuthError) {
  // The key is checked at creation or at the first call, depending on the library.
  EXPECT_THROW(
      {
        kili::Client bad(emu.options("not-a-key"));
        bad.count_assets(args());
      },
      kili::AuthError);
}

TEST_F(EmulatorTest, TheApiKeyNeverAppearsInErrors) {
  const std::string key = "secret-key-that-must-not-leak";
  kili::ErrorInfo err;
  kili::Client bad = kili::Client::create(emu.options(key.c_str()), err);
  if (!err) bad.count_assets(args(), err);
  ASSERT_TRUE(static_cast<bool>(err));
  EXPECT_FALSE(contains(err.message, key)) << err.message;
  EXPECT_FALSE(contains(err.details_json, key)) << err.details_json;
}

TEST(Errors, UnreachableServerIsANetworkError) {
  // Port 1 on loopback: nothing listens there, the connection is refused at once.
  std::string opts =
      "{\"api_endpoint\":\"http://127.0.0.1:1/api/label/v2/graphql\",\"api_key\":\"k\","
      "\"retry_deadline_ms\":500}";
  EXPECT_THROW(
      {
        kili::Client c(opts);
        c.count_assets("{\"project_id\":\"p\"}");
      },
      kili::NetworkError);
}

TEST(Errors, BadClientOptionsAreInvalidArgument) {
  EXPECT_THROW(kili::Client("{\"api_key\":\"k\",\"page_sise\":3}"), kili::InvalidArgumentError);
  EXPECT_THROW(kili::Client("{\"api_key\":\"k\",\"page_size\":\"many\"}"), kili::InvalidArgumentError);
  EXPECT_THROW(kili::Client("not json"), kili::InvalidArgumentError);
}

TEST_F(EmulatorTest, UnknownActionIsInvalidArgument) {
  try {
    client.mutate("delete_everything", args());
    FAIL() << "expected kili::InvalidArgumentError";
  } catch (const kili::InvalidArgumentError& e) {
    EXPECT_TRUE(contains(e.message(), "delete_everything") || contains(e.message(), "action")) << e.message();
  }
}

TEST_F(EmulatorTest, NextPageWithZeroMaxItemsIsInvalidArgument) {
  kili::Cursor cursor = client.assets(args());
  EXPECT_THROW(cursor.next_page(0), kili::InvalidArgumentError);
}

TEST_F(EmulatorTest, NoThrowOverloadsReportThroughErrorInfo) {
  kili::ErrorInfo err;
  EXPECT_EQ(client.count_assets("{\"status_in\":[\"TODO\"]}", err), 0u);  // no project_id
  EXPECT_EQ(err.status, kili::Status::InvalidArgument);
  EXPECT_TRUE(static_cast<bool>(err));
  EXPECT_EQ(err.code(), kili::Status::InvalidArgument);
  EXPECT_TRUE(contains(err.message, "project_id")) << err.message;

  kili::Cursor none = client.assets("{\"project_id\":\"proj-secret\"}", err);
  EXPECT_FALSE(static_cast<bool>(none));
  EXPECT_EQ(err.status, kili::Status::NotFound);

  EXPECT_EQ(client.count_assets(args(), err), 12u);
  EXPECT_FALSE(static_cast<bool>(err)) << "a success clears the ErrorInfo";

  EXPECT_EQ(client.delete_many_from_dataset("{", err), "");
  EXPECT_EQ(err.status, kili::Status::InvalidArgument);

  kili::Cursor cursor = client.assets(args(",\"first\":1"), err);
  ASSERT_FALSE(static_cast<bool>(err));
  std::string item;
  EXPECT_EQ(cursor.next(item, err), kili::Status::Ok);
  EXPECT_FALSE(item.empty());
  EXPECT_EQ(cursor.next(item, err), kili::Status::Done);
  EXPECT_TRUE(item.empty());
  EXPECT_FALSE(static_cast<bool>(err));
}

TEST(Errors, CreateReportsFailureWithoutThrowing) {
  kili::ErrorInfo err;
  kili::Client c = kili::Client::create("{\"api_key\":\"k\",\"unknown_option\":1}", err);
  EXPECT_FALSE(static_cast<bool>(c));
  EXPECT_EQ(err.status, kili::Status::InvalidArgument);
  EXPECT_TRUE(contains(err.message, "unknown_option")) << err.message;
}

TEST(Errors, EmptyClientFailsCleanly) {
  kili::Client empty;
  EXPECT_EQ(empty.raw(), nullptr);
  EXPECT_THROW(empty.count_assets("{\"project_id\":\"p\"}"), kili::InvalidArgumentError);
  EXPECT_THROW(empty.assets("{\"project_id\":\"p\"}"), kili::InvalidArgumentError);
  EXPECT_THROW(empty.add_to_review("{\"project_id\":\"p\",\"asset_ids\":[\"a\"]}"), kili::InvalidArgumentError);
  EXPECT_THROW(empty.on_event([](std::string_view) {}), kili::InvalidArgumentError);
  kili::Cursor none;
  EXPECT_THROW(none.next(), kili::InvalidArgumentError);
  EXPECT_FALSE(none.expected_total().has_value());
}
