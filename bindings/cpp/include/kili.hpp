// kili.hpp: header-only C++17 wrapper over the C ABI of kili-native (include/kili.h).
//
// What it gives over the C ABI:
//  - RAII: kili::Client, kili::Cursor and kili::CancelToken are move-only and own their C
//    handle through std::unique_ptr with the C deleter (kili_*_free), so there are no leaks
//    and no double frees. A moved-from object is empty; calling a method on it fails with
//    kili::InvalidArgumentError (the C library rejects the NULL handle), it never crashes.
//  - Errors: with exceptions enabled, failures throw kili::Error (status, message, details
//    JSON), more precisely one subclass per status category (kili::AuthError,
//    kili::NotFoundError, ...). Every fallible method also has a no-throw overload taking a
//    `kili::ErrorInfo&` out-parameter as its first argument after the inputs; these are the
//    only ones compiled when exceptions are disabled (-fno-exceptions), and they only throw
//    std::bad_alloc like any allocating code. kili::Status is a std::error_code enum.
//  - Cursors: `for (const std::string& asset : client.assets(args)) ...` (input iterator,
//    one JSON object per asset), or page-wise with Cursor::next_page.
//  - Export: client.export_assets(args, kili::ExportFormat::Ndjson | Csv, path or fd) streams a
//    query to a file (written as <path>.part, renamed when complete) or an open descriptor.
//  - Arguments are JSON text (std::string_view) with the Python SDK's parameter names. When
//    <nlohmann/json.hpp> is available (and KILI_CPP_NO_NLOHMANN is not defined), overloads
//    taking nlohmann::json are added as well; nothing forces that dependency on users.
//  - raw() accessors give the C handles back as an escape hatch; ownership stays with the
//    C++ object.
//
// Thread-safety (the C rules): a Client may be used by any number of threads at once, but must
// not be destroyed or moved while another thread uses it. A Cursor is used by one thread at a
// time (it may move between threads). CancelToken::trigger may be called from any thread.
//
// The library must match this header's ABI version: Client construction fails with
// kili::InvalidStateError otherwise.
#ifndef KILI_HPP
#define KILI_HPP

#include <kili.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

#if !defined(KILI_CPP_NO_EXCEPTIONS) && \
    (defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND))
#define KILI_CPP_EXCEPTIONS 1
#include <stdexcept>
#else
#define KILI_CPP_EXCEPTIONS 0
#endif

#if !defined(KILI_CPP_NO_NLOHMANN) && defined(__has_include)
#if __has_include(<nlohmann/json.hpp>)
#include <nlohmann/json.hpp>
#define KILI_CPP_HAS_NLOHMANN 1
#endif
#endif
#ifndef KILI_CPP_HAS_NLOHMANN
#define KILI_CPP_HAS_NLOHMANN 0
#endif

namespace kili {

/// The outcome of a call: the C ABI's kili_status_t values, never renumbered.
enum class Status : std::int32_t {
  Ok = KILI_OK,
  Done = KILI_DONE,
  InvalidArgument = KILI_INVALID_ARGUMENT,
  InvalidState = KILI_INVALID_STATE,
  Auth = KILI_AUTH,
  NotFound = KILI_NOT_FOUND,
  RateLimited = KILI_RATE_LIMITED,
  Network = KILI_NETWORK,
  Timeout = KILI_TIMEOUT,
  Cancelled = KILI_CANCELLED,
  GraphQL = KILI_GRAPHQL,
  Server = KILI_SERVER,
  PartialFailure = KILI_PARTIAL_FAILURE,
  Internal = KILI_INTERNAL,
};

/// The C name of a status ("KILI_NOT_FOUND", ...); a static string, never freed.
inline const char* status_name(Status s) noexcept {
  return kili_status_str(static_cast<kili_status_t>(s));
}

namespace detail {
/// The std::error_category of kili::Status (stateless, so one static instance is shared).
class StatusCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "kili"; }
  std::string message(int v) const override {
    return kili_status_str(static_cast<kili_status_t>(v));
  }
};
}  // namespace detail

/// The error category of kili::Status codes. Thread-safe.
inline const std::error_category& status_category() noexcept {
  static const detail::StatusCategory cat;
  return cat;
}

/// Makes a std::error_code from a kili::Status (found by ADL).
inline std::error_code make_error_code(Status s) noexcept {
  return {static_cast<int>(s), status_category()};
}

/// The library version ("MAJOR.MINOR.PATCH"), static.
inline const char* version() noexcept { return kili_version(); }

/// The ABI version of the loaded library (compare with KILI_ABI_VERSION).
inline std::uint32_t abi_version() noexcept { return kili_abi_version(); }

/// A failure reported without exceptions: status, message and details JSON (a JSON object
/// with at least "status"; see kili_error_details_json). Default-constructed = no error.
/// Plain value type; not synchronised.
struct ErrorInfo {
  Status status = Status::Ok;
  std::string message;
  std::string details_json = "{}";

  /// True when this holds an error.
  explicit operator bool() const noexcept { return status != Status::Ok && status != Status::Done; }
  /// The status as a std::error_code.
  std::error_code code() const noexcept { return make_error_code(status); }
  /// Resets to "no error".
  void clear() {
    status = Status::Ok;
    message.clear();
    details_json = "{}";
  }
};

