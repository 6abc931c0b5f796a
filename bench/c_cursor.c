/* Benchmark helper (driven by bench/c_abi_overhead.py): lists every asset of a project through
 * the C ABI and prints one JSON line {mode, assets, secs, assets_per_s}, the format of
 * examples/bench_list_assets.rs.
 *
 *   c_cursor next|page PROJECT     (endpoint/key from KILI_API_ENDPOINT / KILI_API_KEY)
 *
 * next: one kili_cursor_next call per asset; page: kili_cursor_next_page(1000). Each item or
 * page is received (its length summed) and freed, nothing more: the Rust contender does not
 * look at its items either. */
#define _POSIX_C_SOURCE 200809L
#include <kili.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fail(const char *what, kili_status_t st, kili_error_t *err) {
    fprintf(stderr, "%s: %s %s\n", what, kili_status_str(st), kili_error_message(err));
    kili_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 3 || (strcmp(argv[1], "next") != 0 && strcmp(argv[1], "page") != 0)) {
        fprintf(stderr, "usage: c_cursor next|page PROJECT\n");
        return 2;
    }
    int page_mode = strcmp(argv[1], "page") == 0;
    double t = now_s();
    kili_client_t *client = NULL;
    kili_error_t *err = NULL;
    const char *options = "{\"rate_limit_per_minute\": 0, \"prefetch_pages\": 2}";
    kili_status_t st = kili_client_new(options, strlen(options), &client, &err);
    if (st != KILI_OK) return fail("kili_client_new", st, err);
    char args[256];
    snprintf(args, sizeof args, "{\"project_id\": \"%s\"}", argv[2]);
    kili_cursor_t *cursor = NULL;
    st = kili_assets_query(client, args, strlen(args), NULL, &cursor, &err);
    if (st != KILI_OK) return fail("kili_assets_query", st, err);
    unsigned long long n = 0, bytes = 0;
    kili_bytes_t out = {NULL, 0};
    if (page_mode) {
        /* no JSON scan here: the Rust contender does not look at its items either; the number
         * of assets comes from the cursor's expected total once it is exhausted */
        while ((st = kili_cursor_next_page(cursor, 1000, &out, &err)) == KILI_OK) {
            bytes += out.len;
            kili_bytes_free(&out);
        }
        int64_t total = -1;
        kili_cursor_expected_total(cursor, &total, NULL);
        n = total < 0 ? 0 : (unsigned long long)total;
    } else {
        while ((st = kili_cursor_next(cursor, &out, &err)) == KILI_OK) {
            n++;
            bytes += out.len;
            kili_bytes_free(&out);
        }
    }
    if (st != KILI_DONE) return fail("cursor", st, err);
    kili_cursor_free(cursor);
    kili_client_free(client);
    double secs = now_s() - t;
    printf("{\"mode\": \"C ABI kili_cursor_%s\", \"assets\": %llu, \"secs\": %f, \"assets_per_s\": %f, \"bytes\": %llu}\n",
           page_mode ? "next_page(1000)" : "next", n, secs, (double)n / secs, bytes);
    return 0;
}
