// Shared helpers of the GoogleTest suite: a fixture with a fresh emulator per test (so that
// mutations never leak between tests) and tiny JSON text probes (the library emits compact
// serde_json text; the tests avoid depending on a JSON library).
#ifndef KILI_CPP_TESTS_SUPPORT_HPP
#define KILI_CPP_TESTS_SUPPORT_HPP

#include <gtest/gtest.h>

#include <stdlib.h>

#include <filesystem>
#include <kili.hpp>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "emulator.hpp"

namespace kili_test {

/// The fixture's main project (12 assets: 6 TODO, 1 ONGOING, 4 LABELED, 1 REVIEWED).
inline const char* kProject = "proj-images";

/// A test with its own emulator and a client for Alice.
class EmulatorTest : public ::testing::Test {
 protected:
  Emulator emu;
  kili::Client client{emu.options()};

  /// `{"project_id":"proj-images"` + extra + `}`; `extra` empty or starting with a comma.
  static std::string args(const std::string& extra = "") {
    return std::string("{\"project_id\":\"") + kProject + "\"" + extra + "}";
  }
};

/// Every value of `"key":"..."` string members in `json`, in order.
inline std::vector<std::string> string_values(const std::string& json, const std::string& key) {
  std::vector<std::string> out;
  const std::string needle = "\"" + key + "\":\"";
  for (auto pos = json.find(needle); pos != std::string::npos; pos = json.find(needle, pos)) {
    pos += needle.size();
    auto end = json.find('"', pos);
    out.push_back(json.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

/// The first `"key":"..."` string value in `json`, or "" when absent.
inline std::string string_value(const std::string& json, const std::string& key) {
  auto v = string_values(json, key);
  return v.empty() ? std::string() : v.front();
}

/// A fresh directory under the system temp dir (named `kili-cpp-<tag>-XXXXXX`), removed with
/// everything in it at the end.
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    std::string tmpl =
        (std::filesystem::temp_directory_path() / ("kili-cpp-" + tag + "-XXXXXX")).string();
    if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  std::string str() const { return path_.string(); }
  /// The names of the entries of the directory (to prove that nothing was left behind).
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path_))
      out.push_back(e.path().filename().string());
    return out;
  }

 private:
  std::filesystem::path path_;
};

/// Whether `haystack` contains `needle`.
inline bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace kili_test

#endif  // KILI_CPP_TESTS_SUPPORT_HPP
