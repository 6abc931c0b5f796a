// A C++17 program built against an installed kili release by tests/dist/c_cpp.sh, with CMake
// (find_package(kili CONFIG) and kili::cpp). Against an emulator's demo project it lists and
// counts the assets, imports one, finds it, deletes it, and maps a bad argument to its
// exception class; it prints key=value lines that the script asserts.
//
// Environment: KILI_API_ENDPOINT, KILI_API_KEY. Arguments: project id, external id to import.
#include <kili.hpp>

#include <iostream>
#include <set>
#include <string>

int main(int argc, char** argv) {
  const std::string project = argc > 1 ? argv[1] : "demo-project";
  const std::string external_id = argc > 2 ? argv[2] : "dist-check";
  const std::string in_project = "{\"project_id\":\"" + project + "\"";
  try {
    std::cout << "version=" << kili::version() << "\n";
    kili::Client client(kili::Options().page_size(6));  // endpoint and key from the environment

    std::set<std::string> ids;
    std::size_t listed = 0;
    for (const std::string& asset : client.assets(in_project + ",\"fields\":[\"id\",\"externalId\"]}")) {
      const auto at = asset.find("\"id\":\"");
      if (at != std::string::npos) ids.insert(asset.substr(at + 6, asset.find('"', at + 6) - at - 6));
      ++listed;
    }
    std::cout << "count=" << client.count_assets(in_project + "}") << "\n"
              << "listed=" << listed << "\n"
              << "distinct_ids=" << ids.size() << "\n";

    const std::string imported = client.append_many_to_dataset(
        in_project + ",\"content_array\":[\"https://storage.example.com/dist/" + external_id +
        ".jpg\"],\"external_id_array\":[\"" + external_id + "\"]}");
    std::cout << "count_after_import=" << client.count_assets(in_project + "}") << "\n";
    std::size_t found = 0;
    for (const std::string& asset : client.assets(in_project + ",\"external_id_strictly_in\":[\"" + external_id +
                                                  "\"],\"fields\":[\"id\",\"externalId\"]}")) {
      found += asset.find("\"externalId\":\"" + external_id + "\"") != std::string::npos;
    }
    std::cout << "found_imported=" << found << "\n";
    client.delete_many_from_dataset(in_project + ",\"external_ids\":[\"" + external_id + "\"]}");
    std::cout << "count_after_delete=" << client.count_assets(in_project + "}") << "\n";

    // A misspelt argument: refused by the library, thrown as the C++ class of its status.
    try {
      client.count_assets(in_project + ",\"status_inn\":[\"TODO\"]}");
      std::cout << "bad_argument=accepted\n";
    } catch (const kili::InvalidArgumentError&) {
      std::cout << "bad_argument=InvalidArgumentError\n";
    }
    std::cout << "cpp consumer: ok\n";
    return 0;
  } catch (const kili::Error& e) {
    std::cerr << "kili error " << kili::status_name(e.status()) << ": " << e.message() << "\n"
              << "details: " << e.details_json() << "\n";
    return 1;
  }
}
