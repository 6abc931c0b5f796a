/* kili-native quickstart in C: the whole asset lifecycle of one project.
 *
 *   import -> list with filters -> count -> update -> send to review -> back to queue -> delete
 *
 * Configuration comes from the environment, like the official SDK:
 *   KILI_API_ENDPOINT  e.g. http://127.0.0.1:8080/api/label/v2/graphql (a kili-emulator)
 *   KILI_API_KEY       e.g. demo-api-key (the emulator's demo key)
 *   KILI_PROJECT_ID    optional, default "demo-project" (the emulator's demo project)
 *
 * Build (after `cargo build --release`):
 *   cc -std=c11 -Iinclude examples/quickstart.c -Ltarget/release -lkili \
 *      -Wl,-rpath,$PWD/target/release -o quickstart
 * or against an installed package: cc quickstart.c $(pkg-config --cflags --libs kili)
 */
#include <kili.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static kili_client_t *client;
static char project[256];

/* Prints the error of a failed call and exits. */
static void die(const char *what, kili_status_t status, kili_error_t *err) {
    fprintf(stderr, "error: %s failed with %s: %s\n  details: %s\n", what, kili_status_str(status),
            kili_error_message(err), kili_error_details_json(err));
    kili_error_free(err);
    kili_client_free(client);
    exit(1);
}

/* Prints warnings and progress the library reports while it works. */
static void on_event(void *user_data, const char *event_json, size_t len) {
    (void)user_data;
    if (strstr(event_json, "\"type\":\"warning\"")) printf("   [warning] %.*s\n", (int)len, event_json);
}

static uint64_t count(const char *filters_json) {
    uint64_t n = 0;
    kili_error_t *err = NULL;
    kili_status_t st = kili_assets_count(client, filters_json, strlen(filters_json), NULL, &n, &err);
    if (st != KILI_OK) die("kili_assets_count", st, err);
    return n;
}

/* Runs an asset action and prints its JSON result. */
static void mutate(const char *action, const char *args_json, kili_bytes_t *result) {
    kili_error_t *err = NULL;
    kili_status_t st = kili_assets_mutate(client, action, strlen(action), args_json, strlen(args_json), NULL, result, &err);
    if (st != KILI_OK) die(action, st, err);
    printf("   %s -> %.*s\n", action, (int)(result->len > 300 ? 300 : result->len), (const char *)result->data);
}

/* Lists the assets selected by `args_json`, printing one line per asset. */
static size_t list(const char *args_json) {
    kili_cursor_t *cursor = NULL;
    kili_error_t *err = NULL;
    kili_status_t st = kili_assets_query(client, args_json, strlen(args_json), NULL, &cursor, &err);
    if (st != KILI_OK) die("kili_assets_query", st, err);
    size_t n = 0;
    kili_bytes_t item = {NULL, 0};
    while ((st = kili_cursor_next(cursor, &item, &err)) == KILI_OK) {
        printf("   %s\n", (const char *)item.data);
        kili_bytes_free(&item);
        n++;
    }
    kili_cursor_free(cursor);
    if (st != KILI_DONE) die("kili_cursor_next", st, err);
    return n;
}

/* Copies the i-th string of the `"asset_ids":[...]` array of a result into `out`. */
static int asset_id_at(const kili_bytes_t *result, int i, char *out, size_t cap) {
    const char *p = strstr((const char *)result->data, "\"asset_ids\":[");
    if (!p) return 0;
    p += strlen("\"asset_ids\":[");
    for (int k = 0; *p == '"'; k++) {
        const char *end = strchr(p + 1, '"');
        if (!end) return 0;
        if (k == i && (size_t)(end - p) <= cap) {
            memcpy(out, p + 1, (size_t)(end - p - 1));
            out[end - p - 1] = '\0';
            return 1;
        }
        p = end + 1;
        if (*p == ',') p++;
    }
    return 0;
}

