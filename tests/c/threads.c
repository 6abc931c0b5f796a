/* Threading through the C ABI.
 *   threads shared : one client used by 8 threads at once (counts and full listings).
 *   threads cancel : the server is slowed down (by the test harness); a second thread triggers
 *                    the cancel token of a blocked count and of a blocked cursor, which must
 *                    return KILI_CANCELLED long before the server would have answered.
 * Endpoint and key come from KILI_API_ENDPOINT / KILI_API_KEY; project: demo-project. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, nanosleep */
#include "kili_test.h"

#include <pthread.h>
#include <time.h>

#define THREADS 8
#define ROUNDS 3

static kili_client_t *client;

static void *worker(void *arg) {
    (void)arg;
    for (int r = 0; r < ROUNDS; r++) {
        kili_error_t *err = NULL;
        uint64_t n = 0;
        EXPECT_STATUS(kili_assets_count(client, S("{\"project_id\": \"demo-project\"}"), NULL, &n, &err), KILI_OK, &err);
        EXPECT(n == 20);
        kili_cursor_t *cursor = NULL;
        kili_bytes_t page = {NULL, 0};
        EXPECT_STATUS(kili_assets_query(client, S("{\"project_id\": \"demo-project\", \"fields\": [\"id\"]}"), NULL, &cursor, &err), KILI_OK, &err);
        size_t seen = 0;
        kili_status_t st;
        while ((st = kili_cursor_next_page(cursor, 6, &page, &err)) == KILI_OK) {
            seen += kt_count_objects((const char *)page.data, page.len);
            kili_bytes_free(&page);
        }
        EXPECT_STATUS(st, KILI_DONE, &err);
        EXPECT(seen == 20);
        kili_cursor_free(cursor);
    }
    return NULL;
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *trigger_later(void *arg) {
    /* The call is correct whether the trigger lands before or during it; the short pause only
     * makes "during" the likely case. */
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
    kili_error_t *err = NULL;
    EXPECT_STATUS(kili_cancel_trigger((const kili_cancel_t *)arg, &err), KILI_OK, &err);
    return NULL;
}

static void cancel_mode(void) {
    kili_error_t *err = NULL;
    kili_call_options_t opts;
    kili_call_options_init(&opts);
    pthread_t t;

    /* a blocked count */
    kili_cancel_t *cancel = kili_cancel_new();
    opts.cancel = cancel;
    double start = now_s();
    pthread_create(&t, NULL, trigger_later, cancel);
    uint64_t n = 99;
    EXPECT_STATUS(kili_assets_count(client, S("{\"project_id\": \"demo-project\"}"), &opts, &n, &err), KILI_CANCELLED, &err);
    pthread_join(t, NULL);
    EXPECT(n == 0);
    EXPECT(now_s() - start < 5.0); /* the server answers after 30 s */
    kili_cancel_free(cancel);

    /* a blocked cursor (the query itself or its first page) */
    cancel = kili_cancel_new();
    opts.cancel = cancel;
    start = now_s();
    pthread_create(&t, NULL, trigger_later, cancel);
    kili_cursor_t *cursor = NULL;
    kili_status_t st = kili_assets_query(client, S("{\"project_id\": \"demo-project\"}"), &opts, &cursor, &err);
    if (st == KILI_OK) {
        kili_bytes_t item = {NULL, 0};
        kili_error_free(err);
        err = NULL;
        st = kili_cursor_next(cursor, &item, &err);
        kili_bytes_free(&item);
    }
    EXPECT_STATUS(st, KILI_CANCELLED, &err);
    pthread_join(t, NULL);
    EXPECT(now_s() - start < 5.0);
    kili_cursor_free(cursor);
    kili_cancel_free(cancel);

    /* a cursor freed while its fetch is in flight returns promptly */
    EXPECT_STATUS(kili_assets_query(client, S("{\"project_id\": \"demo-project\"}"), NULL, &cursor, &err), KILI_OK, &err);
    start = now_s();
    kili_cursor_free(cursor);
    EXPECT(now_s() - start < 5.0);
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "shared";
    kili_error_t *err = NULL;
    EXPECT_STATUS(kili_client_new(S(""), &client, &err), KILI_OK, &err);
    if (!client) return kt_finish("threads");
    if (strcmp(mode, "cancel") == 0) {
        cancel_mode();
    } else {
        pthread_t threads[THREADS];
        for (int i = 0; i < THREADS; i++) pthread_create(&threads[i], NULL, worker, NULL);
        for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    }
    kili_client_free(client);
    return kt_finish(strcmp(mode, "cancel") == 0 ? "threads cancel" : "threads shared");
}
