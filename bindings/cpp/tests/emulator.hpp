// Test harness: starts a kili-emulator process on a free loopback port with the test fixture,
// reads its base URL from the first line of its stdout, and stops it on destruction.
//
// Written without exceptions so that the -fno-exceptions test can use it too; a failure to
// start aborts the test program with a message (nothing can be tested without a server).
#ifndef KILI_CPP_TESTS_EMULATOR_HPP
#define KILI_CPP_TESTS_EMULATOR_HPP

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace kili_test {

/// The API key of the fixture's user Alice (member of proj-images).
inline const char* kApiKey = "cpp-test-key";
/// The API key of Bob (member of proj-secret only).
inline const char* kBobApiKey = "cpp-test-key-bob";

inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return (v && *v) ? v : fallback;
}

/// One emulator process. Not copyable or movable; owns the child process and its stdout pipe.
class Emulator {
 public:
  /// Starts the emulator with the test fixture plus `extra` command-line arguments.
  explicit Emulator(std::vector<std::string> extra = {}) {
    std::string bin = env_or("KILI_EMULATOR_BIN", KILI_TEST_EMULATOR_BIN);
    std::vector<std::string> args = {bin, "--port", "0", "--fixture",
                                     env_or("KILI_TEST_FIXTURE", KILI_TEST_FIXTURE)};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);

    int fds[2];
    if (pipe(fds) != 0) die("pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    int rc = posix_spawn(&pid_, bin.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) die(("cannot start " + bin).c_str());
    out_ = fdopen(fds[0], "r");

    // The first line is the base URL, printed once the server listens.
    char line[512];
    if (!std::fgets(line, sizeof line, out_)) die("the emulator exited before printing its URL");
    std::string first(line);
    auto pos = first.find("http://");
    if (pos == std::string::npos) die(("unexpected first line: " + first).c_str());
    auto end = first.find_first_of(" \r\n\t", pos);
    base_url_ = first.substr(pos, end == std::string::npos ? std::string::npos : end - pos);

    // Keep draining stdout so the emulator never blocks on (or dies from) a full or closed pipe.
    drain_ = std::thread([f = out_] {
      char buf[4096];
      while (std::fread(buf, 1, sizeof buf, f) > 0) {
      }
    });
  }
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;

  ~Emulator() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (drain_.joinable()) drain_.join();  // EOF once the child has exited
    if (out_) std::fclose(out_);
  }

  /// The GraphQL endpoint.
  std::string endpoint() const { return base_url_ + "/api/label/v2/graphql"; }

  /// Client options JSON for this emulator with `api_key` and extra JSON members
  /// (`extra` is either empty or starts with a comma).
  std::string options(const char* api_key = kApiKey, const std::string& extra = "") const {
    return "{\"api_endpoint\":\"" + endpoint() + "\",\"api_key\":\"" + api_key + "\"" + extra + "}";
  }

 private:
  [[noreturn]] static void die(const char* what) {
    std::fprintf(stderr, "kili C++ tests: emulator harness: %s\n", what);
    std::abort();
  }

  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  std::thread drain_;
  std::string base_url_;
};

}  // namespace kili_test

#endif  // KILI_CPP_TESTS_EMULATOR_HPP
