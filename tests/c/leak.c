/* Leaks the assets the C ABI hands out, on purpose: the memory-check suite runs it under
 * LeakSanitizer and valgrind and expects both to report the leak, which shows that they see
 * the library's own allocations (KILI_ALLOCATOR=system, see src/alloc.rs). */
#include "kili_test.h"

int main(void) {
    kili_error_t *err = NULL;
    kili_client_t *client = NULL;
    kili_cursor_t *cursor = NULL;
    kili_bytes_t item = {NULL, 0};
    const char *query = "{\"project_id\": \"demo-project\", \"fields\": [\"id\"]}";
    if (kili_client_new(S(""), &client, &err) != KILI_OK) return 2;
    if (kili_assets_query(client, S(query), NULL, &cursor, &err) != KILI_OK) return 2;
    int n = 0;
    /* Each item overwrites the previous one, never freed with kili_bytes_free. */
    while (kili_cursor_next(cursor, &item, &err) == KILI_OK) n++;
    kili_cursor_free(cursor);
    kili_client_free(client);
    return n == 20 ? 0 : 3;
}
