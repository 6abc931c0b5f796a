package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The six actions, each checked by reading the project back. */
class MutationTest {
    private static AssetQuery write() {
        return AssetQuery.project(Emulator.WRITE_PROJECT);
    }

    private static Map<String, Asset> byExternalId(KiliClient c, String... ext) {
        return c.listAssets(write().externalIdStrictlyIn(ext).fields("id", "externalId", "status", "priority",
                "jsonMetadata", "content")).stream().collect(Collectors.toMap(Asset::externalId, a -> a));
    }

    @Test
    void appendUpdateRenameReviewQueueDelete() {
        ConcurrentLinkedQueue<KiliEvent> events = new ConcurrentLinkedQueue<>();
        try (KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(Emulator.shared().endpoint())
                .eventListener(events::add).build()) {
            // append_many_to_dataset
            MutationResult appended = c.appendManyToDataset(AppendAssets.project(Emulator.WRITE_PROJECT)
                    .contentArray("first text", "second text", "third text")
                    .externalIdArray("m-a", "m-b", "m-c")
                    .jsonMetadataArray(List.of(Map.of("n", 1), Map.of("n", 2), Map.of("n", 3))));
            List<String> ids = appended.assetIds();
            assertEquals(3, ids.size(), appended.json());
            assertEquals(3, appended.succeeded().size(), appended.json());
            assertTrue(appended.failed().isEmpty());
            Map<String, Asset> now = byExternalId(c, "m-a", "m-b", "m-c");
            assertEquals(3, now.size());
            assertTrue(now.get("m-b").content() != null && !now.get("m-b").content().isEmpty()); // text is uploaded
            assertEquals(2L, now.get("m-b").jsonMetadata().get("n"));
            assertEquals(ids.get(0), now.get("m-a").id());
            assertTrue(events.stream().anyMatch(e -> e.type() == KiliEvent.Type.PROGRESS), events.toString());

            // update_properties_in_assets
            MutationResult updated = c.updatePropertiesInAssets(UpdateAssets.assetIds(ids)
                    .priorities(Arrays.asList(5, null, 7))
                    .jsonMetadatas(List.of(Map.of("n", 10), Map.of("n", 20), Map.of("n", 30))));
            assertTrue(updated.failed().isEmpty(), updated.json());
            now = byExternalId(c, "m-a", "m-b", "m-c");
            assertEquals(5L, now.get("m-a").get("priority"));
            assertEquals(7L, now.get("m-c").get("priority"));
            assertEquals(20L, now.get("m-b").jsonMetadata().get("n"));

            // change_asset_external_ids
            MutationResult renamed = c.changeAssetExternalIds(ChangeExternalIds.ofExternalIds(Emulator.WRITE_PROJECT,
                    List.of("m-c"), List.of("m-c2")));
            assertTrue(renamed.failed().isEmpty(), renamed.json());
            now = byExternalId(c, "m-a", "m-b", "m-c", "m-c2");
            assertEquals(ids.get(2), now.get("m-c2").id());
            assertTrue(!now.containsKey("m-c"));

            // delete_many_from_dataset
            long before = c.countAssets(write());
            MutationResult deleted = c.deleteManyFromDataset(AssetSelection.assetIds(ids));
            assertEquals(3, deleted.succeeded().size(), deleted.json());
            assertEquals(before - 3, c.countAssets(write()));
            assertTrue(byExternalId(c, "m-a", "m-b", "m-c2").isEmpty());
        }
    }

    @Test
    void addToReviewThenSendBackToQueue() {
        try (KiliClient c = Emulator.shared().client()) {
            List<String> ids = List.of("flow-0", "flow-1", "flow-2");
            // labeled assets move to TO_REVIEW, the TODO one is declined
            MutationResult reviewed = c.addToReview(AssetSelection.assetIds(ids));
            assertEquals(2, reviewed.succeeded().size(), reviewed.json());
            assertEquals(1, reviewed.declined().size(), reviewed.json());
            assertEquals("flow-2", reviewed.declined().get(0).assetId());
            assertEquals(List.of("TO_REVIEW", "TO_REVIEW", "TODO"), statuses(c));

            MutationResult queued = c.sendBackToQueue(
                    AssetSelection.externalIds(Emulator.FLOW_PROJECT, "flow-ext-0", "flow-ext-1"));
            assertEquals(2, queued.succeeded().size(), queued.json());
            assertEquals(List.of("ONGOING", "ONGOING", "TODO"), statuses(c));
        }
    }

    private static List<String> statuses(KiliClient c) {
        return c.listAssets(AssetQuery.project(Emulator.FLOW_PROJECT).fields("id", "status")).stream()
                .map(Asset::status).collect(Collectors.toList());
    }

    @Test
    void rawJsonMutationOverload() {
        try (KiliClient c = Emulator.shared().client()) {
            MutationResult r = c.mutateJson("append_many_to_dataset", "{\"project_id\":\"" + Emulator.WRITE_PROJECT
                    + "\",\"content_array\":[\"raw\"],\"external_id_array\":[\"raw-1\"]}", CallOptions.DEFAULT);
            assertEquals(1, r.assetIds().size(), r.json());
            List<String> ids = new ArrayList<>(r.assetIds());
            MutationResult d = c.mutateJson("delete_many_from_dataset", "{\"asset_ids\":[\"" + ids.get(0) + "\"]}",
                    CallOptions.DEFAULT);
            assertEquals(1, d.succeeded().size(), d.json());
        }
    }
}
