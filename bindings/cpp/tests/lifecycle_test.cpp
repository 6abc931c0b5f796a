// Ownership and concurrency: move-only handles, early cursor destruction, cancellation from
// another thread, timeouts, event handlers (delivery, replacement, destruction).
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <type_traits>

#include "test_support.hpp"

using kili_test::contains;
using kili_test::EmulatorTest;

static_assert(!std::is_copy_constructible_v<kili::Client> && !std::is_copy_assignable_v<kili::Client>);
static_assert(!std::is_copy_constructible_v<kili::Cursor> && !std::is_copy_assignable_v<kili::Cursor>);
static_assert(!std::is_copy_constructible_v<kili::CancelToken> && !std::is_copy_assignable_v<kili::CancelToken>);
static_assert(std::is_nothrow_move_constructible_v<kili::Client> && std::is_nothrow_move_assignable_v<kili::Client>);
static_assert(std::is_nothrow_move_constructible_v<kili::Cursor> && std::is_nothrow_move_assignable_v<kili::Cursor>);
static_assert(std::is_nothrow_move_constructible_v<kili::CancelToken>);
static_assert(std::is_same_v<std::iterator_traits<kili::Cursor::iterator>::iterator_category, std::input_iterator_tag>);

TEST_F(EmulatorTest, MovingAClientTransfersTheHandle) {
  kili_client_t* raw = client.raw();
  ASSERT_NE(raw, nullptr);
  kili::Client moved(std::move(client));
  EXPECT_EQ(moved.raw(), raw);
  EXPECT_EQ(client.raw(), nullptr);  // NOLINT(bugprone-use-after-move): checked on purpose
  EXPECT_THROW(client.count_assets(args()), kili::InvalidArgumentError);
  EXPECT_EQ(moved.count_assets(args()), 12u);

  // Move-assignment releases the handle it replaces (ASan/LSan would report a leak).
  kili::Client other(emu.options());
  other = std::move(moved);
  EXPECT_EQ(other.raw(), raw);
  EXPECT_EQ(other.count_assets(args()), 12u);
}

TEST_F(EmulatorTest, MovingACursorKeepsItsPosition) {
  kili::Cursor a = client.assets(args(",\"fields\":[\"id\"]"));
  ASSERT_TRUE(a.next().has_value());
  kili::Cursor b(std::move(a));
  EXPECT_EQ(a.raw(), nullptr);  // NOLINT(bugprone-use-after-move)
  int rest = 0;
  for (const auto& item : b) {
    (void)item;
    ++rest;
  }
  EXPECT_EQ(rest, 11);
}

TEST_F(EmulatorTest, RawHandlesWorkWithTheCAbi) {
  std::string args_json = args();
  std::uint64_t n = 0;
  ASSERT_EQ(kili_assets_count(client.raw(), args_json.data(), args_json.size(), nullptr, &n, nullptr), KILI_OK);
  EXPECT_EQ(n, 12u);

  // A C cursor adopted by a kili::Cursor is freed by it.
  kili_cursor_t* raw = nullptr;
  ASSERT_EQ(kili_assets_query(client.raw(), args_json.data(), args_json.size(), nullptr, &raw, nullptr), KILI_OK);
  kili::Cursor adopted(raw);
  EXPECT_EQ(adopted.raw(), raw);
  EXPECT_TRUE(adopted.next().has_value());
  kili_cursor_t* released = adopted.release();
  EXPECT_EQ(adopted.raw(), nullptr);
  kili_cursor_free(released);
}

TEST(Cursor, DestroyingACursorEarlyStopsItCleanly) {
  // 212 assets in pages of 10, two prefetched: destruction finds fetches in flight.
  kili_test::Emulator emu({"--generate-assets", "200", "--generate-project", "proj-images"});
  kili::Client paged(emu.options(kili_test::kApiKey, ",\"page_size\":10,\"prefetch_pages\":2"));
  const std::string args = "{\"project_id\":\"proj-images\"}";
  for (int round = 0; round < 5; ++round) {
    kili::Cursor cursor = paged.assets(args);
    ASSERT_TRUE(cursor.next().has_value());
    // Destroyed here with pages in flight: must neither leak nor crash.
  }
  {
    kili::Cursor never_read = paged.assets(args);
  }
  // Breaking out of a range-for destroys the temporary cursor too.
  for (const std::string& asset : paged.assets(args)) {
    EXPECT_FALSE(asset.empty());
    break;
  }
  EXPECT_EQ(paged.count_assets(args), 212u) << "the client is unaffected";
}

