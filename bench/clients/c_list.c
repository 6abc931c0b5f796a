/* Benchmark client (bench/run.sh): lists a project through the C ABI and prints one JSON line
 * {"secs", "items", "peak_rss_kb"}; secs covers kili_assets_query to the end of the cursor.
 *
 *   c_list PROJECT FIELDS next|page      FIELDS: "default" or a comma list, e.g. id,externalId
 *
 * Endpoint and key come from KILI_API_ENDPOINT / KILI_API_KEY (read by the library).
 * next: one kili_cursor_next per asset; page: kili_cursor_next_page(1000), the page's
 * top-level objects counted by a scan (a consumer touches every byte once). */
#define _POSIX_C_SOURCE 200809L
#include <kili.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kb(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = 0;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) kb = strtol(line + 6, NULL, 10);
    if (f) fclose(f);
    return kb;
}

static int fail(const char *what, kili_status_t st, kili_error_t *err) {
    fprintf(stderr, "c_list: %s: %s %s\n", what, kili_status_str(st), err ? kili_error_message(err) : "");
    kili_error_free(err);
    return 1;
}

/* Number of objects at depth 1 of a JSON array. */
static unsigned long long count_items(const uint8_t *p, size_t len) {
    unsigned long long n = 0;
    int depth = 0, in_str = 0;
    for (size_t i = 0; i < len; i++) {
        char c = (char)p[i];
        if (in_str) {
            if (c == '\\') i++;
            else if (c == '"') in_str = 0;
        } else if (c == '"') in_str = 1;
        else if (c == '{' || c == '[') {
            if (c == '{' && depth == 1) n++;
            depth++;
        } else if (c == '}' || c == ']') depth--;
    }
    return n;
}

int main(int argc, char **argv) {
    if (argc != 4 || (strcmp(argv[3], "next") != 0 && strcmp(argv[3], "page") != 0)) {
        fprintf(stderr, "usage: c_list PROJECT FIELDS next|page\n");
        return 2;
    }
    const char *options = "{\"rate_limit_per_minute\": 0, \"prefetch_pages\": 2}";
    kili_client_t *client = NULL;
    kili_error_t *err = NULL;
    kili_status_t st = kili_client_new(options, strlen(options), &client, &err);
    if (st != KILI_OK) return fail("kili_client_new", st, err);

    char args[1024];
    if (strcmp(argv[2], "default") == 0) {
        snprintf(args, sizeof args, "{\"project_id\": \"%s\"}", argv[1]);
    } else {
        /* "a,b" -> ["a","b"] */
        char fields[512] = "";
        size_t o = 0;
        fields[o++] = '"';
        for (const char *c = argv[2]; *c && o < sizeof fields - 4; c++) {
            if (*c == ',') { fields[o++] = '"'; fields[o++] = ','; fields[o++] = '"'; }
            else fields[o++] = *c;
        }
        fields[o++] = '"';
        fields[o] = 0;
        snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"fields\": [%s]}", argv[1], fields);
    }
    double t = now_s();
    kili_cursor_t *cursor = NULL;
    st = kili_assets_query(client, args, strlen(args), NULL, &cursor, &err);
    if (st != KILI_OK) return fail("kili_assets_query", st, err);
    unsigned long long n = 0;
    kili_bytes_t out = {NULL, 0};
    if (strcmp(argv[3], "page") == 0) {
        while ((st = kili_cursor_next_page(cursor, 1000, &out, &err)) == KILI_OK) {
            n += count_items(out.data, out.len);
            kili_bytes_free(&out);
        }
    } else {
        while ((st = kili_cursor_next(cursor, &out, &err)) == KILI_OK) {
            n += out.len > 0;
            kili_bytes_free(&out);
        }
    }
    if (st != KILI_DONE) return fail("cursor", st, err);
    double secs = now_s() - t;
    kili_cursor_free(cursor);
    kili_client_free(client);
    printf("{\"secs\": %f, \"items\": %llu, \"peak_rss_kb\": %ld}\n", secs, n, peak_rss_kb());
    return 0;
}
