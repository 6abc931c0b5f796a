package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming export ({@code kili_assets_export}) through {@link KiliClient#exportAssets}. */
class ExportTest {
    static KiliClient client;

    @BeforeAll
    static void open() {
        client = Emulator.shared().client();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    static AssetQuery read() {
        return AssetQuery.project(Emulator.READ_PROJECT);
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void ndjsonExportEqualsTheCursorOutput(@TempDir Path dir) throws IOException {
        AssetQuery q = read().fields("id", "externalId", "status", "jsonMetadata", "labels.author.email");
        Path out = dir.resolve("assets.ndjson");
        long n = client.exportAssets(q, ExportFormat.NDJSON, out);
        List<Asset> want = client.listAssets(q);
        assertEquals(Emulator.READ_ASSETS, want.size());
        assertEquals(want.size(), n);
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(want.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            // same ids in the same order, same JSON values
            assertEquals(want.get(i).fields(), Json.parseObject(lines.get(i)), "line " + (i + 1));
        }
        assertEquals(List.of("assets.ndjson"), entries(dir), "the .part file must be renamed");
    }

    @Test
    void csvExportHasTheFieldsAsHeaderAndOneRowPerAsset(@TempDir Path dir) throws IOException {
        AssetQuery q = read().statusIn("LABELED", "REVIEWED").fields("id", "externalId", "status");
        Path out = dir.resolve("assets.csv");
        long n = client.exportAssets(q, ExportFormat.CSV, out);
        assertEquals(client.countAssets(q), n);
        assertEquals(10, n); // fixture: 5 LABELED + 5 REVIEWED
        List<String> rows = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(n + 1, rows.size());
        assertEquals("id,externalId,status", rows.get(0));
        List<Asset> want = client.listAssets(q);
        List<String> expected = new ArrayList<>();
        for (Asset a : want) {
            expected.add(a.id() + "," + a.externalId() + "," + a.status());
        }
        assertEquals(expected, rows.subList(1, rows.size()));
    }

    @Test
    void relativePathsFollowUserDir(@TempDir Path dir) throws IOException {
        // Path.of("x") resolves against user.dir, which is also the JVM's working directory
        // here, so the file lands where Java would put it.
        Path rel = Path.of(System.getProperty("user.dir")).relativize(dir.resolve("rel.ndjson"));
        assertFalse(rel.isAbsolute());
        assertEquals(3, client.exportAssets(read().first(3), ExportFormat.NDJSON, rel));
        assertEquals(3, Files.readAllLines(dir.resolve("rel.ndjson")).size());
    }

    @Test
    void invalidArgumentsNameTheArgumentAndCreateNoFile(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("bad.out");
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> client.exportAssetsJson(read().toJson(), "xml", out, CallOptions.DEFAULT));
        assertEquals("format", e.path());
        assertTrue(e.getMessage().contains("format"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class,
                () -> client.exportAssets(read().statusIn("DONE"), ExportFormat.CSV, out));
        assertEquals("status_in[0]", e.path());
        e = assertThrows(InvalidArgumentException.class,
                () -> client.exportAssets(read(), ExportFormat.CSV, dir.resolve("no-such-dir").resolve("x.csv")));
        assertEquals("path", e.path());
        assertThrows(IllegalArgumentException.class, () -> client.exportAssets(read(), null, out));
        assertThrows(IllegalArgumentException.class, () -> client.exportAssets(read(), ExportFormat.CSV, null));
        assertEquals(List.of(), entries(dir), "rejected exports must not create files");
    }

    @Test
    void unknownOrInvisibleProjectIsNotFoundAndCreatesNoFile(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("missing.ndjson");
        assertThrows(NotFoundException.class,
                () -> client.exportAssets(AssetQuery.project("no-such-project"), ExportFormat.NDJSON, out));
        try (KiliClient eve = KiliClient.builder().apiKey(Emulator.OTHER_KEY)
                .apiEndpoint(Emulator.shared().endpoint()).build()) {
            assertThrows(NotFoundException.class, () -> eve.exportAssets(read(), ExportFormat.CSV, out));
        }
        assertEquals(List.of(), entries(dir));
    }

    @Test
    void cancelTokenCancelsABlockedExportAndLeavesNoFile(@TempDir Path dir) throws Exception {
        try (StallingProxy proxy = new StallingProxy(Emulator.shared().baseUrl);
                KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(proxy.endpoint()).build()) {
            proxy.stall();
            CancelToken token = new CancelToken();
            Path out = dir.resolve("cancelled.ndjson");
            CompletableFuture<Long> f = CompletableFuture.supplyAsync(
                    () -> c.exportAssets(read(), ExportFormat.NDJSON, out, CallOptions.cancelledBy(token)));
            assertTrue(proxy.requestHeld.await(30, TimeUnit.SECONDS), "the request never reached the proxy");
            token.cancel();
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
            assertInstanceOf(CancelledException.class, e.getCause());
            proxy.resume();
            assertEquals(List.of(), entries(dir), "a cancelled export must not leave a file (nor its .part)");
        }
    }

    @Test
    void exportReportsProgressEvents(@TempDir Path dir) {
        List<KiliEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(Emulator.shared().endpoint())
                .pageSize(10).eventListener(events::add).build()) {
            assertEquals(Emulator.READ_ASSETS, c.exportAssets(read(), ExportFormat.CSV, dir.resolve("p.csv")));
        }
        List<String> exportEvents = events.stream().map(KiliEvent::json)
                .filter(j -> j.contains("\"operation\":\"export\"")).collect(Collectors.toList());
        assertFalse(exportEvents.isEmpty(), "no export progress event among " + events);
        Map<String, Object> last = Json.parseObject(exportEvents.get(exportEvents.size() - 1));
        assertEquals((long) Emulator.READ_ASSETS, ((Number) last.get("done")).longValue());
    }

    @Test
    void downloadMediaErrorsSetterWritesTheArgument() {
        assertTrue(read().downloadMediaErrors(MediaErrorPolicy.REPORT).toJson()
                .contains("\"download_media_errors\":\"report\""));
        AssetQuery q = read().downloadMediaErrors(MediaErrorPolicy.RAISE);
        assertEquals("raise", q.params().get("download_media_errors"));
        assertFalse(q.forCount().params().containsKey("download_media_errors"), "a listing-only key");
        assertThrows(IllegalArgumentException.class, () -> read().downloadMediaErrors(null));
    }
}
