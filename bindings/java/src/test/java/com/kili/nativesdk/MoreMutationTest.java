package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * set_assets_priority, assign_assets_to_labelers, update_asset_consensus, add_metadata,
 * set_metadata and skip_or_unskip, each checked by reading the assets back.
 */
class MoreMutationTest {
    private static Map<String, Asset> byId(KiliClient c, List<String> ids) {
        return c.listAssets(AssetQuery.project(Emulator.WRITE_PROJECT).assetIdIn(ids.toArray(new String[0]))
                .fields("id", "priority", "jsonMetadata", "skipped", "assignedTo.id")).stream()
                .collect(Collectors.toMap(Asset::id, a -> a));
    }

    @Test
    void theRestOfTheAssetMethods() {
        try (KiliClient c = Emulator.shared().client()) {
            List<String> ids = c.appendManyToDataset(AppendAssets.project(Emulator.WRITE_PROJECT)
                    .contentArray("more one", "more two").externalIdArray("more-1", "more-2")
                    .jsonMetadataArray(List.of(Map.of("n", 1), Map.of("n", 2)))).assetIds();
            assertEquals(2, ids.size());

            MutationResult pr = c.setAssetsPriority(AssetsPriority.ofAssetIds(4, ids));
            assertEquals(2, pr.succeeded().size(), pr.json());
            assertEquals(2, ((List<?>) ((Map<?, ?>) pr.result()).get("succeeded")).size(), pr.json());
            assertEquals(4L, byId(c, ids).get(ids.get(0)).get("priority"));

            MutationResult as = c.assignAssetsToLabelers(AssignAssets.ofExternalIds(Emulator.WRITE_PROJECT,
                    List.of("more-1", "more-2"), List.of(List.of("alice"), List.of())));
            assertEquals(2, as.succeeded().size(), as.json());
            Map<String, Asset> now = byId(c, ids);
            assertEquals("alice", now.get(ids.get(0)).get("assignedTo.0.id"), now.get(ids.get(0)).json());

            c.addMetadata(AssetMetadata.ofAssetIds(Emulator.WRITE_PROJECT, List.of(ids.get(0)),
                    List.of(Map.of("extra", "x"))));
            assertEquals(Map.of("n", 1L, "extra", "x"), byId(c, ids).get(ids.get(0)).jsonMetadata());
            MutationResult set = c.setMetadata(AssetMetadata.ofExternalIds(Emulator.WRITE_PROJECT, List.of("more-2"),
                    List.of(Map.of("only", true))));
            assertEquals(List.of(Map.of("id", ids.get(1))), set.result());
            assertEquals(Map.of("only", true), byId(c, ids).get(ids.get(1)).jsonMetadata());

            MutationResult sk = c.skipOrUnskip(SkipAsset.skip(Emulator.WRITE_PROJECT, ids.get(1), "blurry"));
            assertEquals(ids.get(1), sk.result());
            assertEquals(Boolean.TRUE, byId(c, ids).get(ids.get(1)).skipped());
            c.skipOrUnskip(SkipAsset.unskip(Emulator.WRITE_PROJECT, ids.get(1)));
            assertEquals(Boolean.FALSE, byId(c, ids).get(ids.get(1)).skipped());

            // A legacy-workflow project: the server refuses consensus changes, reported per item.
            PartialFailureException e = assertThrows(PartialFailureException.class,
                    () -> c.updateAssetConsensus(AssetConsensus.ofAssetId(Emulator.WRITE_PROJECT, ids.get(0), true)));
            assertEquals(ids.get(0), e.partialResult().failed().get(0).assetId());

            // Checked before any request, naming the argument.
            InvalidArgumentException bad = assertThrows(InvalidArgumentException.class,
                    () -> c.setAssetsPriority(AssetsPriority.ofAssetIds(-1, ids)));
            assertEquals("priority", bad.path());
            c.deleteManyFromDataset(AssetSelection.assetIds(ids));
            assertTrue(byId(c, ids).isEmpty());
        }
    }
}
