// kili-native C++ quickstart: the whole lifecycle of the asset module against a Kili endpoint.
//
// Reads KILI_API_KEY and KILI_API_ENDPOINT from the environment (the library does it when the
// options omit them); by default run it against a local emulator:
//   ./target/debug/kili-emulator --port 0 --seed-demo      # prints http://127.0.0.1:PORT
//   export KILI_API_ENDPOINT=http://127.0.0.1:PORT/api/label/v2/graphql KILI_API_KEY=demo-api-key
//   ./quickstart [project_id]
// Build: see bindings/cpp/CMakeLists.txt (-DKILI_CPP_BUILD_EXAMPLES=ON).
#include <kili.hpp>

#include <cstdio>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  const std::string project = argc > 1 ? argv[1] : "demo-project";
  const std::string in_project = "{\"project_id\":\"" + project + "\"";
  try {
    std::cout << "kili-native " << kili::version() << "\n";

    // 1. A client: options JSON; api_key / api_endpoint come from the environment here.
    kili::Client client("{\"page_size\":50}");

    // 2. Events: progress of bulk calls, deprecation and empty-list warnings. The handler may
    //    run on library threads, so it only writes one line at a time.
    client.on_event([](std::string_view event) {
      std::fprintf(stderr, "  event: %.*s\n", static_cast<int>(event.size()), event.data());
    });

    // 3. Count, then list a few assets (a cursor in a range-for; pages are prefetched).
    std::cout << "assets in " << project << ": " << client.count_assets(in_project + "}") << "\n";
    std::cout << "TODO assets: " << client.count_assets(in_project + ",\"status_in\":[\"TODO\"]}") << "\n";
    for (const std::string& asset :
         client.assets(in_project + ",\"fields\":[\"id\",\"externalId\",\"status\"],\"first\":5}")) {
      std::cout << "  " << asset << "\n";
    }

    // 4. Import two assets.
    std::cout << "append_many_to_dataset: "
              << client.append_many_to_dataset(
                     in_project +
                     ",\"content_array\":[\"https://storage.example.com/quickstart/a.jpg\","
                     "\"https://storage.example.com/quickstart/b.jpg\"],"
                     "\"external_id_array\":[\"quickstart-a\",\"quickstart-b\"],"
                     "\"json_metadata_array\":[{\"source\":\"cpp\"},{\"source\":\"cpp\"}]}")
              << "\n";

    // 5. Update them: priorities, then a new external id.
    std::cout << "update_properties_in_assets: "
              << client.update_properties_in_assets(
                     in_project + ",\"external_ids\":[\"quickstart-a\",\"quickstart-b\"],\"priorities\":[3,1]}")
              << "\n";
    std::cout << "change_asset_external_ids: "
              << client.change_asset_external_ids(
                     in_project + ",\"external_ids\":[\"quickstart-b\"],\"new_external_ids\":[\"quickstart-b2\"]}")
              << "\n";

    // 6. Review workflow: only labeled assets can go to review (others are "declined").
    std::cout << "add_to_review: "
              << client.add_to_review(in_project + ",\"external_ids\":[\"image-03\",\"quickstart-a\"]}") << "\n";
    std::cout << "send_back_to_queue: "
              << client.send_back_to_queue(in_project + ",\"external_ids\":[\"image-03\"]}") << "\n";

    // 7. Delete what we imported; the count is back where it was.
    std::cout << "delete_many_from_dataset: "
              << client.delete_many_from_dataset(in_project + ",\"external_ids\":[\"quickstart-a\",\"quickstart-b2\"]}")
              << "\n";
    std::cout << "assets in " << project << ": " << client.count_assets(in_project + "}") << "\n";

    // 8. Errors are exceptions by category; here a project the key cannot see.
    try {
      client.assets("{\"project_id\":\"no-such-project\"}");
    } catch (const kili::NotFoundError& e) {
      std::cout << "expected error: " << e.what() << "\n";
    }
    return 0;  // the client (and its event handler) are released here
  } catch (const kili::Error& e) {
    std::cerr << "kili error " << kili::status_name(e.status()) << ": " << e.message() << "\n"
              << "details: " << e.details_json() << "\n";
    return 1;
  }
}
