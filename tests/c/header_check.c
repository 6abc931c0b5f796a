/* Compiled as C11 and as C++17 with -Wall -Wextra -Werror -pedantic by tests/c_abi_header.rs:
 * the header must be self-contained, include-guarded (included twice on purpose) and keep the
 * public struct layouts the wrappers rely on. */
#include "kili.h"
#include "kili.h"

#ifdef __cplusplus
#define KILI_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define KILI_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif

KILI_STATIC_ASSERT(sizeof(kili_status_t) == 4, "kili_status_t is a fixed-width int32");
KILI_STATIC_ASSERT(sizeof(kili_bytes_t) == sizeof(void *) + sizeof(size_t), "kili_bytes_t layout");
KILI_STATIC_ASSERT(sizeof(kili_call_options_t) == 8 + sizeof(void *), "kili_call_options_t layout");
KILI_STATIC_ASSERT(sizeof(kili_event_callback_t) == 3 * sizeof(void *), "kili_event_callback_t layout");
KILI_STATIC_ASSERT(KILI_OK == 0 && KILI_DONE == 1 && KILI_INTERNAL == 13, "status values");
KILI_STATIC_ASSERT(KILI_ABI_VERSION >= 1, "ABI version");

/* Any function pointer type converts to this one and back (C11 6.3.2.3p8). */
typedef void (*kili_any_fn)(void);

static void on_event(void *user_data, const char *json, size_t len) {
    (void)user_data;
    (void)json;
    (void)len;
}

int main(void) {
    /* Take the address of every function so a missing declaration fails to compile. */
    const kili_any_fn fns[] = {
        (kili_any_fn)&kili_version, (kili_any_fn)&kili_abi_version, (kili_any_fn)&kili_status_str,
        (kili_any_fn)&kili_client_new, (kili_any_fn)&kili_client_set_event_callback,
        (kili_any_fn)&kili_client_free, (kili_any_fn)&kili_assets_query,
        (kili_any_fn)&kili_assets_count, (kili_any_fn)&kili_assets_mutate,
        (kili_any_fn)&kili_cursor_next, (kili_any_fn)&kili_cursor_next_page,
        (kili_any_fn)&kili_cursor_expected_total, (kili_any_fn)&kili_cursor_free,
        (kili_any_fn)&kili_bytes_free, (kili_any_fn)&kili_error_code,
        (kili_any_fn)&kili_error_message, (kili_any_fn)&kili_error_details_json,
        (kili_any_fn)&kili_error_free, (kili_any_fn)&kili_cancel_new,
        (kili_any_fn)&kili_cancel_trigger, (kili_any_fn)&kili_cancel_is_triggered,
        (kili_any_fn)&kili_cancel_free, (kili_any_fn)&kili_call_options_init, (kili_any_fn)&kili_assets_export,
    };
    kili_event_callback_t cb;
    cb.user_data = NULL;
    cb.call = on_event;
    cb.drop = NULL;
    (void)cb;
    (void)fns;
    return 0;
}