namespace detail {

struct ClientDeleter {
  void operator()(kili_client_t* c) const noexcept { kili_client_free(c); }
};
struct CursorDeleter {
  void operator()(kili_cursor_t* c) const noexcept { kili_cursor_free(c); }
};
struct CancelDeleter {
  void operator()(kili_cancel_t* c) const noexcept { kili_cancel_free(c); }
};

/// Owns a kili_bytes_t for the duration of a conversion to std::string.
class Bytes {
 public:
  Bytes() noexcept = default;
  Bytes(const Bytes&) = delete;
  Bytes& operator=(const Bytes&) = delete;
  ~Bytes() { kili_bytes_free(&b_); }
  kili_bytes_t* out() noexcept { return &b_; }
  std::string str() const {
    return b_.data ? std::string(reinterpret_cast<const char*>(b_.data), b_.len) : std::string();
  }

 private:
  kili_bytes_t b_{nullptr, 0};
};

/// Receives the C error out-param and turns it into an ErrorInfo.
class ErrorSlot {
 public:
  kili_error_t** out() noexcept { return &raw_; }
  ErrorSlot() noexcept = default;
  ErrorSlot(const ErrorSlot&) = delete;
  ErrorSlot& operator=(const ErrorSlot&) = delete;
  ~ErrorSlot() { kili_error_free(raw_); }

  /// Fills `info` from the call's status and error object (if any).
  void fill(kili_status_t st, ErrorInfo& info) {
    info.status = static_cast<Status>(st);
    if (raw_ != nullptr) {
      info.message = kili_error_message(raw_);
      info.details_json = kili_error_details_json(raw_);
    } else {
      info.message = (st == KILI_OK || st == KILI_DONE) ? "" : kili_status_str(st);
      info.details_json = "{}";
    }
  }

 private:
  kili_error_t* raw_ = nullptr;
};

inline const char* ptr(std::string_view s) noexcept { return s.empty() ? "" : s.data(); }

}  // namespace detail

#if KILI_CPP_EXCEPTIONS

/// A failed call: the status category, the library's message (never containing the API key)
/// and a details JSON object (HTTP status, GraphQL errors, failing argument "path", per-item
/// outcomes for PartialFailure, ...). Thrown as one of the subclasses below, by status.
/// Immutable value; safe to share between threads.
class Error : public std::runtime_error {
 public:
  Error(Status status, std::string message, std::string details_json)
      : std::runtime_error(std::string(status_name(status)) + ": " + message),
        status_(status),
        message_(std::move(message)),
        details_(std::move(details_json)) {}
  explicit Error(const ErrorInfo& e) : Error(e.status, e.message, e.details_json) {}

  /// The status category of the failure.
  Status status() const noexcept { return status_; }
  /// The status as a std::error_code.
  std::error_code code() const noexcept { return make_error_code(status_); }
  /// The library's message, without the status prefix that what() adds.
  const std::string& message() const noexcept { return message_; }
  /// The details as JSON text (an object; "{}" when there are none).
  const std::string& details_json() const noexcept { return details_; }

 private:
  Status status_;
  std::string message_;
  std::string details_;
};

/// Bad argument: NULL, wrong type, out of range, invalid JSON/UTF-8, unknown key.
class InvalidArgumentError : public Error {
 public:
  using Error::Error;
};
/// Call not allowed now (e.g. from an event callback, or library ABI mismatch).
class InvalidStateError : public Error {
 public:
  using Error::Error;
};
/// The API key is missing, unknown or refused.
class AuthError : public Error {
 public:
  using Error::Error;
};
/// A project, asset or external id does not exist or is not visible.
class NotFoundError : public Error {
 public:
  using Error::Error;
};
/// The server kept answering 429 until the retry deadline.
class RateLimitedError : public Error {
 public:
  using Error::Error;
};
/// The server could not be reached, or the connection broke.
class NetworkError : public Error {
 public:
  using Error::Error;
};
/// The call's timeout expired.
class TimeoutError : public Error {
 public:
  using Error::Error;
};
/// The call was cancelled through a CancelToken.
class CancelledError : public Error {
 public:
  using Error::Error;
};
/// The server answered with GraphQL errors.
class GraphQLError : public Error {
 public:
  using Error::Error;
};
/// The server answered with an HTTP error that is not a GraphQL answer.
class ServerError : public Error {
 public:
  using Error::Error;
};
/// A bulk call failed for some items; details_json() lists each item.
class PartialFailureError : public Error {
 public:
  using Error::Error;
};
/// A bug in the library (including a caught panic), or an unknown status.
class InternalError : public Error {
 public:
  using Error::Error;
};

/// Throws the kili::Error subclass matching `e.status`. Precondition: `e` holds an error.
[[noreturn]] inline void throw_error(const ErrorInfo& e) {
  switch (e.status) {
    case Status::InvalidArgument: throw InvalidArgumentError(e);
    case Status::InvalidState: throw InvalidStateError(e);
    case Status::Auth: throw AuthError(e);
    case Status::NotFound: throw NotFoundError(e);
    case Status::RateLimited: throw RateLimitedError(e);
    case Status::Network: throw NetworkError(e);
    case Status::Timeout: throw TimeoutError(e);
    case Status::Cancelled: throw CancelledError(e);
    case Status::GraphQL: throw GraphQLError(e);
    case Status::Server: throw ServerError(e);
    case Status::PartialFailure: throw PartialFailureError(e);
    default: throw InternalError(e);
  }
}

namespace detail {
inline void throw_if(const ErrorInfo& e) {
  if (e) throw_error(e);
}
}  // namespace detail

#endif  // KILI_CPP_EXCEPTIONS

