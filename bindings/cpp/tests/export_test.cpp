// Streaming export (kili_assets_export): NDJSON and CSV to a path and to a file descriptor,
// compared with the cursor's output; bad format, unknown project and cancellation leave no file.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "test_support.hpp"

using kili_test::contains;
using kili_test::EmulatorTest;
using kili_test::string_value;
using kili_test::TempDir;

namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::vector<std::string> cursor_items(kili::Client& client, const std::string& args) {
  std::vector<std::string> items;
  for (const std::string& a : client.assets(args)) items.push_back(a);
  return items;
}

}  // namespace

TEST_F(EmulatorTest, NdjsonExportToAPathEqualsTheCursorOutput) {
  TempDir dir("export");
  const std::string query = args(",\"fields\":[\"id\",\"externalId\",\"status\",\"jsonMetadata\",\"labels.author.email\"]");
  std::uint64_t n = client.export_assets(query, kili::ExportFormat::Ndjson, (dir / "out.ndjson").string());
  std::vector<std::string> want = cursor_items(client, query);
  ASSERT_EQ(want.size(), 12u);
  EXPECT_EQ(n, want.size());
  std::string text = read_file(dir / "out.ndjson");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  // The lines are the cursor's JSON objects: same ids, same order, same values (byte for byte,
  // both being the library's compact serialisation of the same objects).
  EXPECT_EQ(lines_of(text), want);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"out.ndjson"}) << "the .part file must be renamed";
}

TEST_F(EmulatorTest, CsvExportHasTheFieldsAsHeaderAndOneRowPerAsset) {
  TempDir dir("export");
  const std::string query = args(",\"fields\":[\"id\",\"externalId\",\"status\"],\"status_in\":[\"TODO\",\"LABELED\"]");
  std::uint64_t n = client.export_assets(query, kili::ExportFormat::Csv, (dir / "out.csv").string());
  EXPECT_EQ(n, client.count_assets(args(",\"status_in\":[\"TODO\",\"LABELED\"]")));
  EXPECT_EQ(n, 10u);  // fixture: 6 TODO + 4 LABELED
  std::vector<std::string> rows = lines_of(read_file(dir / "out.csv"));
  ASSERT_EQ(rows.size(), n + 1);
  EXPECT_EQ(rows[0], "id,externalId,status");
  std::vector<std::string> want = cursor_items(client, query);
  ASSERT_EQ(want.size(), n);
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(rows[i + 1], string_value(want[i], "id") + "," + string_value(want[i], "externalId") + "," +
                               string_value(want[i], "status"));
  }
}

TEST_F(EmulatorTest, ExportToAFileDescriptorWritesFromItsPositionAndLeavesItOpen) {
  TempDir dir("export");
  const fs::path p = dir / "fd.ndjson";
  int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  const std::string before = "before\n", after = "after\n";
  ASSERT_EQ(::write(fd, before.data(), before.size()), static_cast<ssize_t>(before.size()));
  const std::string query = args(",\"fields\":[\"id\",\"externalId\"]");
  std::uint64_t n = client.export_assets(query, kili::ExportFormat::Ndjson, fd);
  EXPECT_EQ(n, 12u);
  // Still open and positioned after the export: the library flushed and did not close it.
  ASSERT_EQ(::write(fd, after.data(), after.size()), static_cast<ssize_t>(after.size()));
  ASSERT_EQ(::close(fd), 0);

  std::vector<std::string> want = cursor_items(client, query);
  std::vector<std::string> lines = lines_of(read_file(p));
  ASSERT_EQ(lines.size(), want.size() + 2);
  EXPECT_EQ(lines.front(), "before");
  EXPECT_EQ(lines.back(), "after");
  EXPECT_EQ(std::vector<std::string>(lines.begin() + 1, lines.end() - 1), want);
}

TEST_F(EmulatorTest, ExportInvalidArgumentsNameTheArgumentAndCreateNoFile) {
  TempDir dir("export");
  const std::string out = (dir / "bad.csv").string();
  try {
    client.export_assets(args(), static_cast<kili::ExportFormat>(42), out);
    FAIL() << "an unknown format was accepted";
  } catch (const kili::InvalidArgumentError& e) {
    EXPECT_TRUE(contains(e.details_json(), "\"path\":\"format\"")) << e.details_json();
    EXPECT_TRUE(contains(e.message(), "format")) << e.message();
  }
  kili::ErrorInfo err;
  EXPECT_EQ(client.export_assets(args(), kili::ExportFormat::Ndjson, -1, err), 0u);
  EXPECT_EQ(err.status, kili::Status::InvalidArgument);
  EXPECT_TRUE(contains(err.details_json, "\"path\":\"fd\"")) << err.details_json;
  EXPECT_EQ(client.export_assets(args(",\"nope\":1"), kili::ExportFormat::Csv, out, err), 0u);
  EXPECT_EQ(err.status, kili::Status::InvalidArgument);
  EXPECT_TRUE(contains(err.details_json, "nope")) << err.details_json;
  EXPECT_TRUE(dir.entries().empty()) << "a rejected export must not create a file";
}

TEST_F(EmulatorTest, ExportOfAnUnknownProjectIsNotFoundAndCreatesNoFile) {
  TempDir dir("export");
  const std::string out = (dir / "missing.ndjson").string();
  EXPECT_THROW(client.export_assets("{\"project_id\":\"no-such-project\"}", kili::ExportFormat::Ndjson, out),
               kili::NotFoundError);
  // Another user's project is not visible either; the no-throw overload reports it.
  kili::ErrorInfo err;
  EXPECT_EQ(client.export_assets("{\"project_id\":\"proj-secret\"}", kili::ExportFormat::Csv, out, err), 0u);
  EXPECT_EQ(err.status, kili::Status::NotFound) << err.message;
  EXPECT_TRUE(dir.entries().empty()) << "a failed export must not leave a file";
}

TEST(ExportCancellation, ATokenTriggeredMidExportCancelsItAndLeavesNoFile) {
  // 212 assets in pages of 10 with one page prefetched: most pages are still on the server
  // when the handler triggers the token after the first page was written.
  kili_test::Emulator emu({"--generate-assets", "200", "--generate-project", "proj-images"});
  kili::Client client(emu.options(kili_test::kApiKey, ",\"page_size\":10,\"prefetch_pages\":1"));
  kili::CancelToken token;
  std::atomic<int> export_events{0};
  client.on_event([&token, &export_events](std::string_view ev) {
    if (contains(std::string(ev), "\"operation\":\"export\"")) {
      ++export_events;
      token.trigger();  // non-blocking: allowed from a handler
    }
  });
  TempDir dir("export");
  const std::string out = (dir / "cancelled.ndjson").string();
  EXPECT_THROW(client.export_assets("{\"project_id\":\"proj-images\"}", kili::ExportFormat::Ndjson, out, token),
               kili::CancelledError);
  EXPECT_GE(export_events.load(), 1);
  EXPECT_LT(export_events.load(), 22) << "the export went on to the end despite the cancellation";
  EXPECT_TRUE(dir.entries().empty()) << "a cancelled export must not leave a file (nor its .part)";
  client.on_event(kili::EventHandler());
}
