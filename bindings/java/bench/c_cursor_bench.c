/* The C side of the cursor benchmark: lists every asset of a project through
 * kili_cursor_next_page (pages of 100), ROUNDS times, and prints the mean ns per asset.
 *   c_cursor_bench ENDPOINT API_KEY PROJECT_ID ROUNDS */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kili.h"

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int fail(const char *what, kili_error_t *err) {
    fprintf(stderr, "%s: %s\n", what, kili_error_message(err));
    kili_error_free(err);
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s ENDPOINT API_KEY PROJECT_ID ROUNDS\n", argv[0]);
        return 2;
    }
    char opts[1024], args[512];
    snprintf(opts, sizeof opts, "{\"api_endpoint\":\"%s\",\"api_key\":\"%s\"}", argv[1], argv[2]);
    snprintf(args, sizeof args, "{\"project_id\":\"%s\"}", argv[3]);
    int rounds = atoi(argv[4]);
    kili_client_t *client = NULL;
    kili_error_t *err = NULL;
    if (kili_client_new(opts, strlen(opts), &client, &err) != KILI_OK) {
        return fail("kili_client_new", err);
    }
    double best = 0, total_ns = 0;
    long total_items = 0;
    for (int r = 0; r < rounds; r++) {
        double t0 = now_ns();
        kili_cursor_t *cursor = NULL;
        if (kili_assets_query(client, args, strlen(args), NULL, &cursor, &err) != KILI_OK) {
            return fail("kili_assets_query", err);
        }
        long items = 0;
        kili_bytes_t page = {NULL, 0};
        kili_status_t st;
        while ((st = kili_cursor_next_page(cursor, 100, &page, &err)) == KILI_OK) {
            /* count the top-level objects: what a C consumer gets is the JSON text */
            int depth = 0;
            for (size_t i = 0; i < page.len; i++) {
                char c = (char)page.data[i];
                if (c == '"') { /* skip strings */
                    for (i++; i < page.len && page.data[i] != '"'; i++) {
                        if (page.data[i] == '\\') i++;
                    }
                } else if (c == '{' && ++depth == 1) {
                    items++;
                } else if (c == '}') {
                    depth--;
                }
            }
            kili_bytes_free(&page);
        }
        if (st != KILI_DONE) {
            return fail("kili_cursor_next_page", err);
        }
        kili_cursor_free(cursor);
        double ns = now_ns() - t0;
        double per = ns / (double)items;
        if (r == 0 || per < best) best = per;
        total_ns += ns;
        total_items += items;
    }
    printf("C cursor: %ld assets in %d rounds, mean %.0f ns/asset, best round %.0f ns/asset\n", total_items / rounds,
           rounds, total_ns / (double)total_items, best);
    kili_client_free(client);
    return 0;
}
