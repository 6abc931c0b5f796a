/* The whole asset lifecycle through the C ABI against the emulator's demo project (20
 * assets): count, list with filters (item by item and page by page), import, update, change
 * external ids, send to review, send back to queue, delete; events reach the callback and its
 * drop runs exactly once. Endpoint and key come from KILI_API_ENDPOINT / KILI_API_KEY. */
#include "kili_test.h"

#include <stdatomic.h>

static atomic_int progress_events, warning_events, dropped;

static void on_event(void *user_data, const char *json, size_t len) {
    EXPECT(user_data == (void *)&progress_events);
    EXPECT(json[len] == '\0' && json[0] == '{');
    if (strstr(json, "\"type\":\"progress\"")) atomic_fetch_add(&progress_events, 1);
    if (strstr(json, "\"type\":\"warning\"")) atomic_fetch_add(&warning_events, 1);
}

static void on_drop(void *user_data) {
    EXPECT(user_data == (void *)&progress_events);
    atomic_fetch_add(&dropped, 1);
}

static uint64_t count(kili_client_t *client, const char *args) {
    kili_error_t *err = NULL;
    uint64_t n = 0;
    EXPECT_STATUS(kili_assets_count(client, S(args), NULL, &n, &err), KILI_OK, &err);
    return n;
}

/* Runs an action and returns its result JSON (caller frees with kili_bytes_free). */
static kili_bytes_t mutate(kili_client_t *client, const char *action, const char *args) {
    kili_error_t *err = NULL;
    kili_bytes_t out = {NULL, 0};
    kili_status_t st = kili_assets_mutate(client, S(action), S(args), NULL, &out, &err);
    if (st != KILI_OK) {
        fprintf(stderr, "%s failed: %s %s %s\n", action, kili_status_str(st), kili_error_message(err),
                kili_error_details_json(err));
        kt_failures++;
    }
    kili_error_free(err);
    return out;
}

/* The JSON of the single asset selected by `args` (caller frees). */
static kili_bytes_t one_asset(kili_client_t *client, const char *args) {
    kili_error_t *err = NULL;
    kili_cursor_t *cursor = NULL;
    kili_bytes_t item = {NULL, 0}, extra = {NULL, 0};
    EXPECT_STATUS(kili_assets_query(client, S(args), NULL, &cursor, &err), KILI_OK, &err);
    EXPECT_STATUS(kili_cursor_next(cursor, &item, &err), KILI_OK, &err);
    EXPECT_STATUS(kili_cursor_next(cursor, &extra, &err), KILI_DONE, &err);
    kili_cursor_free(cursor);
    return item;
}