/// A cancel token: trigger it (from any thread) to make the calls and cursors that were given
/// it stop with Status::Cancelled.
///
/// Ownership: owns its kili_cancel_t; move-only. Calls and cursors keep their own reference,
/// so the token may be destroyed while a cursor started with it lives (the cursor can then no
/// longer be cancelled through it). Thread-safety: trigger() and is_triggered() may be called
/// concurrently from any thread; destruction must not race with them.
class CancelToken {
 public:
  /// A new, untriggered token. Throws std::bad_alloc if the library cannot allocate it.
  CancelToken() : h_(kili_cancel_new()) {
    if (!h_) {
#if KILI_CPP_EXCEPTIONS
      throw std::bad_alloc();
#else
      std::terminate();
#endif
    }
  }
  CancelToken(CancelToken&&) noexcept = default;
  CancelToken& operator=(CancelToken&&) noexcept = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  /// Triggers the token; idempotent. No-op on a moved-from token.
  void trigger() const noexcept {
    if (h_) kili_cancel_trigger(h_.get(), nullptr);
  }
  /// Whether trigger() was called.
  bool is_triggered() const noexcept { return kili_cancel_is_triggered(h_.get()); }
  /// The C handle (NULL when moved-from); still owned by this object.
  kili_cancel_t* raw() const noexcept { return h_.get(); }

 private:
  std::unique_ptr<kili_cancel_t, detail::CancelDeleter> h_;
};

/// Options of one blocking call: a time limit (0 = none beyond the client's own deadlines;
/// for queries it applies to each page fetch) and an optional cancel token, borrowed for the
/// call (a cursor keeps its own reference). Plain value type.
struct CallOptions {
  std::chrono::milliseconds timeout{0};
  const CancelToken* cancel = nullptr;

  CallOptions() = default;
  /// A time limit (any std::chrono::duration, rounded up to whole milliseconds).
  template <class Rep, class Period>
  CallOptions(std::chrono::duration<Rep, Period> t) : timeout(ceil_ms(t)) {}  // NOLINT: implicit on purpose
  /// A cancel token, borrowed for the call.
  CallOptions(const CancelToken& c) : cancel(&c) {}  // NOLINT: implicit on purpose
  /// Both.
  template <class Rep, class Period>
  CallOptions(std::chrono::duration<Rep, Period> t, const CancelToken& c) : timeout(ceil_ms(t)), cancel(&c) {}

  /// The C struct (sized for this header's version).
  kili_call_options_t to_c() const noexcept {
    kili_call_options_t o;
    kili_call_options_init(&o);
    auto ms = timeout.count();
    o.timeout_ms = ms <= 0 ? 0u : (ms > 0xFFFFFFFFLL ? 0xFFFFFFFFu : static_cast<std::uint32_t>(ms));
    o.cancel = cancel ? cancel->raw() : nullptr;
    return o;
  }

 private:
  template <class Rep, class Period>
  static std::chrono::milliseconds ceil_ms(std::chrono::duration<Rep, Period> t) {
    return std::chrono::ceil<std::chrono::milliseconds>(t);
  }
};

/// Output format of Client::export_assets (kili_assets_export's `format`).
enum class ExportFormat {
  /// One JSON object per line (`\n`-terminated), exactly the cursor's items.
  Ndjson,
  /// A header row (the query's `fields`, or the flattened keys of the first asset), then one
  /// row per asset; nested objects and values crossing lists are written as JSON text.
  Csv,
};

namespace detail {
/// The C ABI name of a format. A value outside the enum maps to "", which the library
/// rejects with Status::InvalidArgument naming `format` (before any network call).
inline std::string_view format_name(ExportFormat f) noexcept {
  switch (f) {
    case ExportFormat::Ndjson: return "ndjson";
    case ExportFormat::Csv: return "csv";
  }
  return "";
}
}  // namespace detail

/// A stream of assets (one JSON object each) returned by Client::assets. Pages are prefetched
/// in the background while you consume items (with the option `prefetch_pages` 0: on your
/// thread, inside the cursor's calls); destroying the cursor early cancels that work.
///
/// Semantics follow sqlite3_step: items, then Done; after Done or an error, every later call
/// gives the same answer. Ownership: owns its kili_cursor_t; move-only; it keeps the client's
/// internals alive, so it may outlive the Client. Thread-safety: one thread at a time.
class Cursor {
 public:
  /// Input iterator over the remaining items (value: the asset JSON text). Advancing past an
  /// error throws it (with exceptions) or ends the iteration and records it in
  /// Cursor::error() (without). Iterators compare equal when both are at the end (or both
  /// still walk the same cursor: an input iterator has no other position).
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = std::string;
    using difference_type = std::ptrdiff_t;
    using pointer = const std::string*;
    using reference = const std::string&;

    iterator() noexcept = default;
    reference operator*() const noexcept { return item_; }
    pointer operator->() const noexcept { return &item_; }
    iterator& operator++() {
      advance();
      return *this;
    }
    /// Post-increment of an input iterator: the returned copy only holds the old value.
    iterator operator++(int) {
      iterator old = *this;
      old.cur_ = nullptr;
      advance();
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.cur_ == b.cur_; }
    friend bool operator!=(const iterator& a, const iterator& b) noexcept { return !(a == b); }

