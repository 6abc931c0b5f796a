/* Misuse of the C ABI never crashes: NULL for every pointer parameter, invalid UTF-8 and JSON,
 * unknown argument names, *_free(NULL), next after DONE and after an error, a client freed
 * before its cursor. Endpoint and key come from KILI_API_ENDPOINT / KILI_API_KEY (read by the
 * library), the project from KILI_TEST_PROJECT (20 assets). */
#include "kili_test.h"

static const char *project(void) {
    const char *p = getenv("KILI_TEST_PROJECT");
    return p ? p : "demo-project";
}

static void null_and_free_cases(void) {
    kili_error_t *err = NULL;
    kili_client_t *client = (kili_client_t *)1; /* must be cleared */
    kili_bytes_t bytes = {(const uint8_t *)1, 7};
    uint64_t count = 42;
    int64_t total = 42;

    /* kili_client_new */
    EXPECT_STATUS(kili_client_new(NULL, 5, &client, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT(client == NULL);
    EXPECT_STATUS(kili_client_new(S("{}"), NULL, &err), KILI_INVALID_ARGUMENT, &err);
    /* err itself may be NULL */
    EXPECT(kili_client_new(NULL, 5, &client, NULL) == KILI_INVALID_ARGUMENT);

    /* error accessors on NULL */
    EXPECT(kili_error_code(NULL) == KILI_OK);
    EXPECT(strcmp(kili_error_message(NULL), "") == 0);
    EXPECT(strcmp(kili_error_details_json(NULL), "{}") == 0);

    /* handles NULL */
    EXPECT_STATUS(kili_assets_query(NULL, S("{}"), NULL, (kili_cursor_t **)&client, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT(client == NULL);
    EXPECT_STATUS(kili_assets_count(NULL, S("{}"), NULL, &count, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT(count == 0);
    EXPECT_STATUS(kili_assets_mutate(NULL, S("add_to_review"), S("{}"), NULL, &bytes, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT(bytes.data == NULL && bytes.len == 0);
    EXPECT_STATUS(kili_cursor_next(NULL, &bytes, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_cursor_next_page(NULL, 10, &bytes, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_cursor_expected_total(NULL, &total, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT(total == -1);
    EXPECT_STATUS(kili_cursor_expected_total(NULL, NULL, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_client_set_event_callback(NULL, NULL, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_cancel_trigger(NULL, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT(!kili_cancel_is_triggered(NULL));

    /* *_free(NULL) and double bytes free are no-ops */
    kili_client_free(NULL);
    kili_cursor_free(NULL);
    kili_error_free(NULL);
    kili_cancel_free(NULL);
    kili_bytes_free(NULL);
    kili_bytes_t none = {NULL, 0};
    kili_bytes_free(&none);
    kili_bytes_free(&none);
    kili_call_options_init(NULL);

    /* status names */
    EXPECT(strcmp(kili_status_str(KILI_OK), "KILI_OK") == 0);
    EXPECT(strcmp(kili_status_str(KILI_PARTIAL_FAILURE), "KILI_PARTIAL_FAILURE") == 0);
    EXPECT(strcmp(kili_status_str(-7), "KILI_UNKNOWN_STATUS") == 0);
    EXPECT(strcmp(kili_version(), KILI_VERSION) == 0);
    EXPECT(kili_abi_version() == KILI_ABI_VERSION);
}

static void bad_input_cases(void) {
    kili_error_t *err = NULL;
    kili_client_t *client = NULL;

    /* invalid UTF-8 names the argument and the offset */
    const char bad_utf8[] = "{\"api_key\": \"\xff\"}";
    EXPECT(kili_client_new(S(bad_utf8), &client, &err) == KILI_INVALID_ARGUMENT);
    EXPECT(strstr(kili_error_message(err), "options_json") != NULL);
    EXPECT(strstr(kili_error_message(err), "offset 13") != NULL);
    EXPECT(strstr(kili_error_details_json(err), "\"path\":\"options_json\"") != NULL);
    kili_error_free(err);
    err = NULL;
    /* invalid JSON names the position */
    EXPECT(kili_client_new(S("{\"api_key\": }"), &client, &err) == KILI_INVALID_ARGUMENT);
    EXPECT(strstr(kili_error_message(err), "column") != NULL);
    kili_error_free(err);
    err = NULL;
    /* a length pointing past a NUL is fine: only `len` bytes are read */
    EXPECT_STATUS(kili_client_new("{}garbage", 2, &client, &err), KILI_OK, &err);
    EXPECT(client != NULL);

    kili_cursor_t *cursor = (kili_cursor_t *)1;
    uint64_t count = 7;
    kili_bytes_t bytes = {NULL, 0};
    EXPECT_STATUS(kili_assets_query(client, NULL, 4, NULL, &cursor, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT(cursor == NULL);
    EXPECT_STATUS(kili_assets_query(client, S("{}"), NULL, NULL, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_assets_query(client, S("{\"project_id\": \"\xc3\x28\"}"), NULL, &cursor, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_assets_query(client, S("{\"project_id\": "), NULL, &cursor, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_assets_query(client, S("[1, 2]"), NULL, &cursor, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_assets_count(client, S("{}"), NULL, NULL, &err), KILI_INVALID_ARGUMENT, &err);

    /* unknown argument names are refused and the closest valid name is suggested */
    char args[256];
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"status_inn\": [\"TODO\"]}", project());
    EXPECT(kili_assets_count(client, S(args), NULL, &count, &err) == KILI_INVALID_ARGUMENT);
    EXPECT(strstr(kili_error_message(err), "status_inn") != NULL);
    EXPECT(strstr(kili_error_message(err), "status_in") != NULL);
    kili_error_free(err);
    err = NULL;
    EXPECT_STATUS(kili_assets_query(client, S(args), NULL, &cursor, &err), KILI_INVALID_ARGUMENT, &err);
    /* wrong types name the path */
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"status_in\": [\"TODO\", 3]}", project());
    EXPECT(kili_assets_count(client, S(args), NULL, &count, &err) == KILI_INVALID_ARGUMENT);
    EXPECT(strstr(kili_error_details_json(err), "status_in") != NULL);
    kili_error_free(err);
    err = NULL;

    /* mutate: NULL/empty/unknown action, NULL out */
    EXPECT_STATUS(kili_assets_mutate(client, NULL, 3, S("{}"), NULL, &bytes, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_assets_mutate(client, "", 0, S("{}"), NULL, &bytes, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_assets_mutate(client, S("explode_assets"), S("{}"), NULL, &bytes, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_assets_mutate(client, S("add_to_review"), S("{}"), NULL, NULL, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT(bytes.data == NULL);

    /* call options: a zero struct_size is refused, initialised options accepted */
    kili_call_options_t opts;
    memset(&opts, 0, sizeof opts);
    snprintf(args, sizeof args, "{\"project_id\": \"%s\"}", project());
    EXPECT_STATUS(kili_assets_count(client, S(args), &opts, &count, &err), KILI_INVALID_ARGUMENT, &err);
    kili_call_options_init(&opts);
    EXPECT(opts.struct_size == sizeof(kili_call_options_t));
    EXPECT_STATUS(kili_assets_count(client, S(args), &opts, &count, &err), KILI_OK, &err);
    EXPECT(count == 20);

    /* event callback without `call` is refused */
    kili_event_callback_t cb = {NULL, NULL, NULL};
    EXPECT_STATUS(kili_client_set_event_callback(client, &cb, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_client_set_event_callback(client, NULL, &err), KILI_OK, &err);

    kili_client_free(client);
}

static void cursor_end_cases(void) {
    kili_error_t *err = NULL;
    kili_client_t *client = NULL;
    kili_cursor_t *cursor = NULL;
    kili_bytes_t item = {NULL, 0};
    char args[256];

    EXPECT_STATUS(kili_client_new(S("{\"page_size\": 10, \"prefetch_pages\": 1}"), &client, &err), KILI_OK, &err);

    /* next after DONE keeps answering DONE (next and next_page) */
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"first\": 3, \"fields\": [\"id\"]}", project());
    EXPECT_STATUS(kili_assets_query(client, S(args), NULL, &cursor, &err), KILI_OK, &err);
    EXPECT_STATUS(kili_cursor_next_page(cursor, 0, &item, &err), KILI_INVALID_ARGUMENT, &err);
    EXPECT_STATUS(kili_cursor_next(cursor, NULL, &err), KILI_INVALID_ARGUMENT, &err);
    int n = 0;
    kili_status_t st;
    while ((st = kili_cursor_next(cursor, &item, &err)) == KILI_OK) {
        EXPECT(item.data != NULL && item.data[0] == '{' && item.data[item.len] == '\0');
        kili_bytes_free(&item);
        EXPECT(item.data == NULL && item.len == 0);
        n++;
    }
    EXPECT(st == KILI_DONE && err == NULL && n == 3);
    EXPECT(item.data == NULL);
    EXPECT_STATUS(kili_cursor_next(cursor, &item, &err), KILI_DONE, &err);
    EXPECT_STATUS(kili_cursor_next_page(cursor, 5, &item, &err), KILI_DONE, &err);
    EXPECT(item.data == NULL);
    kili_cursor_free(cursor);

    /* a token freed right after the query: the cursor keeps its own reference */
    kili_cancel_t *cancel = kili_cancel_new();
    kili_call_options_t opts;
    kili_call_options_init(&opts);
    opts.cancel = cancel;
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"fields\": [\"id\"]}", project());
    EXPECT_STATUS(kili_assets_query(client, S(args), &opts, &cursor, &err), KILI_OK, &err);
    kili_cancel_free(cancel); /* the cursor keeps its own reference */
    cancel = NULL;
    EXPECT_STATUS(kili_cursor_next(cursor, &item, &err), KILI_OK, &err);
    kili_bytes_free(&item);
    kili_cursor_free(cursor); /* freed with a fetch possibly in flight */

    /* next after an error keeps answering the same error */
    cancel = kili_cancel_new();
    opts.cancel = cancel;
    EXPECT_STATUS(kili_assets_query(client, S(args), &opts, &cursor, &err), KILI_OK, &err);
    EXPECT_STATUS(kili_cancel_trigger(cancel, &err), KILI_OK, &err);
    EXPECT(kili_cancel_is_triggered(cancel));
    int items = 0;
    while ((st = kili_cursor_next(cursor, &item, &err)) == KILI_OK && items < 100) {
        kili_bytes_free(&item);
        items++;
        err = NULL;
    }
    EXPECT(st == KILI_CANCELLED);
    EXPECT(items < 20); /* page size 10, one page prefetched: the rest never came */
    EXPECT(kili_error_code(err) == KILI_CANCELLED);
    kili_error_free(err);
    err = NULL;
    EXPECT_STATUS(kili_cursor_next(cursor, &item, &err), KILI_CANCELLED, &err);
    EXPECT(kili_cursor_next(cursor, &item, &err) == KILI_CANCELLED && kili_error_code(err) == KILI_CANCELLED);
    kili_error_free(err);
    err = NULL;
    EXPECT_STATUS(kili_cursor_next_page(cursor, 4, &item, &err), KILI_CANCELLED, &err);
    EXPECT(item.data == NULL);
    kili_cursor_free(cursor);
    kili_cancel_free(cancel);

    /* a client freed before its cursor: the cursor keeps working to the end */
    EXPECT_STATUS(kili_assets_query(client, S(args), NULL, &cursor, &err), KILI_OK, &err);
    kili_client_free(client);
    size_t total = 0;
    while ((st = kili_cursor_next_page(cursor, 3, &item, &err)) == KILI_OK) {
        total += kt_count_objects((const char *)item.data, item.len);
        kili_bytes_free(&item);
    }
    EXPECT(st == KILI_DONE);
    EXPECT(total == 20);
    int64_t expected = 0;
    EXPECT_STATUS(kili_cursor_expected_total(cursor, &expected, &err), KILI_OK, &err);
    EXPECT(expected == 20);
    kili_cursor_free(cursor);
}

int main(void) {
    null_and_free_cases();
    bad_input_cases();
    cursor_end_cases();
    return kt_finish("misuse");
}
