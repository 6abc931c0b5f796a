/* One call through the C ABI, checking its status: the test harness uses it to reach every
 * status category (it arranges the server's faults, the options and the arguments).
 *
 *   probe OP WANT OPTIONS_JSON [ARGS_JSON [TIMEOUT_MS]]
 *
 * OP: new | count | list | mutate:<action> | reenter (a blocking call from inside an event
 * callback). WANT: a status name such as KILI_AUTH. Prints the status, message and details. */
#include "kili_test.h"

static kili_client_t *client;
static kili_status_t reentered = -1;

static void reenter(void *user_data, const char *json, size_t len) {
    (void)user_data;
    (void)json;
    (void)len;
    if (reentered != -1) return;
    uint64_t n = 0;
    kili_error_t *err = NULL;
    reentered = kili_assets_count(client, S("{\"project_id\": \"demo-project\"}"), NULL, &n, &err);
    printf("re-entered call: %s %s\n", kili_status_str(reentered), kili_error_message(err));
    kili_error_free(err);
}

static kili_status_t run(const char *op, const char *args, const kili_call_options_t *opts, kili_error_t **err) {
    if (strcmp(op, "count") == 0) {
        uint64_t n = 0;
        kili_status_t st = kili_assets_count(client, S(args), opts, &n, err);
        printf("count: %llu\n", (unsigned long long)n);
        return st;
    }
    if (strcmp(op, "list") == 0 || strcmp(op, "reenter") == 0) {
        kili_cursor_t *cursor = NULL;
        kili_status_t st = kili_assets_query(client, S(args), opts, &cursor, err);
        kili_bytes_t item = {NULL, 0};
        while (st == KILI_OK) {
            st = kili_cursor_next(cursor, &item, err);
            kili_bytes_free(&item);
        }
        kili_cursor_free(cursor);
        if (strcmp(op, "reenter") == 0) return reentered;
        return st == KILI_DONE ? KILI_OK : st;
    }
    if (strncmp(op, "mutate:", 7) == 0) {
        kili_bytes_t out = {NULL, 0};
        kili_status_t st = kili_assets_mutate(client, S(op + 7), S(args), opts, &out, err);
        if (out.data) printf("result: %s\n", (const char *)out.data);
        kili_bytes_free(&out);
        return st;
    }
    fprintf(stderr, "unknown op %s\n", op);
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: probe OP WANT OPTIONS_JSON [ARGS_JSON [TIMEOUT_MS]]\n");
        return 2;
    }
    const char *op = argv[1], *want = argv[2], *options = argv[3];
    const char *args = argc > 4 ? argv[4] : "{}";
    kili_call_options_t opts;
    kili_call_options_init(&opts);
    if (argc > 5) opts.timeout_ms = (uint32_t)strtoul(argv[5], NULL, 10);

    kili_error_t *err = NULL;
    kili_status_t st = kili_client_new(S(options), &client, &err);
    if (st == KILI_OK && strcmp(op, "new") != 0) {
        if (strcmp(op, "reenter") == 0) {
            kili_event_callback_t cb = {NULL, reenter, NULL};
            EXPECT_STATUS(kili_client_set_event_callback(client, &cb, &err), KILI_OK, &err);
        }
        st = run(op, args, &opts, &err);
    }
    printf("status: %s\nmessage: %s\ndetails: %s\n", kili_status_str(st), kili_error_message(err),
           kili_error_details_json(err));
    if (st != KILI_OK && st != KILI_DONE && strcmp(op, "reenter") != 0) {
        EXPECT(err != NULL && kili_error_code(err) == st);
        EXPECT(strlen(kili_error_message(err)) > 0);
        EXPECT(strstr(kili_error_details_json(err), "\"status\"") != NULL);
    }
    /* the API key never appears in errors */
    const char *key = getenv("KILI_API_KEY");
    if (key && *key) {
        EXPECT(strstr(kili_error_message(err), key) == NULL);
        EXPECT(strstr(kili_error_details_json(err), key) == NULL);
    }
    kili_error_free(err);
    kili_client_free(client);
    EXPECT(strcmp(kili_status_str(st), want) == 0);
    return kt_finish("probe");
}
