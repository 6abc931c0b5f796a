package com.kili.nativesdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Every status maps to its subclass, through the factory the JNI shim calls, and live. */
class ExceptionMappingTest {
    private static KiliException make(int code, String details) {
        return KiliException.fromNative(code, "msg".getBytes(StandardCharsets.UTF_8),
                details.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyStatusHasItsSubclass() {
        Class<?>[] expected = {null, null, InvalidArgumentException.class, InvalidStateException.class,
            AuthException.class, NotFoundException.class, RateLimitedException.class, NetworkException.class,
            KiliTimeoutException.class, CancelledException.class, GraphQLException.class, ServerException.class,
            PartialFailureException.class, InternalException.class};
        for (int code = 2; code < expected.length; code++) {
            KiliException e = make(code, "{\"status\":\"X\"}");
            assertEquals(expected[code], e.getClass(), "code " + code);
            assertEquals(code, e.code());
            assertEquals(Status.of(code), e.status());
            assertEquals("KILI_" + Status.of(code).name(), KiliClient.statusName(code));
        }
        assertInstanceOf(ServerException.class, make(10, "{}"));
        assertEquals(Status.UNKNOWN, make(99, "{}").status());
        assertEquals("KILI_UNKNOWN_STATUS", KiliClient.statusName(99));
    }

    @Test
    void detailsAndPathAreExposed() {
        KiliException e = make(2, "{\"status\":\"INVALID_ARGUMENT\",\"path\":\"status_in[1]\"}");
        assertEquals("status_in[1]", e.path());
        assertEquals("INVALID_ARGUMENT", e.details().get("status"));
        PartialFailureException p = (PartialFailureException) make(12,
                "{\"status\":\"PARTIAL_FAILURE\",\"result\":null,\"outcomes\":{\"succeeded\":[{\"asset_id\":\"a\","
                        + "\"external_id\":\"x\"}],\"declined\":[],\"failed\":[{\"asset_id\":\"b\",\"external_id\":null,"
                        + "\"reason\":\"boom\"}]}}");
        assertEquals("a", p.partialResult().succeeded().get(0).assetId());
        assertEquals("boom", p.partialResult().failed().get(0).reason());
    }

    @Test
    void liveErrorsMapToTheirSubclass() {
        Emulator emu = Emulator.shared();
        try (KiliClient c = emu.client()) {
            InvalidArgumentException bad = assertThrows(InvalidArgumentException.class,
                    () -> c.countAssets(AssetQuery.project(Emulator.READ_PROJECT).statusIn("TODO", "BOGUS")));
            assertEquals("status_in[1]", bad.path(), bad.getMessage());
            InvalidArgumentException unknown = assertThrows(InvalidArgumentException.class,
                    () -> c.countAssetsJson("{\"project_id\":\"p-read\",\"status_inn\":[\"TODO\"]}", CallOptions.DEFAULT));
            assertTrue(unknown.getMessage().contains("status_in"), unknown.getMessage());
            assertThrows(InvalidArgumentException.class, () -> c.countAssetsJson("{not json", CallOptions.DEFAULT));
            assertThrows(InvalidArgumentException.class,
                    () -> c.mutateJson("no_such_action", "{}", CallOptions.DEFAULT));
            NotFoundException nf = assertThrows(NotFoundException.class, () -> c.deleteManyFromDataset(
                    AssetSelection.externalIds(Emulator.READ_PROJECT, "no-such-external-id")));
            assertTrue(nf.getMessage().contains("no-such-external-id"), nf.getMessage());
        }
        try (KiliClient eve = KiliClient.builder().apiKey(Emulator.OTHER_KEY).apiEndpoint(emu.endpoint()).build()) {
            // eve sees nothing of the project: its external ids do not resolve for her
            assertThrows(NotFoundException.class,
                    () -> eve.deleteManyFromDataset(AssetSelection.externalIds(Emulator.READ_PROJECT, "ext-00")));
        }
        AuthException auth = assertThrows(AuthException.class, () -> {
            try (KiliClient c = KiliClient.builder().apiKey("wrong-key-xyz").apiEndpoint(emu.endpoint()).build()) {
                c.countAssets(AssetQuery.project(Emulator.READ_PROJECT));
            }
        });
        assertTrue(!auth.getMessage().contains("wrong-key-xyz") && !auth.detailsJson().contains("wrong-key-xyz"));
        InvalidArgumentException opt = assertThrows(InvalidArgumentException.class,
                () -> KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(emu.endpoint()).pageSize(1000).build());
        assertEquals("page_size", opt.path());
        InvalidArgumentException width = assertThrows(InvalidArgumentException.class,
                () -> KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(emu.endpoint()).mutationConcurrency(0).build());
        assertEquals("mutation_concurrency", width.path());
    }

    @Test
    void networkFailureIsNetworkException() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String endpoint = "http://127.0.0.1:" + port + "/api/label/v2/graphql";
        KiliException e = assertThrows(KiliException.class, () -> {
            try (KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(endpoint)
                    .retryDeadline(java.time.Duration.ofMillis(300)).build()) {
                c.countAssets(AssetQuery.project(Emulator.READ_PROJECT));
            }
        });
        assertTrue(e instanceof NetworkException || e instanceof KiliTimeoutException, e.toString());
    }

    @Test
    void serverFaultsMapToServerRateLimitedAndPartialFailure() {
        try (Emulator faulty = Emulator.start("--fault-rate", "1", "--fault-kinds", "500",
                "--fault-operations", "countAssets")) {
            try (KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(faulty.endpoint())
                    .retryDeadline(java.time.Duration.ofMillis(300)).build()) {
                assertThrows(ServerException.class, () -> c.countAssets(AssetQuery.project(Emulator.READ_PROJECT)));
            }
        }
        try (Emulator failing = Emulator.start("--fault-rate", "1", "--fault-kinds", "500",
                "--fault-operations", "deleteAssets", "--fault-mutation-phase", "before")) {
            try (KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(failing.endpoint())
                    .retryDeadline(java.time.Duration.ofMillis(300)).build()) {
                PartialFailureException e = assertThrows(PartialFailureException.class,
                        () -> c.deleteManyFromDataset(AssetSelection.assetIds("asset-00", "asset-01")));
                MutationResult partial = e.partialResult();
                assertEquals(2, partial.failed().size(), e.detailsJson());
                assertEquals("asset-00", partial.failed().get(0).assetId());
                assertTrue(partial.failed().get(0).reason().contains("500"), e.detailsJson());
                assertTrue(partial.succeeded().isEmpty());
            }
        }
        try (Emulator limited = Emulator.start("--fault-rate", "1", "--fault-kinds", "429",
                "--fault-operations", "countAssets", "--fault-retry-after", "1")) {
            try (KiliClient c = KiliClient.builder().apiKey(Emulator.API_KEY).apiEndpoint(limited.endpoint())
                    .retryDeadline(java.time.Duration.ofMillis(300)).build()) {
                assertThrows(RateLimitedException.class, () -> c.countAssets(AssetQuery.project(Emulator.READ_PROJECT)));
            }
        }
    }
}
