// kili-native Java quickstart: the whole lifecycle of the asset module against a Kili endpoint,
// the same steps as examples/quickstart.cpp.
//
// Reads KILI_API_KEY and KILI_API_ENDPOINT from the environment (the library does it when the
// options omit them); by default run it against a local emulator:
//   ./target/debug/kili-emulator --port 0 --seed-demo      # prints http://127.0.0.1:PORT
//   export KILI_API_ENDPOINT=http://127.0.0.1:PORT/api/label/v2/graphql KILI_API_KEY=demo-api-key
//   (cd bindings/java && mvn -q package -DskipTests)     # classes jar + debug natives in target/natives
//   java -cp bindings/java/target/kili-native-0.1.0.jar:bindings/java/target/natives \
//     bindings/java/examples/Quickstart.java [project_id]
// (Java 11+ runs a single source file directly; NativeLoader extracts and loads the natives it finds
// on the classpath: here the development build's, for a released version the classifier jar
// com.kili.nativesdk:kili-native:0.1.0:linux-x86_64.)

import com.kili.nativesdk.AppendAssets;
import com.kili.nativesdk.AssetCursor;
import com.kili.nativesdk.AssetQuery;
import com.kili.nativesdk.AssetSelection;
import com.kili.nativesdk.ChangeExternalIds;
import com.kili.nativesdk.KiliClient;
import com.kili.nativesdk.KiliException;
import com.kili.nativesdk.NotFoundException;
import com.kili.nativesdk.UpdateAssets;
import java.util.List;
import java.util.Map;

public class Quickstart {
    public static void main(String[] args) {
        String project = args.length > 0 ? args[0] : "demo-project";
        System.out.println("kili-native " + KiliClient.libraryVersion());
        // 1. A client: api_key / api_endpoint come from the environment here.
        // 2. Events: progress of bulk calls, deprecation and empty-list warnings. The listener may
        //    run on library threads, so it only prints one line at a time.
        try (KiliClient client = KiliClient.builder().pageSize(50)
                .eventListener(e -> System.err.println("  event: " + e.json())).build()) {
            // 3. Count, then list a few assets (a cursor in try-with-resources; pages are prefetched).
            AssetQuery all = AssetQuery.project(project);
            System.out.println("assets in " + project + ": " + client.countAssets(all));
            System.out.println("TODO assets: " + client.countAssets(AssetQuery.project(project).statusIn("TODO")));
            try (AssetCursor cursor = client.assets(AssetQuery.project(project).fields("id", "externalId", "status").first(5))) {
                cursor.forEachRemaining(a -> System.out.println("  " + a.json()));
            }
            // 4. Import two assets.
            System.out.println("append_many_to_dataset: " + client.appendManyToDataset(AppendAssets.project(project)
                    .contentArray("https://storage.example.com/quickstart/a.jpg", "https://storage.example.com/quickstart/b.jpg")
                    .externalIdArray("quickstart-a", "quickstart-b")
                    .jsonMetadataArray(List.of(Map.of("source", "java"), Map.of("source", "java")))).json());
            // 5. Update them: priorities, then a new external id.
            System.out.println("update_properties_in_assets: " + client.updatePropertiesInAssets(
                    UpdateAssets.externalIds(project, List.of("quickstart-a", "quickstart-b")).priorities(List.of(3, 1))).json());
            System.out.println("change_asset_external_ids: " + client.changeAssetExternalIds(
                    ChangeExternalIds.ofExternalIds(project, List.of("quickstart-b"), List.of("quickstart-b2"))).json());
            // 6. Review workflow: only labeled assets can go to review (others are "declined").
            System.out.println("add_to_review: "
                    + client.addToReview(AssetSelection.externalIds(project, "image-03", "quickstart-a")).json());
            System.out.println("send_back_to_queue: "
                    + client.sendBackToQueue(AssetSelection.externalIds(project, "image-03")).json());
            // 7. Delete what we imported; the count is back where it was.
            System.out.println("delete_many_from_dataset: " + client.deleteManyFromDataset(
                    AssetSelection.externalIds(project, "quickstart-a", "quickstart-b2")).json());
            System.out.println("assets in " + project + ": " + client.countAssets(all));
            // 8. Errors are exceptions by category; here a project the key cannot see.
            try (AssetCursor c = client.assets(AssetQuery.project("no-such-project"))) {
                System.out.println("unexpected: no error");
            } catch (NotFoundException e) {
                System.out.println("expected error: " + e.getMessage());
            }
        } catch (KiliException e) { // the client (and its listener) are released by try-with-resources
            System.err.println("kili error " + e.status() + ": " + e.getMessage() + "\ndetails: " + e.detailsJson());
            System.exit(1);
        }
    }
}
