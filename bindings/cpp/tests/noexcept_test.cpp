// Built with -fno-exceptions: only the ErrorInfo overloads exist, and they cover the whole
// lifecycle. A plain main() (no GoogleTest) so nothing in the program needs exceptions.
#include <kili.hpp>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "emulator.hpp"

#if KILI_CPP_EXCEPTIONS
#error "this test must be compiled with -fno-exceptions"
#endif

static int failures = 0;
#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

int main() {
  kili_test::Emulator emu;
  kili::ErrorInfo err;

  kili::Client bad = kili::Client::create("{\"api_key\":\"k\",\"nope\":1}", err);
  CHECK(!bad);
  CHECK(err.status == kili::Status::InvalidArgument);

  kili::Client client = kili::Client::create(emu.options(), err);
  CHECK(client && !err);

  const std::string args = "{\"project_id\":\"proj-images\"}";
  CHECK(client.count_assets(args, err) == 12u && !err);
  kili::Cursor hidden = client.assets("{\"project_id\":\"proj-secret\"}", err);
  CHECK(!hidden);
  CHECK(err.status == kili::Status::NotFound);

  int seen = 0;
  kili::Cursor cursor = client.assets(args, err);
  CHECK(cursor && !err);
  for (const std::string& asset : cursor) seen += asset.empty() ? 0 : 1;
  CHECK(seen == 12);
  CHECK(!cursor.error());

  std::string page;
  kili::Cursor paged = client.assets("{\"project_id\":\"proj-images\",\"first\":3}", err);
  CHECK(paged.next_page(10, page, err) == kili::Status::Ok && page.front() == '[');
  CHECK(paged.next_page(10, page, err) == kili::Status::Done && page.empty());

  // Export without exceptions: the count, or 0 and the error.
  {
    char dir[] = "/tmp/kili-cpp-noexcept-XXXXXX";
    CHECK(mkdtemp(dir) != nullptr);
    const std::string out = std::string(dir) + "/out.csv";
    CHECK(client.export_assets("{\"project_id\":\"proj-images\",\"fields\":[\"id\"]}", kili::ExportFormat::Csv, out, err) ==
          12u);
    CHECK(!err);
    CHECK(client.export_assets("{\"project_id\":\"proj-secret\"}", kili::ExportFormat::Csv, out + "2", err) == 0u);
    CHECK(err.status == kili::Status::NotFound);
    std::remove(out.c_str());
    CHECK(rmdir(dir) == 0);  // empty: the failed export left nothing behind
  }

  // Events may arrive on library threads: count them atomically.
  std::atomic<int> events{0};
  client.on_event([&events](std::string_view) { ++events; }, err);
  CHECK(!err);
  std::string r = client.delete_many_from_dataset("{\"project_id\":\"proj-images\",\"asset_ids\":[\"asset-01\"]}", err);
  CHECK(!err && !r.empty());
  CHECK(client.count_assets(args, err) == 11u);
  client.on_event(kili::EventHandler(), err);
  CHECK(events > 0);

  // Without exceptions, a range-for over a failing cursor ends and records the error.
  {
    kili_test::Emulator big({"--generate-assets", "200", "--generate-project", "proj-images"});
    kili::Client paged = kili::Client::create(big.options(kili_test::kApiKey, ",\"page_size\":10,\"prefetch_pages\":1"), err);
    CHECK(paged && !err);
    kili::CancelToken token;
    kili::Cursor cancelled = paged.assets(args, err, token);
    std::string first;
    CHECK(cancelled.next(first, err) == kili::Status::Ok);
    token.trigger();
    int rest = 0;
    for (const std::string& asset : cancelled) rest += asset.empty() ? 0 : 1;
    CHECK(rest < 211);
    CHECK(cancelled.error().status == kili::Status::Cancelled);
    CHECK(cancelled.next(first, err) == kili::Status::Cancelled);  // sticky
  }

  if (failures == 0) std::printf("noexcept_test: all checks passed\n");
  return failures == 0 ? 0 : 1;
}
