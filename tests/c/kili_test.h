/* Tiny helpers shared by the C ABI test programs in tests/c/. Header-only. */
#ifndef KILI_TEST_H
#define KILI_TEST_H

#include "kili.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int kt_failures = 0;

/* Records a failed expectation with its location; the program exits non-zero at the end. */
#define EXPECT(cond)                                                                       \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            fprintf(stderr, "%s:%d: expectation failed: %s\n", __FILE__, __LINE__, #cond); \
            kt_failures++;                                                                 \
        }                                                                                  \
    } while (0)

/* Checks a status; on mismatch prints both names and the error message. Frees `*err`. */
#define EXPECT_STATUS(got, want, err)                                                          \
    do {                                                                                       \
        kili_status_t got_ = (got);                                                            \
        if (got_ != (want)) {                                                                  \
            fprintf(stderr, "%s:%d: got %s, want %s (%s)\n", __FILE__, __LINE__,               \
                    kili_status_str(got_), kili_status_str(want), kili_error_message(*(err))); \
            kt_failures++;                                                                     \
        }                                                                                      \
        kili_error_free(*(err));                                                               \
        *(err) = NULL;                                                                         \
    } while (0)

/* A (ptr, len) pair from a C string literal or char array. */
#define S(str) (str), strlen(str)

static inline int kt_finish(const char *name) {
    if (kt_failures) {
        fprintf(stderr, "%s: %d failure(s)\n", name, kt_failures);
        return 1;
    }
    printf("%s: ok\n", name);
    return 0;
}

/* Copies the `index`-th string of the JSON array that follows `"key":` in `json` into `out`.
 * Good enough for the library's compact serde_json output; returns 0 when not found. */
static inline int kt_json_string_at(const char *json, const char *key, int index, char *out, size_t cap) {
    char pattern[128];
    snprintf(pattern, sizeof pattern, "\"%s\":[", key);
    const char *p = strstr(json, pattern);
    if (!p) return 0;
    p += strlen(pattern);
    for (int i = 0; *p && *p != ']'; i++) {
        if (*p == ',') p++;
        if (*p != '"') return 0;
        const char *end = strchr(p + 1, '"');
        if (!end) return 0;
        if (i == index) {
            size_t n = (size_t)(end - p - 1);
            if (n + 1 > cap) return 0;
            memcpy(out, p + 1, n);
            out[n] = '\0';
            return 1;
        }
        p = end + 1;
    }
    return 0;
}

/* Number of top-level objects in a JSON array of objects (counts depth-1 '{'), ignoring
 * braces inside strings. */
static inline size_t kt_count_objects(const char *json, size_t len) {
    size_t n = 0;
    int depth = 0, in_string = 0;
    for (size_t i = 0; i < len; i++) {
        char c = json[i];
        if (in_string) {
            if (c == '\\') i++;
            else if (c == '"') in_string = 0;
        } else if (c == '"') in_string = 1;
        else if (c == '{' || c == '[') {
            if (c == '{' && depth == 1) n++;
            depth++;
        } else if (c == '}' || c == ']') depth--;
    }
    return n;
}

#endif