TEST(Cancellation, TriggeringFromAnotherThreadStopsABlockingCall) {
  // Every countAssets answer is delayed by 20 s, far beyond what the test waits.
  kili_test::Emulator slow({"--fault-rate", "1", "--fault-kinds", "latency", "--fault-latency-ms", "20000",
                            "--fault-operations", "countAssets"});
  kili::Client client(slow.options());
  kili::CancelToken token;
  auto started = std::chrono::steady_clock::now();
  std::thread canceller([&token] {
    // Not synchronisation: the outcome is Cancelled whether this runs before or during the
    // call; the pause only makes the in-flight case the usual one.
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    token.trigger();
  });
  EXPECT_THROW(client.count_assets("{\"project_id\":\"proj-images\"}", token), kili::CancelledError);
  canceller.join();
  EXPECT_TRUE(token.is_triggered());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(Cancellation, ATriggeredTokenStopsACursor) {
  // 212 assets in pages of 10 with one page prefetched: most are still on the server when
  // the token is triggered.
  kili_test::Emulator emu({"--generate-assets", "200", "--generate-project", "proj-images"});
  kili::Client client(emu.options(kili_test::kApiKey, ",\"page_size\":10,\"prefetch_pages\":1"));
  kili::CancelToken token;
  kili::Cursor cursor = client.assets("{\"project_id\":\"proj-images\"}", token);
  ASSERT_TRUE(cursor.next().has_value());
  std::thread([&token] { token.trigger(); }).join();
  int yielded = 1;
  try {
    while (cursor.next()) ++yielded;
    FAIL() << "the cursor ended normally after " << yielded << " items despite the cancellation";
  } catch (const kili::CancelledError& e) {
    EXPECT_EQ(e.status(), kili::Status::Cancelled);
  }
  EXPECT_LT(yielded, 212);
  // The failure is sticky.
  EXPECT_THROW(cursor.next(), kili::CancelledError);
  // A range-for over a failed cursor rethrows, and records the error.
  EXPECT_THROW(for (const auto& a : cursor) { (void)a; }, kili::CancelledError);
  EXPECT_EQ(cursor.error().status, kili::Status::Cancelled);
}

TEST(Cancellation, TokenMayBeDestroyedBeforeTheCursor) {
  kili_test::Emulator emu;
  kili::Client client(emu.options());
  kili::Cursor cursor;
  {
    kili::CancelToken token;
    cursor = client.assets("{\"project_id\":\"proj-images\"}", token);
  }
  int n = 0;
  for (const auto& a : cursor) {
    (void)a;
    ++n;
  }
  EXPECT_EQ(n, 12);
}

TEST(Timeout, ASlowServerGivesATimeoutError) {
  kili_test::Emulator slow({"--fault-rate", "1", "--fault-kinds", "latency", "--fault-latency-ms", "20000",
                            "--fault-operations", "countAssets"});
  kili::Client client(slow.options());
  auto started = std::chrono::steady_clock::now();
  EXPECT_THROW(client.count_assets("{\"project_id\":\"proj-images\"}", std::chrono::milliseconds(300)),
               kili::TimeoutError);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

namespace {

/// Records events; counts its own destruction through a shared counter.
struct Recorder {
  std::shared_ptr<std::mutex> mu = std::make_shared<std::mutex>();
  std::shared_ptr<std::vector<std::string>> events = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::atomic<int>> destroyed = std::make_shared<std::atomic<int>>(0);

  /// A handler that records into this recorder; its destruction increments `destroyed`.
  kili::EventHandler handler() const {
    struct Guard {
      std::shared_ptr<std::atomic<int>> d;
      ~Guard() {
        if (d) ++*d;
      }
    };
    auto guard = std::make_shared<Guard>();
    guard->d = destroyed;  // set after construction: no temporary Guard may count
    auto mu_ = mu;
    auto ev = events;
    return [guard, mu_, ev](std::string_view e) {
      std::lock_guard<std::mutex> lock(*mu_);
      ev->emplace_back(e);
    };
  }
  std::vector<std::string> snapshot() const {
    std::lock_guard<std::mutex> lock(*mu);
    return *events;
  }
};

}  // namespace

TEST_F(EmulatorTest, EventsReportDeprecationsAndProgress) {
  Recorder rec;
  client.on_event(rec.handler());
  EXPECT_EQ(client.count_assets(args(",\"consensus_mark_gt\":0.5")), 0u);
  client.add_to_review(args(",\"asset_ids\":[\"asset-04\"]"));
  auto events = rec.snapshot();
  bool deprecation = false, progress = false;
  for (const auto& e : events) {
    deprecation |= contains(e, "\"type\":\"warning\"") && contains(e, "consensus_mark_gt");
    progress |= contains(e, "\"type\":\"progress\"");
  }
  EXPECT_TRUE(deprecation) << "no deprecation warning among " << events.size() << " events";
  EXPECT_TRUE(progress) << "no progress event among " << events.size() << " events";
}

TEST_F(EmulatorTest, EmptyListWarningReachesTheHandler) {
  Recorder rec;
  client.on_event(rec.handler());
  client.delete_many_from_dataset(args(",\"asset_ids\":[]"));
  bool empty_list = false;
  for (const auto& e : rec.snapshot()) empty_list |= contains(e, "empty_list");
  EXPECT_TRUE(empty_list);
  EXPECT_EQ(client.count_assets(args()), 12u);
}

TEST_F(EmulatorTest, ReplacedAndReleasedHandlersAreDestroyedOnce) {
  Recorder first, second;
  client.on_event(first.handler());
  client.on_event(second.handler());
  EXPECT_EQ(*first.destroyed, 1) << "replacing a handler destroys the previous one";
  EXPECT_EQ(*second.destroyed, 0);
  client.count_assets(args(",\"consensus_mark_gt\":0.5"));
  EXPECT_TRUE(first.snapshot().empty());
  EXPECT_FALSE(second.snapshot().empty());

  client.on_event(kili::EventHandler());  // uninstall
  EXPECT_EQ(*second.destroyed, 1);
  client.count_assets(args(",\"consensus_mark_gt\":0.5"));
  size_t seen = second.snapshot().size();

  Recorder third;
  client.on_event(third.handler());
  kili::Cursor cursor = client.assets(args(",\"first\":1"));
  client = kili::Client();  // the client goes; its cursor still holds the handler
  EXPECT_EQ(*third.destroyed, 0);
  cursor = kili::Cursor();
  EXPECT_EQ(*third.destroyed, 1) << "the handler goes with the last handle";
  EXPECT_EQ(second.snapshot().size(), seen) << "an uninstalled handler gets no more events";
}

TEST_F(EmulatorTest, AThrowingHandlerDoesNotBreakTheCall) {
  client.on_event([](std::string_view) { throw std::runtime_error("handler failure"); });
  EXPECT_EQ(client.count_assets(args(",\"consensus_mark_gt\":0.5")), 0u);
}

TEST_F(EmulatorTest, BlockingCallsFromAHandlerAreRefused) {
  std::shared_ptr<std::atomic<int>> refused = std::make_shared<std::atomic<int>>(0);
  kili_client_t* raw = client.raw();
  client.on_event([raw, refused](std::string_view) {
    // A non-owning view of the same client; calling back into the library is refused.
    std::string a = "{\"project_id\":\"proj-images\"}";
    std::uint64_t n = 0;
    if (kili_assets_count(raw, a.data(), a.size(), nullptr, &n, nullptr) == KILI_INVALID_STATE) ++*refused;
  });
  client.count_assets(args(",\"consensus_mark_gt\":0.5"));
  EXPECT_GE(refused->load(), 1);
}

TEST_F(EmulatorTest, OneClientSharedByThreads) {
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        if (client.count_assets(args()) == 12u) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 12);
}