int main(void) {
    kili_error_t *err = NULL;
    kili_client_t *client = NULL;
    EXPECT(strcmp(kili_version(), KILI_VERSION) == 0 && kili_abi_version() == KILI_ABI_VERSION);
    EXPECT_STATUS(kili_client_new(S(""), &client, &err), KILI_OK, &err);
    if (!client) return kt_finish("lifecycle");
    kili_event_callback_t cb = {(void *)&progress_events, on_event, on_drop};
    EXPECT_STATUS(kili_client_set_event_callback(client, &cb, &err), KILI_OK, &err);

    /* count and list with a filter, item by item */
    EXPECT(count(client, "{\"project_id\": \"demo-project\"}") == 20);
    const char *todo = "{\"project_id\": \"demo-project\", \"status_in\": [\"TODO\"], \"fields\": [\"id\", \"externalId\", \"status\"]}";
    kili_cursor_t *cursor = NULL;
    kili_bytes_t item = {NULL, 0};
    EXPECT_STATUS(kili_assets_query(client, S(todo), NULL, &cursor, &err), KILI_OK, &err);
    uint64_t n_todo = 0;
    kili_status_t st;
    while ((st = kili_cursor_next(cursor, &item, &err)) == KILI_OK) {
        EXPECT(strstr((const char *)item.data, "\"status\":\"TODO\"") != NULL);
        kili_bytes_free(&item);
        n_todo++;
    }
    EXPECT(st == KILI_DONE);
    kili_cursor_free(cursor);
    EXPECT(n_todo == 8);
    EXPECT(count(client, "{\"project_id\": \"demo-project\", \"status_in\": [\"TODO\"]}") == n_todo);

    /* page by page, with the expected total */
    EXPECT_STATUS(kili_assets_query(client, S("{\"project_id\": \"demo-project\", \"fields\": [\"id\"]}"), NULL, &cursor, &err), KILI_OK, &err);
    size_t listed = 0, pages = 0;
    while ((st = kili_cursor_next_page(cursor, 7, &item, &err)) == KILI_OK) {
        EXPECT(item.data[0] == '[');
        size_t k = kt_count_objects((const char *)item.data, item.len);
        EXPECT(k >= 1 && k <= 7);
        listed += k;
        pages++;
        kili_bytes_free(&item);
    }
    EXPECT(st == KILI_DONE && listed == 20 && pages >= 3);
    int64_t total = -1;
    EXPECT_STATUS(kili_cursor_expected_total(cursor, &total, &err), KILI_OK, &err);
    EXPECT(total == 20);
    kili_cursor_free(cursor);

    /* import two assets */
    kili_bytes_t res = mutate(client, "append_many_to_dataset",
                              "{\"project_id\": \"demo-project\", \"content_array\": [\"https://example.com/c-1.jpg\", "
                              "\"https://example.com/c-2.jpg\"], \"external_id_array\": [\"c-abi-1\", \"c-abi-2\"]}");
    char id1[128] = "", id2[128] = "", args[512];
    EXPECT(res.data && kt_json_string_at((const char *)res.data, "asset_ids", 0, id1, sizeof id1));
    EXPECT(res.data && kt_json_string_at((const char *)res.data, "asset_ids", 1, id2, sizeof id2));
    kili_bytes_free(&res);
    EXPECT(count(client, "{\"project_id\": \"demo-project\"}") == 22);

    /* update a property (priorities is deprecated: a warning event) */
    snprintf(args, sizeof args, "{\"asset_ids\": [\"%s\", \"%s\"], \"priorities\": [7, 7]}", id1, id2);
    res = mutate(client, "update_properties_in_assets", args);
    kili_bytes_free(&res);
    snprintf(args, sizeof args, "{\"project_id\": \"demo-project\", \"asset_id_in\": [\"%s\"], \"fields\": [\"id\", \"priority\"]}", id1);
    item = one_asset(client, args);
    EXPECT(item.data && strstr((const char *)item.data, "\"priority\":7") != NULL);
    kili_bytes_free(&item);

    /* change an external id */
    snprintf(args, sizeof args, "{\"asset_ids\": [\"%s\"], \"new_external_ids\": [\"c-abi-renamed\"]}", id1);
    res = mutate(client, "change_asset_external_ids", args);
    kili_bytes_free(&res);
    EXPECT(count(client, "{\"project_id\": \"demo-project\", \"external_id_strictly_in\": [\"c-abi-renamed\"]}") == 1);

    /* review, then back to the queue (demo-asset-03 is LABELED) */
    res = mutate(client, "add_to_review", "{\"project_id\": \"demo-project\", \"asset_ids\": [\"demo-asset-03\"]}");
    EXPECT(res.data && strstr((const char *)res.data, "demo-asset-03") != NULL);
    kili_bytes_free(&res);
    const char *asset03 = "{\"project_id\": \"demo-project\", \"asset_id_in\": [\"demo-asset-03\"], \"fields\": [\"id\", \"status\"]}";
    item = one_asset(client, asset03);
    EXPECT(item.data && strstr((const char *)item.data, "\"status\":\"TO_REVIEW\"") != NULL);
    kili_bytes_free(&item);
    res = mutate(client, "send_back_to_queue", "{\"project_id\": \"demo-project\", \"asset_ids\": [\"demo-asset-03\"]}");
    kili_bytes_free(&res);
    item = one_asset(client, asset03);
    EXPECT(item.data && strstr((const char *)item.data, "\"status\":\"TO_REVIEW\"") == NULL);
    kili_bytes_free(&item);

    /* delete the imported assets */
    snprintf(args, sizeof args, "{\"project_id\": \"demo-project\", \"asset_ids\": [\"%s\", \"%s\"]}", id1, id2);
    res = mutate(client, "delete_many_from_dataset", args);
    kili_bytes_free(&res);
    EXPECT(count(client, "{\"project_id\": \"demo-project\"}") == 20);

    EXPECT(atomic_load(&progress_events) > 0);
    EXPECT(atomic_load(&warning_events) > 0);
    EXPECT(atomic_load(&dropped) == 0);
    kili_client_free(client);
    EXPECT(atomic_load(&dropped) == 1);
    return kt_finish("lifecycle");
}