   private:
    friend class Cursor;
    explicit iterator(Cursor* c) : cur_(c) { advance(); }
    void advance() {
      Cursor* c = cur_;
      if (!c) return;
      Status s = c->next(item_, c->error_);
      if (s != Status::Ok) {
        cur_ = nullptr;
        item_.clear();
#if KILI_CPP_EXCEPTIONS
        if (s != Status::Done) throw_error(c->error_);
#endif
      }
    }
    Cursor* cur_ = nullptr;
    std::string item_;
  };

  Cursor() noexcept = default;
  /// Takes ownership of a C cursor (e.g. one created through raw C calls).
  explicit Cursor(kili_cursor_t* raw) noexcept : h_(raw) {}
  Cursor(Cursor&&) noexcept = default;
  Cursor& operator=(Cursor&&) noexcept = default;
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  /// Fetches the next asset JSON into `item`. Returns Status::Ok (item set), Status::Done
  /// (exhausted; item cleared), or an error status with `err` filled. Blocks while the next
  /// page is fetched. Only throws std::bad_alloc.
  Status next(std::string& item, ErrorInfo& err) {
    detail::Bytes b;
    detail::ErrorSlot e;
    kili_status_t st = kili_cursor_next(h_.get(), b.out(), e.out());
    e.fill(st, err);
    item = b.str();
    return static_cast<Status>(st);
  }

  /// Fetches up to `max_items` next assets as one JSON array text into `page`. Returns Ok
  /// (non-empty array), Done (exhausted; page cleared) or an error status with `err` filled.
  Status next_page(std::size_t max_items, std::string& page, ErrorInfo& err) {
    detail::Bytes b;
    detail::ErrorSlot e;
    kili_status_t st = kili_cursor_next_page(h_.get(), max_items, b.out(), e.out());
    e.fill(st, err);
    page = b.str();
    return static_cast<Status>(st);
  }

#if KILI_CPP_EXCEPTIONS
  /// The next asset as JSON text, or std::nullopt when exhausted. Throws kili::Error.
  std::optional<std::string> next() {
    std::string item;
    ErrorInfo err;
    Status s = next(item, err);
    detail::throw_if(err);
    if (s == Status::Done) return std::nullopt;
    return item;
  }

  /// Up to `max_items` next assets as a JSON array text (never empty), or std::nullopt when
  /// exhausted. Throws kili::Error (InvalidArgumentError when max_items is 0).
  std::optional<std::string> next_page(std::size_t max_items) {
    std::string page;
    ErrorInfo err;
    Status s = next_page(max_items, page, err);
    detail::throw_if(err);
    if (s == Status::Done) return std::nullopt;
    return page;
  }
#endif

  /// The number of assets the query is expected to yield, once the server has reported it
  /// (usually after the first page); std::nullopt while unknown or on a moved-from cursor.
  std::optional<std::int64_t> expected_total() const noexcept {
    std::int64_t total = -1;
    if (kili_cursor_expected_total(h_.get(), &total, nullptr) != KILI_OK || total < 0) return std::nullopt;
    return total;
  }

  /// An iterator at the next item (this fetches it). Iterating twice continues where the
  /// previous iteration stopped: a cursor is single-pass.
  iterator begin() { return iterator(this); }
  iterator end() noexcept { return iterator(); }

  /// The error that ended the last range-for / iterator walk (only set without exceptions,
  /// or after an exception was thrown by an iterator); empty when it ended with Done.
  const ErrorInfo& error() const noexcept { return error_; }

  /// The C handle (NULL when empty); still owned by this object.
  kili_cursor_t* raw() const noexcept { return h_.get(); }
  /// Gives up ownership of the C handle; the caller must kili_cursor_free it.
  kili_cursor_t* release() noexcept { return h_.release(); }
  /// Whether this cursor holds a handle.
  explicit operator bool() const noexcept { return static_cast<bool>(h_); }

 private:
  friend class iterator;
  std::unique_ptr<kili_cursor_t, detail::CursorDeleter> h_;
  ErrorInfo error_;
};

/// An event handler: receives each event as a JSON object text, borrowed for the call:
/// {"type":"progress","operation":..,"done":..,"total":..},
/// {"type":"warning","kind":"deprecation"|"empty_list"|"ignored"|"other","method":..,"message":..}
/// or {"type":"log","level":..,"message":..}.
///
/// Threading rules (from the C ABI): the handler may run on any thread, including the
/// library's internal threads, and concurrently for different events, so it must be
/// thread-safe and return quickly; it must not call blocking kili methods (they fail with
/// Status::InvalidState there). Exceptions escaping it are swallowed (they must not unwind
/// into the library). The handler object is destroyed, on any thread, after its last call:
/// when it is replaced, or when the client and all its cursors have been destroyed.
using EventHandler = std::function<void(std::string_view event_json)>;

