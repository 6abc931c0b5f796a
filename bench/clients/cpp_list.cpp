// Benchmark client (bench/run.sh): lists a project through the C++ wrapper (kili.hpp, one
// std::string per asset via the range-for iterator) and prints {"secs", "items", "peak_rss_kb"}.
//
//   cpp_list PROJECT FIELDS        FIELDS: "default" or a comma list
#include <kili.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

static long peak_rss_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: cpp_list PROJECT FIELDS\n");
    return 2;
  }
  try {
    kili::Client client(R"({"rate_limit_per_minute": 0, "prefetch_pages": 2})");
    std::string args = std::string(R"({"project_id": ")") + argv[1] + "\"";
    std::string fields = argv[2];
    if (fields != "default") {
      std::string list = "\"";
      for (char c : fields) list += (c == ',') ? std::string("\",\"") : std::string(1, c);
      args += R"(, "fields": [)" + list + "\"]";
    }
    args += "}";
    auto t = std::chrono::steady_clock::now();
    unsigned long long n = 0;
    for (const std::string& asset : client.assets(args)) n += !asset.empty();
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    std::printf("{\"secs\": %f, \"items\": %llu, \"peak_rss_kb\": %ld}\n", secs, n, peak_rss_kb());
  } catch (const kili::Error& e) {
    std::fprintf(stderr, "cpp_list: %s\n", e.what());
    return 1;
  }
  return 0;
}
