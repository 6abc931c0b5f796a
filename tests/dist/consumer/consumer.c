/* A C program built against an installed kili release by tests/dist/c_cpp.sh (with pkg-config,
 * shared and static, and with CMake's kili::kili_static). Against an emulator's demo project
 * it checks the library's versions against the header's, counts, filters and lists the assets
 * (in pages of 7, so the cursor crosses pages), and prints key=value lines that the script
 * asserts.
 *
 * Environment: KILI_API_ENDPOINT, KILI_API_KEY. Argument: the project id (demo-project). */
#include <kili.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static kili_client_t *client;

static void die(const char *what, kili_status_t status, kili_error_t *err) {
    fprintf(stderr, "error: %s failed with %s: %s\n", what, kili_status_str(status), kili_error_message(err));
    kili_error_free(err);
    kili_client_free(client);
    exit(1);
}

static unsigned long long count(const char *args) {
    uint64_t n = 0;
    kili_error_t *err = NULL;
    kili_status_t st = kili_assets_count(client, args, strlen(args), NULL, &n, &err);
    if (st != KILI_OK) die("kili_assets_count", st, err);
    return (unsigned long long)n;
}

/* Copies the string value of "key":"..." in a compact JSON object into out ("" if absent). */
static void string_field(const char *json, const char *key, char *out, size_t cap) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *p = strstr(json, pattern);
    out[0] = '\0';
    if (!p) return;
    p += strlen(pattern);
    const char *end = strchr(p, '"');
    if (!end || (size_t)(end - p) >= cap) return;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
}

int main(int argc, char **argv) {
    const char *project = argc > 1 ? argv[1] : "demo-project";
    printf("version=%s\n", kili_version());
    printf("header_version=%s\n", KILI_VERSION);
    printf("abi=%u\n", kili_abi_version());
    if (kili_abi_version() != KILI_ABI_VERSION || strcmp(kili_version(), KILI_VERSION) != 0) {
        fprintf(stderr, "error: library %s (ABI %u) does not match kili.h %s (ABI %d)\n", kili_version(),
                kili_abi_version(), KILI_VERSION, KILI_ABI_VERSION);
        return 1;
    }

    kili_error_t *err = NULL;
    const char *options = "{\"page_size\": 7}"; /* endpoint and key from the environment */
    kili_status_t st = kili_client_new(options, strlen(options), &client, &err);
    if (st != KILI_OK) die("kili_client_new", st, err);

    char args[512];
    snprintf(args, sizeof args, "{\"project_id\": \"%s\"}", project);
    printf("count=%llu\n", count(args));
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"status_in\": [\"TODO\"]}", project);
    printf("todo=%llu\n", count(args));

    /* Every asset, smallest and largest external id, and whether any id came twice. */
    snprintf(args, sizeof args, "{\"project_id\": \"%s\", \"fields\": [\"id\", \"externalId\"]}", project);
    kili_cursor_t *cursor = NULL;
    st = kili_assets_query(client, args, strlen(args), NULL, &cursor, &err);
    if (st != KILI_OK) die("kili_assets_query", st, err);
    size_t listed = 0, duplicates = 0;
    char first[128] = "", last[128] = "", seen[256][128];
    kili_bytes_t item = {NULL, 0};
    while ((st = kili_cursor_next(cursor, &item, &err)) == KILI_OK) {
        char id[128], ext[128];
        string_field((const char *)item.data, "id", id, sizeof id);
        string_field((const char *)item.data, "externalId", ext, sizeof ext);
        kili_bytes_free(&item);
        for (size_t i = 0; i < listed && i < 256; i++) duplicates += strcmp(seen[i], id) == 0;
        if (listed < 256) snprintf(seen[listed], sizeof seen[listed], "%s", id);
        if (!first[0] || strcmp(ext, first) < 0) snprintf(first, sizeof first, "%s", ext);
        if (strcmp(ext, last) > 0) snprintf(last, sizeof last, "%s", ext);
        listed++;
    }
    kili_cursor_free(cursor);
    if (st != KILI_DONE) die("kili_cursor_next", st, err);
    printf("listed=%zu\nduplicates=%zu\nfirst_external_id=%s\nlast_external_id=%s\n", listed, duplicates, first, last);

    kili_client_free(client);
    printf("c consumer: ok\n");
    return 0;
}