namespace detail {
/// `s` as a JSON string literal (quotes, backslashes and control characters escaped; other
/// bytes copied, so invalid UTF-8 reaches the core, which rejects it naming the option).
inline std::string json_string(std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(hex[u >> 4]);
          out.push_back(hex[u & 0xF]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}
}  // namespace detail

/// Client options, typed: each setter sets one key of kili_client_new's JSON options object
/// (the README's configuration table says what each does and its default). Keys left unset
/// keep the core's defaults (and `KILI_API_KEY` / `KILI_API_ENDPOINT` from the environment).
/// Values are checked by the core when the client is created, so a bad value fails there
/// with Status::InvalidArgument naming the key, exactly as in the JSON form.
///
/// Ownership: a plain value type (copyable); Client::create reads it and keeps nothing.
/// Thread-safety: like std::string (const use from any number of threads).
class Options {
 public:
  Options& api_key(std::string_view v) { return set("api_key", detail::json_string(v)); }
  Options& api_endpoint(std::string_view v) { return set("api_endpoint", detail::json_string(v)); }
  Options& verify_tls(bool v) { return set("verify_tls", v ? "true" : "false"); }
  /// A PEM file of extra trusted root certificates.
  Options& ca_bundle(std::string_view path) { return set("ca_bundle", detail::json_string(path)); }
  Options& connect_timeout_ms(std::uint64_t v) { return set("connect_timeout_ms", std::to_string(v)); }
  Options& request_timeout_ms(std::uint64_t v) { return set("request_timeout_ms", std::to_string(v)); }
  Options& retry_deadline_ms(std::uint64_t v) { return set("retry_deadline_ms", std::to_string(v)); }
  Options& max_attempts_uncertain(std::uint32_t v) { return set("max_attempts_uncertain", std::to_string(v)); }
  /// 0 disables the client-side rate limit.
  Options& rate_limit_per_minute(std::uint32_t v) { return set("rate_limit_per_minute", std::to_string(v)); }
  Options& rate_limit_window_ms(std::uint64_t v) { return set("rate_limit_window_ms", std::to_string(v)); }
  /// 1..=100 assets per page.
  Options& page_size(std::uint32_t v) { return set("page_size", std::to_string(v)); }
  /// Page requests of a listing in flight at once; 0 = one at a time on the caller's
  /// thread, inside the cursor's calls (no background work).
  Options& prefetch_pages(std::uint32_t v) { return set("prefetch_pages", std::to_string(v)); }
  /// 1..=64 batches of one mutation call in flight at once.
  Options& mutation_concurrency(std::uint32_t v) { return set("mutation_concurrency", std::to_string(v)); }
  Options& allow_insecure_http(bool v) { return set("allow_insecure_http", v ? "true" : "false"); }
  Options& client_name(std::string_view v) { return set("client_name", detail::json_string(v)); }
  Options& keep_json_raw(bool v) { return set("keep_json_raw", v ? "true" : "false"); }
  Options& backoff_base_ms(std::uint64_t v) { return set("backoff_base_ms", std::to_string(v)); }
  Options& max_backoff_ms(std::uint64_t v) { return set("max_backoff_ms", std::to_string(v)); }
  /// Any key with its value as JSON text (a key this header does not know yet); checked by
  /// the core like the others.
  Options& raw(std::string_view key, std::string_view json_value) {
    return set(std::string(key), std::string(json_value));
  }

  /// The JSON options object (keys in the order first set; setting a key again replaces
  /// its value).
  std::string to_json() const {
    std::string out = "{";
    for (const auto& [key, value] : entries_) {
      if (out.size() > 1) out.push_back(',');
      out += detail::json_string(key);
      out.push_back(':');
      out += value;
    }
    out.push_back('}');
    return out;
  }

 private:
  Options& set(std::string key, std::string json_value) {
    for (auto& entry : entries_) {
      if (entry.first == key) {
        entry.second = std::move(json_value);
        return *this;
      }
    }
    entries_.emplace_back(std::move(key), std::move(json_value));
    return *this;
  }

