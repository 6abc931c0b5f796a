package com.kili.nativesdk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kili-emulator process for the tests: started with {@code --port 0} and a fixture written
 * here, its base URL read from the first line of its stdout. Stopped by {@link #close()} and,
 * as a safety net, at JVM exit.
 *
 * <p>Fixture: user alice ({@link #API_KEY}) admin of {@link #READ_PROJECT} (25 IMAGE assets
 * {@code asset-00..24}, external ids {@code ext-00..}, statuses cycling TODO/ONGOING/LABELED/
 * REVIEWED/TO_REVIEW, metadata {@code {"split": train|test, "rank": i}}, labels on LABELED
 * ones), of {@link #WRITE_PROJECT} (an empty TEXT project the mutation tests fill) and of
 * {@link #FLOW_PROJECT} (flow-0, flow-1 LABELED, flow-2 TODO, for review/queue); user eve
 * ({@link #OTHER_KEY}) is member of nothing.
 */
final class Emulator implements AutoCloseable {
    static final String API_KEY = "java-test-key";
    static final String OTHER_KEY = "java-other-key";
    static final String READ_PROJECT = "p-read";
    static final String WRITE_PROJECT = "p-write";
    static final String FLOW_PROJECT = "p-flow";
    static final int READ_ASSETS = 25;
    static final String[] STATUSES = {"TODO", "ONGOING", "LABELED", "REVIEWED", "TO_REVIEW"};

    private static Emulator shared;

    private final Process process;
    final String baseUrl;

    /** The emulator shared by the tests of this JVM (started on first use). */
    static synchronized Emulator shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** A new emulator with the fixture and extra command-line arguments (e.g. faults). */
    static Emulator start(String... extraArgs) {
        try {
            Path fixture = Files.createTempFile("kili-java-fixture", ".json");
            Files.writeString(fixture, Json.write(fixture()));
            fixture.toFile().deleteOnExit();
            List<String> cmd = new ArrayList<>(List.of(binary(), "--port", "0", "--fixture", fixture.toString()));
            cmd.addAll(List.of(extraArgs));
            Path log = Files.createTempFile("kili-java-emulator", ".log");
            log.toFile().deleteOnExit();
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            if (first == null || !first.startsWith("http://")) {
                p.destroyForcibly().waitFor(); // then its log is complete
                throw new IllegalStateException("kili-emulator did not print its URL (got " + first + "); log: "
                        + Files.readString(log));
            }
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // keep the pipe from filling up
                    }
                } catch (IOException e) {
                    // process ended
                }
            }, "emulator-stdout");
            drain.setDaemon(true);
            drain.start();
            return new Emulator(p, first.trim());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start kili-emulator: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting kili-emulator", e);
        }
    }

    private Emulator(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    }

    private static String binary() {
        String b = System.getProperty("kili.emulator");
        if (b == null || !Files.isExecutable(Path.of(b))) {
            throw new IllegalStateException("system property kili.emulator must name the kili-emulator binary, got " + b);
        }
        return b;
    }

    String endpoint() {
        return baseUrl + "/api/label/v2/graphql";
    }

    /** A client of this emulator with alice's key. */
    KiliClient client() {
        return KiliClient.builder().apiKey(API_KEY).apiEndpoint(endpoint()).build();
    }

    @Override
    public void close() {
        process.destroy();
    }

    private static Map<String, Object> fixture() {
        Map<String, Object> fx = new LinkedHashMap<>();
        fx.put("organizations", List.of(Map.of("id", "org", "name", "Org", "upload_local_data", true)));
        fx.put("users", List.of(
                Map.of("id", "alice", "email", "alice@example.com", "firstname", "Alice", "lastname", "A",
                        "organization_id", "org", "api_keys", List.of(Map.of("key", API_KEY))),
                Map.of("id", "eve", "email", "eve@example.com", "firstname", "Eve", "lastname", "E",
                        "organization_id", "org", "api_keys", List.of(Map.of("key", OTHER_KEY)))));
        Map<String, Object> jobs = Map.of("CLASSIFICATION_JOB", Map.of("mlTask", "CLASSIFICATION", "required", 1,
                "isChild", false, "content", Map.of("input", "radio", "categories",
                        Map.of("CAT", Map.of("name", "Cat"), "DOG", Map.of("name", "Dog")))));
        fx.put("projects", List.of(
                Map.of("id", READ_PROJECT, "title", "read", "input_type", "IMAGE", "workflow_version", "V1",
                        "organization_id", "org", "json_interface", Map.of("jobs", jobs),
                        "members", List.of(Map.of("user_id", "alice", "role", "ADMIN"))),
                Map.of("id", WRITE_PROJECT, "title", "write", "input_type", "TEXT", "workflow_version", "V1",
                        "organization_id", "org", "json_interface", Map.of("jobs", jobs),
                        "members", List.of(Map.of("user_id", "alice", "role", "ADMIN"))),
                Map.of("id", FLOW_PROJECT, "title", "flow", "input_type", "IMAGE", "workflow_version", "V1",
                        "organization_id", "org", "json_interface", Map.of("jobs", jobs),
                        "members", List.of(Map.of("user_id", "alice", "role", "ADMIN")))));
        List<Object> assets = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        for (int i = 0; i < READ_ASSETS; i++) {
            String id = String.format("asset-%02d", i);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", id);
            a.put("project_id", READ_PROJECT);
            a.put("external_id", String.format("ext-%02d", i));
            a.put("content", "https://example.com/img-" + i + ".jpg");
            a.put("json_metadata", Map.of("split", i % 2 == 0 ? "train" : "test", "rank", i));
            a.put("created_at", String.format("2024-01-01T00:00:%02d.000Z", i));
            a.put("status", STATUSES[i % 5]);
            assets.add(a);
            if (STATUSES[i % 5].equals("LABELED")) {
                labels.add(Map.of("id", "label-" + i, "asset_id", id, "author_id", "alice", "label_type", "DEFAULT",
                        "created_at", String.format("2024-02-01T00:00:%02d.000Z", i),
                        "json_response", Map.of("CLASSIFICATION_JOB",
                                Map.of("categories", List.of(Map.of("name", i % 2 == 0 ? "CAT" : "DOG"))))));
            }
        }
        for (int i = 0; i < 3; i++) { // flow-0, flow-1 LABELED; flow-2 TODO
            assets.add(Map.of("id", "flow-" + i, "project_id", FLOW_PROJECT, "external_id", "flow-ext-" + i,
                    "content", "https://example.com/flow-" + i + ".jpg", "json_metadata", Map.of(),
                    "created_at", "2024-03-01T00:00:0" + i + ".000Z", "status", i < 2 ? "LABELED" : "TODO"));
        }
        fx.put("assets", assets);
        fx.put("labels", labels);
        return fx;
    }
}