int main(void) {
    const char *env_project = getenv("KILI_PROJECT_ID");
    snprintf(project, sizeof project, "%s", env_project ? env_project : "demo-project");
    printf("kili-native %s (ABI %u), header %s\n", kili_version(), kili_abi_version(), KILI_VERSION);
    if (kili_abi_version() != KILI_ABI_VERSION) {
        fprintf(stderr, "error: this program was built for ABI %d\n", KILI_ABI_VERSION);
        return 1;
    }

    /* 0. A client: endpoint and key from KILI_API_ENDPOINT / KILI_API_KEY. */
    kili_error_t *err = NULL;
    kili_status_t st = kili_client_new("{}", 2, &client, &err);
    if (st != KILI_OK) die("kili_client_new", st, err);
    kili_event_callback_t events = {NULL, on_event, NULL};
    kili_client_set_event_callback(client, &events, NULL);

    char args[1024], a[128], b[128];
    snprintf(args, sizeof args, "{\"project_id\": \"%s\"}", project);
    uint64_t before = count(args);
    printf("\n1. Project %s has %llu assets\n", project, (unsigned long long)before);

    /* 1. Import two assets. */
    printf("\n2. Import two assets\n");
    kili_bytes_t result = {NULL, 0};
    snprintf(args, sizeof args,
             "{\"project_id\": \"%s\", \"content_array\": [\"https://storage.example.com/quickstart/a.jpg\", "
             "\"https://storage.example.com/quickstart/b.jpg\"], \"external_id_array\": [\"quickstart-a\", \"quickstart-b\"], "
             "\"json_metadata_array\": [{\"source\": \"quickstart\"}, {\"source\": \"quickstart\"}]}",
             project);
    mutate("append_many_to_dataset", args, &result);
    if (!asset_id_at(&result, 0, a, sizeof a) || !asset_id_at(&result, 1, b, sizeof b)) {
        fprintf(stderr, "error: no asset ids in the import result\n");
        return 1;
    }
    kili_bytes_free(&result);
    printf("   imported %s and %s\n", a, b);

    /* 2. List with filters. */
    printf("\n3. List the imported assets still to label (filters: status_in, external_id_strictly_in)\n");
    snprintf(args, sizeof args,
             "{\"project_id\": \"%s\", \"status_in\": [\"TODO\"], \"external_id_strictly_in\": [\"quickstart-a\", \"quickstart-b\"], "
             "\"fields\": [\"id\", \"externalId\", \"status\", \"jsonMetadata\"]}",
             project);
    size_t listed = list(args);
    printf("   %zu assets listed\n", listed);

    /* 3. Count. */
    snprintf(args, sizeof args, "{\"project_id\": \"%s\"}", project);
    printf("\n4. Count: %llu assets now (was %llu)\n", (unsigned long long)count(args), (unsigned long long)before);

    /* 4. Update a property. */
    printf("\n5. Update the metadata of %s\n", a);
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"asset_ids\": [\"%s\"], \"json_metadatas\": [{\"source\": \"quickstart\", \"reviewed\": true}]}", project, a);
    mutate("update_properties_in_assets", args, &result);
    kili_bytes_free(&result);

    /* 5. Send a labeled asset to review, then back to the labeling queue. */
    printf("\n6. Find one LABELED asset and send it to review\n");
    char labeled[128] = "";
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"status_in\": [\"LABELED\"], \"first\": 1, \"fields\": [\"id\"]}", project);
    kili_cursor_t *cursor = NULL;
    st = kili_assets_query(client, args, strlen(args), NULL, &cursor, &err);
    if (st != KILI_OK) die("kili_assets_query", st, err);
    kili_bytes_t item = {NULL, 0};
    st = kili_cursor_next(cursor, &item, &err);
    if (st == KILI_OK) {
        const char *id = strstr((const char *)item.data, "\"id\":\"");
        if (id) sscanf(id + 6, "%127[^\"]", labeled);
        kili_bytes_free(&item);
    } else if (st != KILI_DONE) {
        die("kili_cursor_next", st, err);
    }
    kili_cursor_free(cursor);
    if (labeled[0]) {
        snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"asset_ids\": [\"%s\"]}", project, labeled);
        mutate("add_to_review", args, &result);
        kili_bytes_free(&result);
        char show[512];
        snprintf(show, sizeof show, "{\"project_id\": \"%s\", \"asset_id_in\": [\"%s\"], \"fields\": [\"id\", \"status\"]}", project, labeled);
        list(show);
        printf("\n7. Send %s back to the labeling queue\n", labeled);
        mutate("send_back_to_queue", args, &result);
        kili_bytes_free(&result);
        list(show);
    } else {
        printf("   no LABELED asset in %s: skipping review and back to queue\n", project);
    }

    /* 6. Delete what we imported. */
    printf("\n8. Delete %s and %s\n", a, b);
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"asset_ids\": [\"%s\", \"%s\"]}", project, a, b);
    mutate("delete_many_from_dataset", args, &result);
    kili_bytes_free(&result);
    snprintf(args, sizeof args, "{\"project_id\": \"%s\"}", project);
    uint64_t after = count(args);
    printf("   %llu assets left\n", (unsigned long long)after);

    kili_client_free(client);
    printf("\nquickstart finished: %s\n", after == before ? "ok" : "asset count differs");
    return after == before ? 0 : 1;
}