  std::vector<std::pair<std::string, std::string>> entries_;
};

/// A connection to one Kili endpoint with one API key.
///
/// Ownership: owns its kili_client_t; move-only; an empty (default-constructed or moved-from)
/// client makes every call fail with Status::InvalidArgument. Cursors keep what they need, so
/// the client may be destroyed before its cursors. Thread-safety: every const method may be
/// called from any number of threads at once; moving, assigning or destroying must not race
/// with other calls.
class Client {
 public:
  /// An empty client (no handle).
  Client() noexcept = default;
  /// Takes ownership of a C client (e.g. one created through raw C calls).
  explicit Client(kili_client_t* raw) noexcept : h_(raw) {}
  Client(Client&&) noexcept = default;
  Client& operator=(Client&&) noexcept = default;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Creates a client from a JSON options object (`api_key`, `api_endpoint`,
  /// `rate_limit_per_minute`, `page_size`, `prefetch_pages`, ...; empty text means `{}`; see
  /// kili_client_new). On failure returns an empty client and fills `err`: InvalidState when
  /// the loaded library's ABI version differs from this header's, InvalidArgument for bad
  /// options, Auth, Network, Timeout, Server. Blocking (may contact the server).
  static Client create(std::string_view options_json, ErrorInfo& err) {
    err.clear();
    if (kili_abi_version() != KILI_ABI_VERSION) {
      err.status = Status::InvalidState;
      err.message = "the loaded kili library has ABI version " + std::to_string(kili_abi_version()) +
                    " (library " + kili_version() + ") but kili.hpp was compiled against ABI version " +
                    std::to_string(KILI_ABI_VERSION) + " (header " KILI_VERSION ")";
      err.details_json = "{\"status\":\"INVALID_STATE\"}";
      return Client();
    }
    kili_client_t* raw = nullptr;
    detail::ErrorSlot e;
    kili_status_t st = kili_client_new(detail::ptr(options_json), options_json.size(), &raw, e.out());
    e.fill(st, err);
    if (st != KILI_OK) {
      kili_client_free(raw);  // NULL on failure per contract; harmless either way
      return Client();
    }
    return Client(raw);
  }

  /// Creates a client from typed options (see Options; the same checks and failures as
  /// the JSON form).
  static Client create(const Options& options, ErrorInfo& err) { return create(options.to_json(), err); }

#if KILI_CPP_EXCEPTIONS
  /// Creates a client from a JSON options object (see create()); throws kili::Error.
  explicit Client(std::string_view options_json) {
    ErrorInfo err;
    *this = create(options_json, err);
    detail::throw_if(err);
  }

  /// Creates a client from typed options (see Options); throws kili::Error.
  explicit Client(const Options& options) : Client(std::string_view(options.to_json())) {}
#endif

  // ---- query -------------------------------------------------------------------------

  /// Starts a listing of assets. `args_json`: the Python SDK's assets() parameters
  /// (`project_id` required, `fields`, `first`, `skip`, filters, ...). Bad arguments fail
  /// here, before any network call. The options' cancel token stays attached to the cursor.
  /// On failure returns an empty cursor and fills `err`.
  Cursor assets(std::string_view args_json, ErrorInfo& err, const CallOptions& opts = {}) const {
    kili_call_options_t o = opts.to_c();
    kili_cursor_t* raw = nullptr;
    detail::ErrorSlot e;
    kili_status_t st = kili_assets_query(h_.get(), detail::ptr(args_json), args_json.size(), &o, &raw, e.out());
    e.fill(st, err);
    if (st != KILI_OK) {
      kili_cursor_free(raw);
      return Cursor();
    }
    return Cursor(raw);
  }

  /// Counts the assets matching `args_json` (the Python SDK's count_assets() parameters).
  /// On failure returns 0 and fills `err`. Blocking.
  std::uint64_t count_assets(std::string_view args_json, ErrorInfo& err, const CallOptions& opts = {}) const {
    kili_call_options_t o = opts.to_c();
    std::uint64_t n = 0;
    detail::ErrorSlot e;
    kili_status_t st = kili_assets_count(h_.get(), detail::ptr(args_json), args_json.size(), &o, &n, e.out());
    e.fill(st, err);
    return st == KILI_OK ? n : 0;
  }

  // ---- export ------------------------------------------------------------------------

  /// Exports the assets of a query (the same `args_json` as assets()) to the file `path` and
  /// returns the number of assets written. The file is written as `<path>.part` and renamed
  /// to `path` when complete, so a failed export leaves no file under `path` (nor a `.part`).
  /// Pages stream through (memory stays bounded); progress arrives as "export" progress
  /// events to the handler of on_event(). `opts` bounds and cancels the whole export.
  ///
  /// Ownership: borrows every argument for the call. Thread-safety: as every const method
  /// (the client may be shared); blocking until the export ends. Errors (returns 0 and fills
  /// `err`): InvalidArgument (bad arguments or format, naming them; file not writable, naming
  /// `path`), Auth, NotFound (unknown or invisible project), RateLimited, Network, Timeout,
  /// Cancelled, GraphQL, Server, InvalidState (called from an event handler), Internal.
  std::uint64_t export_assets(std::string_view args_json, ExportFormat format, std::string_view path, ErrorInfo& err,
                              const CallOptions& opts = {}) const {
    return export_c(args_json, format, detail::ptr(path), path.size(), -1, err, opts);
  }

  /// Exports the assets of a query to the open file descriptor `fd` (POSIX only), written
  /// from its current position, flushed and **not** closed: the caller keeps owning `fd` and
  /// must keep it open during the call. On failure what was already written stays. Same
  /// events, options, threading and errors as the path overload (a negative `fd` is
  /// InvalidArgument naming `fd`; a closed pipe is Cancelled).
  std::uint64_t export_assets(std::string_view args_json, ExportFormat format, int fd, ErrorInfo& err,
                              const CallOptions& opts = {}) const {
    return export_c(args_json, format, nullptr, 0, fd, err, opts);
  }

  // ---- mutations -----------------------------------------------------------------------

  /// Runs the asset action named `action` with `args_json` (that Python SDK method's
  /// parameters) and returns its result JSON text. On failure returns "" and fills `err`;
  /// for Status::PartialFailure, `err.details_json` lists the per-item outcomes. Blocking.
  std::string mutate(std::string_view action, std::string_view args_json, ErrorInfo& err,
                     const CallOptions& opts = {}) const {
    kili_call_options_t o = opts.to_c();
    detail::Bytes b;
    detail::ErrorSlot e;
    kili_status_t st = kili_assets_mutate(h_.get(), detail::ptr(action), action.size(), detail::ptr(args_json),
                                          args_json.size(), &o, b.out(), e.out());
    e.fill(st, err);
    return b.str();
  }

#define KILI_CPP_ACTION_NOTHROW(name)                                                              \
  std::string name(std::string_view args_json, ErrorInfo& err, const CallOptions& opts = {}) const { \
    return mutate(#name, args_json, err, opts);                                                    \
  }
  /// Imports assets (`project_id`, `content_array`, `external_ids`, `json_metadata_array`, ...).
  KILI_CPP_ACTION_NOTHROW(append_many_to_dataset)
  /// Updates asset properties (`asset_ids` or `external_ids`, `priorities`, `json_metadatas`, ...).
  KILI_CPP_ACTION_NOTHROW(update_properties_in_assets)
  /// Renames external ids (`new_external_ids`, `asset_ids` or `external_ids`, `project_id`).
  KILI_CPP_ACTION_NOTHROW(change_asset_external_ids)
  /// Deletes assets (`asset_ids` or `external_ids`, `project_id`).
  KILI_CPP_ACTION_NOTHROW(delete_many_from_dataset)
  /// Sends assets to review (`asset_ids` or `external_ids`, `project_id`).
  KILI_CPP_ACTION_NOTHROW(add_to_review)
  /// Sends assets back to the labeling queue (`asset_ids` or `external_ids`, `project_id`).
  KILI_CPP_ACTION_NOTHROW(send_back_to_queue)
  /// Sets the priority of assets (`priority`, `asset_ids` or `external_ids`, `project_id`);
  /// assets not waiting for work are declined; the result is the SDK's outcome object.
  KILI_CPP_ACTION_NOTHROW(set_assets_priority)
  /// Assigns assets (`to_be_labeled_by_array`: user ids per asset, `asset_ids` or
  /// `external_ids`, `project_id`); the result is the SDK's outcome object.
  KILI_CPP_ACTION_NOTHROW(assign_assets_to_labelers)
  /// Turns consensus on or off for one asset (`project_id`, `is_consensus`, `asset_id` or
  /// `external_id`); the result is the boolean set.
  KILI_CPP_ACTION_NOTHROW(update_asset_consensus)
  /// Adds keys to the metadata of assets (`json_metadata`, `project_id`, `asset_ids` or
  /// `external_ids`); the result lists `{"id"}`.
  KILI_CPP_ACTION_NOTHROW(add_metadata)
  /// Replaces the metadata of assets, keeping `text`, `imageUrl`, `url` and
  /// `processingParameters` unless given (same arguments as add_metadata).
  KILI_CPP_ACTION_NOTHROW(set_metadata)
  /// Skips or unskips one asset (`action`: "skip" or "unskip", `asset_id`, `project_id`,
  /// `reason` to skip); the result is the asset id.
  KILI_CPP_ACTION_NOTHROW(skip_or_unskip)
#undef KILI_CPP_ACTION_NOTHROW

  // ---- events --------------------------------------------------------------------------

  /// Installs `handler` for the events of this client and of its cursors (progress,
  /// warnings, logs), replacing any previous one; an empty handler uninstalls. See
  /// EventHandler for the threading rules. Fills `err` on failure (empty client).
  void on_event(EventHandler handler, ErrorInfo& err) const {
    detail::ErrorSlot e;
    kili_status_t st;
    if (!handler) {
      st = kili_client_set_event_callback(h_.get(), nullptr, e.out());
    } else {
      auto* boxed = new EventHandler(std::move(handler));
      kili_event_callback_t cb;
      cb.user_data = boxed;
      cb.call = &Client::call_handler;
      cb.drop = &Client::drop_handler;
      st = kili_client_set_event_callback(h_.get(), &cb, e.out());
      if (st != KILI_OK) delete boxed;  // the library takes user_data only on success
    }
    e.fill(st, err);
  }

#if KILI_CPP_EXCEPTIONS
  /// Starts a listing of assets (see the ErrorInfo overload); throws kili::Error.
  Cursor assets(std::string_view args_json, const CallOptions& opts = {}) const {
    ErrorInfo err;
    Cursor c = assets(args_json, err, opts);
    detail::throw_if(err);
    return c;
  }
  /// Counts matching assets (see the ErrorInfo overload); throws kili::Error.
  std::uint64_t count_assets(std::string_view args_json, const CallOptions& opts = {}) const {
    ErrorInfo err;
    std::uint64_t n = count_assets(args_json, err, opts);
    detail::throw_if(err);
    return n;
  }
  /// Exports a query to the file `path` (see the ErrorInfo overload); returns the number of
  /// assets written; throws kili::Error (no file is left under `path` on failure).
  std::uint64_t export_assets(std::string_view args_json, ExportFormat format, std::string_view path,
                              const CallOptions& opts = {}) const {
    ErrorInfo err;
    std::uint64_t n = export_assets(args_json, format, path, err, opts);
    detail::throw_if(err);
    return n;
  }
  /// Exports a query to the open file descriptor `fd`, not closed (see the ErrorInfo
  /// overload); returns the number of assets written; throws kili::Error.
  std::uint64_t export_assets(std::string_view args_json, ExportFormat format, int fd,
                              const CallOptions& opts = {}) const {
    ErrorInfo err;
    std::uint64_t n = export_assets(args_json, format, fd, err, opts);
    detail::throw_if(err);
    return n;
  }
  /// Runs a named asset action (see the ErrorInfo overload); throws kili::Error
  /// (PartialFailureError carries the per-item outcomes in details_json()).
  std::string mutate(std::string_view action, std::string_view args_json, const CallOptions& opts = {}) const {
    ErrorInfo err;
    std::string r = mutate(action, args_json, err, opts);
    detail::throw_if(err);
    return r;
  }
#define KILI_CPP_ACTION_THROW(name)                                                     \
  std::string name(std::string_view args_json, const CallOptions& opts = {}) const { \
    return mutate(#name, args_json, opts);                                            \
  }
  /// append_many_to_dataset; throws kili::Error.
  KILI_CPP_ACTION_THROW(append_many_to_dataset)
  /// update_properties_in_assets; throws kili::Error.
  KILI_CPP_ACTION_THROW(update_properties_in_assets)
  /// change_asset_external_ids; throws kili::Error.
  KILI_CPP_ACTION_THROW(change_asset_external_ids)
  /// delete_many_from_dataset; throws kili::Error.
  KILI_CPP_ACTION_THROW(delete_many_from_dataset)
  /// add_to_review; throws kili::Error.
  KILI_CPP_ACTION_THROW(add_to_review)
  /// send_back_to_queue; throws kili::Error.
  KILI_CPP_ACTION_THROW(send_back_to_queue)
  /// set_assets_priority; throws kili::Error.
  KILI_CPP_ACTION_THROW(set_assets_priority)
  /// assign_assets_to_labelers; throws kili::Error.
  KILI_CPP_ACTION_THROW(assign_assets_to_labelers)
  /// update_asset_consensus; throws kili::Error.
  KILI_CPP_ACTION_THROW(update_asset_consensus)
  /// add_metadata; throws kili::Error.
  KILI_CPP_ACTION_THROW(add_metadata)
  /// set_metadata; throws kili::Error.
  KILI_CPP_ACTION_THROW(set_metadata)
  /// skip_or_unskip; throws kili::Error.
  KILI_CPP_ACTION_THROW(skip_or_unskip)
#undef KILI_CPP_ACTION_THROW
  /// Installs an event handler (see the ErrorInfo overload); throws kili::Error.
  void on_event(EventHandler handler) const {
    ErrorInfo err;
    on_event(std::move(handler), err);
    detail::throw_if(err);
  }
#endif  // KILI_CPP_EXCEPTIONS

#if KILI_CPP_HAS_NLOHMANN
  // Overloads taking nlohmann::json arguments (templates, so that string literals keep
  // choosing the std::string_view overloads unambiguously).
  template <class J>
  using if_json = std::enable_if_t<std::is_same_v<J, nlohmann::json> || std::is_same_v<J, nlohmann::ordered_json>, int>;

  template <class J, if_json<J> = 0>
  Cursor assets(const J& args, ErrorInfo& err, const CallOptions& opts = {}) const {
    return assets(std::string_view(args.dump()), err, opts);
  }
  template <class J, if_json<J> = 0>
  std::uint64_t count_assets(const J& args, ErrorInfo& err, const CallOptions& opts = {}) const {
    return count_assets(std::string_view(args.dump()), err, opts);
  }
  template <class J, if_json<J> = 0>
  std::string mutate(std::string_view action, const J& args, ErrorInfo& err, const CallOptions& opts = {}) const {
    return mutate(action, std::string_view(args.dump()), err, opts);
  }
  template <class J, if_json<J> = 0>
  std::uint64_t export_assets(const J& args, ExportFormat format, std::string_view path, ErrorInfo& err,
                              const CallOptions& opts = {}) const {
    return export_assets(std::string_view(args.dump()), format, path, err, opts);
  }
  template <class J, if_json<J> = 0>
  std::uint64_t export_assets(const J& args, ExportFormat format, int fd, ErrorInfo& err,
                              const CallOptions& opts = {}) const {
    return export_assets(std::string_view(args.dump()), format, fd, err, opts);
  }
#if KILI_CPP_EXCEPTIONS
  template <class J, if_json<J> = 0>
  Cursor assets(const J& args, const CallOptions& opts = {}) const {
    return assets(std::string_view(args.dump()), opts);
  }
  template <class J, if_json<J> = 0>
  std::uint64_t count_assets(const J& args, const CallOptions& opts = {}) const {
    return count_assets(std::string_view(args.dump()), opts);
  }
  template <class J, if_json<J> = 0>
  std::string mutate(std::string_view action, const J& args, const CallOptions& opts = {}) const {
    return mutate(action, std::string_view(args.dump()), opts);
  }
  template <class J, if_json<J> = 0>
  std::uint64_t export_assets(const J& args, ExportFormat format, std::string_view path,
                              const CallOptions& opts = {}) const {
    return export_assets(std::string_view(args.dump()), format, path, opts);
  }
  template <class J, if_json<J> = 0>
  std::uint64_t export_assets(const J& args, ExportFormat format, int fd, const CallOptions& opts = {}) const {
    return export_assets(std::string_view(args.dump()), format, fd, opts);
  }
#define KILI_CPP_ACTION_JSON(name)                                            \
  template <class J, if_json<J> = 0>                                          \
  std::string name(const J& args, const CallOptions& opts = {}) const {       \
    return mutate(#name, std::string_view(args.dump()), opts);                \
  }
  KILI_CPP_ACTION_JSON(append_many_to_dataset)
  KILI_CPP_ACTION_JSON(update_properties_in_assets)
  KILI_CPP_ACTION_JSON(change_asset_external_ids)
  KILI_CPP_ACTION_JSON(delete_many_from_dataset)
  KILI_CPP_ACTION_JSON(add_to_review)
  KILI_CPP_ACTION_JSON(send_back_to_queue)
  KILI_CPP_ACTION_JSON(set_assets_priority)
  KILI_CPP_ACTION_JSON(assign_assets_to_labelers)
  KILI_CPP_ACTION_JSON(update_asset_consensus)
  KILI_CPP_ACTION_JSON(add_metadata)
  KILI_CPP_ACTION_JSON(set_metadata)
  KILI_CPP_ACTION_JSON(skip_or_unskip)
#undef KILI_CPP_ACTION_JSON
#endif  // KILI_CPP_EXCEPTIONS
#endif  // KILI_CPP_HAS_NLOHMANN

  /// The C handle (NULL when empty); still owned by this object.
  kili_client_t* raw() const noexcept { return h_.get(); }
  /// Gives up ownership of the C handle; the caller must kili_client_free it.
  kili_client_t* release() noexcept { return h_.release(); }
  /// Whether this client holds a handle.
  explicit operator bool() const noexcept { return static_cast<bool>(h_); }

 private:
  static void call_handler(void* user_data, const char* json, std::size_t len) noexcept {
#if KILI_CPP_EXCEPTIONS
    try {
      (*static_cast<EventHandler*>(user_data))(std::string_view(json, len));
    } catch (...) {
      // Must not unwind into the library; an event is best-effort.
    }
#else
    (*static_cast<EventHandler*>(user_data))(std::string_view(json, len));
#endif
  }
  static void drop_handler(void* user_data) noexcept { delete static_cast<EventHandler*>(user_data); }

  /// kili_assets_export: `path` non-NULL selects the file, else `fd`.
  std::uint64_t export_c(std::string_view args_json, ExportFormat format, const char* path, std::size_t path_len,
                         int fd, ErrorInfo& err, const CallOptions& opts) const {
    kili_call_options_t o = opts.to_c();
    std::string_view fmt = detail::format_name(format);
    std::uint64_t n = 0;
    detail::ErrorSlot e;
    kili_status_t st = kili_assets_export(h_.get(), detail::ptr(args_json), args_json.size(), detail::ptr(fmt),
                                          fmt.size(), path, path_len, static_cast<std::int32_t>(fd), &o, &n, e.out());
    e.fill(st, err);
    return st == KILI_OK ? n : 0;
  }

  std::unique_ptr<kili_client_t, detail::ClientDeleter> h_;
};

}  // namespace kili

namespace std {
/// kili::Status converts implicitly to std::error_code.
template <>
struct is_error_code_enum<kili::Status> : true_type {};
}  // namespace std

#endif  // KILI_HPP
