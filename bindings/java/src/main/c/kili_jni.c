/*
 * kili_jni.c: the JNI shim between com.kili.nativesdk.NativeBridge and the C ABI (kili.h).
 *
 * Rules kept by every function here:
 *  - arguments are checked first (zero handles, null arrays) and reported as Java exceptions;
 *  - a C error (kili_error_t) becomes a KiliException subclass built by the Java factory
 *    KiliException.fromNative(status, messageUtf8, detailsUtf8), then is freed;
 *  - every local reference created in a loop or callback is deleted, every buffer copied in is
 *    freed, every kili_bytes_t is released with kili_bytes_free;
 *  - strings cross as UTF-8 byte[] (JNI's "modified UTF-8" would corrupt NULs and emoji);
 *  - no JNI call is made while an exception is pending.
 * Native threads of the library that deliver events are attached as daemons on first use and
 * detached by a pthread key destructor when they exit.
 */
#include <jni.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kili.h"
#include "com_kili_nativesdk_NativeBridge.h"

#define JNI_VERSION JNI_VERSION_1_8

static JavaVM *g_vm;
static jclass g_exception_class;      /* com.kili.nativesdk.KiliException (global ref) */
static jmethodID g_from_native;       /* static KiliException fromNative(int, byte[], byte[]) */
static jmethodID g_on_event;          /* void EventDispatcher.onNativeEvent(byte[]) */
static jclass g_oom_class;            /* java.lang.OutOfMemoryError (global ref) */
static jclass g_asset_class;          /* com.kili.nativesdk.Asset (global ref) */
static jmethodID g_asset_new;         /* Asset(byte[] raw, int[] members) */
static pthread_key_t g_detach_key;

/* ---------- exceptions ---------- */

/* A byte[] copy of `len` bytes, or NULL with an OutOfMemoryError pending. */
static jbyteArray new_bytes(JNIEnv *env, const void *data, size_t len) {
    if (len > (size_t)INT32_MAX) {
        (*env)->ThrowNew(env, g_oom_class, "kili: buffer larger than 2 GiB");
        return NULL;
    }
    jbyteArray arr = (*env)->NewByteArray(env, (jsize)len);
    if (arr != NULL && len > 0) {
        (*env)->SetByteArrayRegion(env, arr, 0, (jsize)len, (const jbyte *)data);
    }
    return arr;
}

/* Throws the KiliException for `status` with a UTF-8 message and details JSON. */
static void throw_kili(JNIEnv *env, kili_status_t status, const char *message, const char *details) {
    if ((*env)->ExceptionCheck(env)) {
        return;
    }
    jbyteArray msg = new_bytes(env, message, strlen(message));
    if (msg == NULL) {
        return;
    }
    jbyteArray det = new_bytes(env, details, strlen(details));
    if (det == NULL) {
        (*env)->DeleteLocalRef(env, msg);
        return;
    }
    jobject ex = (*env)->CallStaticObjectMethod(env, g_exception_class, g_from_native, (jint)status, msg, det);
    (*env)->DeleteLocalRef(env, msg);
    (*env)->DeleteLocalRef(env, det);
    if (!(*env)->ExceptionCheck(env) && ex != NULL) {
        (*env)->Throw(env, (jthrowable)ex);
    }
    if (ex != NULL) {
        (*env)->DeleteLocalRef(env, ex);
    }
}

/* Throws an INVALID_ARGUMENT KiliException naming `path`. */
static void throw_invalid_arg(JNIEnv *env, const char *path, const char *message) {
    char details[256];
    snprintf(details, sizeof details, "{\"status\":\"INVALID_ARGUMENT\",\"path\":\"%s\"}", path);
    char msg[512];
    snprintf(msg, sizeof msg, "%s: %s", path, message);
    throw_kili(env, KILI_INVALID_ARGUMENT, msg, details);
}

/* Throws the exception of a failed C call and frees `err` (which may be NULL). */
static void throw_status(JNIEnv *env, kili_status_t status, kili_error_t *err) {
    if (err != NULL) {
        throw_kili(env, kili_error_code(err), kili_error_message(err), kili_error_details_json(err));
        kili_error_free(err);
    } else {
        throw_kili(env, status, kili_status_str(status), "{}");
    }
}

/* ---------- inputs ---------- */

/* A malloc'd copy of a byte[] (never NULL on success, `*len` set), or NULL with an exception
 * pending. The copy lets the call block without pinning Java memory. */
static char *copy_in(JNIEnv *env, jbyteArray arr, const char *name, size_t *len) {
    if (arr == NULL) {
        throw_invalid_arg(env, name, "must not be null");
        return NULL;
    }
    jsize n = (*env)->GetArrayLength(env, arr);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL) {
        (*env)->ThrowNew(env, g_oom_class, "kili: cannot copy an argument");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, arr, 0, n, (jbyte *)buf);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static int check_handle(JNIEnv *env, jlong handle, const char *name) {
    if (handle == 0) {
        throw_invalid_arg(env, name, "is closed or null");
        return 0;
    }
    return 1;
}

static int check_timeout(JNIEnv *env, jint timeout_ms) {
    if (timeout_ms < 0) {
        throw_invalid_arg(env, "timeout", "must not be negative");
        return 0;
    }
    return 1;
}

static void call_options(kili_call_options_t *opts, jint timeout_ms, jlong cancel) {
    kili_call_options_init(opts);
    opts->timeout_ms = (uint32_t)timeout_ms;
    opts->cancel = (const kili_cancel_t *)(intptr_t)cancel;
}

/* A byte[] holding `bytes` (then released), or NULL for {NULL, 0} / on failure. */
static jbyteArray take_bytes(JNIEnv *env, kili_bytes_t *bytes) {
    jbyteArray arr = NULL;
    if (bytes->data != NULL) {
        arr = new_bytes(env, bytes->data, bytes->len);
    }
    kili_bytes_free(bytes);
    return arr;
}

/* ---------- events ---------- */

static void detach_thread(void *vm) {
    (*(JavaVM *)vm)->DetachCurrentThread((JavaVM *)vm);
}

/* The JNIEnv of the current thread, attaching a native thread as a daemon; NULL when the JVM
 * refuses (e.g. shutting down). */
static JNIEnv *current_env(void) {
    JNIEnv *env = NULL;
    jint rc = (*g_vm)->GetEnv(g_vm, (void **)&env, JNI_VERSION);
    if (rc == JNI_OK) {
        return env;
    }
    if (rc != JNI_EDETACHED) {
        return NULL;
    }
    JavaVMAttachArgs args = {JNI_VERSION, (char *)"kili-native", NULL};
    if ((*g_vm)->AttachCurrentThreadAsDaemon(g_vm, (void **)&env, &args) != JNI_OK) {
        return NULL;
    }
    /* Detach when this native thread exits, so the JVM does not keep a dead Thread. */
    pthread_setspecific(g_detach_key, g_vm);
    return env;
}

static void on_event(void *user_data, const char *json, size_t len) {
    JNIEnv *env = current_env();
    if (env == NULL || (*env)->ExceptionCheck(env)) {
        return; /* the event is dropped rather than disturbing a pending exception */
    }
    jbyteArray arr = new_bytes(env, json, len);
    if (arr != NULL) {
        (*env)->CallVoidMethod(env, (jobject)user_data, g_on_event, arr);
        (*env)->DeleteLocalRef(env, arr);
    }
    /* The dispatcher catches listener exceptions; anything left (OOM) must not leak out. */
    if ((*env)->ExceptionCheck(env)) {
        (*env)->ExceptionClear(env);
    }
}

static void on_drop(void *user_data) {
    JNIEnv *env = current_env();
    if (env != NULL) {
        (*env)->DeleteGlobalRef(env, (jobject)user_data);
    }
}

/* ---------- lifecycle ---------- */

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION) != JNI_OK) {
        return JNI_ERR;
    }
    g_vm = vm;
    if (pthread_key_create(&g_detach_key, detach_thread) != 0) {
        return JNI_ERR;
    }
    jclass cls = (*env)->FindClass(env, "com/kili/nativesdk/KiliException");
    if (cls == NULL) {
        return JNI_ERR;
    }
    g_exception_class = (*env)->NewGlobalRef(env, cls);
    (*env)->DeleteLocalRef(env, cls);
    g_from_native = (*env)->GetStaticMethodID(env, g_exception_class, "fromNative",
                                              "(I[B[B)Lcom/kili/nativesdk/KiliException;");
    if (g_exception_class == NULL || g_from_native == NULL) {
        return JNI_ERR;
    }
    cls = (*env)->FindClass(env, "com/kili/nativesdk/EventDispatcher");
    if (cls == NULL) {
        return JNI_ERR;
    }
    g_on_event = (*env)->GetMethodID(env, cls, "onNativeEvent", "([B)V");
    (*env)->DeleteLocalRef(env, cls);
    if (g_on_event == NULL) {
        return JNI_ERR;
    }
    cls = (*env)->FindClass(env, "java/lang/OutOfMemoryError");
    if (cls == NULL) {
        return JNI_ERR;
    }
    g_oom_class = (*env)->NewGlobalRef(env, cls);
    (*env)->DeleteLocalRef(env, cls);
    if (g_oom_class == NULL) {
        return JNI_ERR;
    }
    cls = (*env)->FindClass(env, "com/kili/nativesdk/Asset");
    if (cls == NULL) {
        return JNI_ERR;
    }
    g_asset_class = (*env)->NewGlobalRef(env, cls);
    (*env)->DeleteLocalRef(env, cls);
    if (g_asset_class == NULL) {
        return JNI_ERR;
    }
    g_asset_new = (*env)->GetMethodID(env, g_asset_class, "<init>", "([B[I)V");
    return g_asset_new == NULL ? JNI_ERR : JNI_VERSION;
}

/* ---------- versions ---------- */

JNIEXPORT jstring JNICALL Java_com_kili_nativesdk_NativeBridge_version(JNIEnv *env, jclass cls) {
    (void)cls;
    return (*env)->NewStringUTF(env, kili_version()); /* ASCII digits and dots */
}

JNIEXPORT jint JNICALL Java_com_kili_nativesdk_NativeBridge_abiVersion(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return (jint)kili_abi_version();
}

JNIEXPORT jint JNICALL Java_com_kili_nativesdk_NativeBridge_headerAbiVersion(JNIEnv *env, jclass cls) {
    (void)env;
    (void)cls;
    return (jint)KILI_ABI_VERSION;
}

JNIEXPORT jstring JNICALL Java_com_kili_nativesdk_NativeBridge_statusName(JNIEnv *env, jclass cls, jint status) {
    (void)cls;
    return (*env)->NewStringUTF(env, kili_status_str((kili_status_t)status)); /* ASCII */
}

/* ---------- client ---------- */

JNIEXPORT jlong JNICALL Java_com_kili_nativesdk_NativeBridge_clientNew(JNIEnv *env, jclass cls, jbyteArray options) {
    (void)cls;
    size_t len;
    char *buf = copy_in(env, options, "options", &len);
    if (buf == NULL) {
        return 0;
    }
    kili_client_t *client = NULL;
    kili_error_t *err = NULL;
    kili_status_t st = kili_client_new(buf, len, &client, &err);
    free(buf);
    if (st != KILI_OK) {
        throw_status(env, st, err);
        return 0;
    }
    return (jlong)(intptr_t)client;
}

JNIEXPORT void JNICALL Java_com_kili_nativesdk_NativeBridge_clientSetListener(JNIEnv *env, jclass cls, jlong client,
                                                                             jobject dispatcher) {
    (void)cls;
    if (!check_handle(env, client, "client")) {
        return;
    }
    kili_error_t *err = NULL;
    kili_status_t st;
    if (dispatcher == NULL) {
        st = kili_client_set_event_callback((const kili_client_t *)(intptr_t)client, NULL, &err);
    } else {
        jobject ref = (*env)->NewGlobalRef(env, dispatcher);
        if (ref == NULL) {
            return; /* OutOfMemoryError pending */
        }
        kili_event_callback_t cb = {ref, on_event, on_drop};
        st = kili_client_set_event_callback((const kili_client_t *)(intptr_t)client, &cb, &err);
        if (st != KILI_OK) {
            (*env)->DeleteGlobalRef(env, ref); /* not taken on failure */
        }
    }
    if (st != KILI_OK) {
        throw_status(env, st, err);
    }
}

JNIEXPORT void JNICALL Java_com_kili_nativesdk_NativeBridge_clientFree(JNIEnv *env, jclass cls, jlong client) {
    (void)env;
    (void)cls;
    kili_client_free((kili_client_t *)(intptr_t)client);
}

/* ---------- cancel tokens ---------- */

JNIEXPORT jlong JNICALL Java_com_kili_nativesdk_NativeBridge_cancelNew(JNIEnv *env, jclass cls) {
    (void)cls;
    kili_cancel_t *c = kili_cancel_new();
    if (c == NULL) {
        (*env)->ThrowNew(env, g_oom_class, "kili: cannot allocate a cancel token");
        return 0;
    }
    return (jlong)(intptr_t)c;
}

JNIEXPORT void JNICALL Java_com_kili_nativesdk_NativeBridge_cancelTrigger(JNIEnv *env, jclass cls, jlong cancel) {
    (void)cls;
    if (!check_handle(env, cancel, "cancel")) {
        return;
    }
    kili_error_t *err = NULL;
    kili_status_t st = kili_cancel_trigger((const kili_cancel_t *)(intptr_t)cancel, &err);
    if (st != KILI_OK) {
        throw_status(env, st, err);
    }
}

JNIEXPORT void JNICALL Java_com_kili_nativesdk_NativeBridge_cancelFree(JNIEnv *env, jclass cls, jlong cancel) {
    (void)env;
    (void)cls;
    kili_cancel_free((kili_cancel_t *)(intptr_t)cancel);
}

/* ---------- assets ---------- */

JNIEXPORT jlong JNICALL Java_com_kili_nativesdk_NativeBridge_assetsQuery(JNIEnv *env, jclass cls, jlong client,
                                                                        jbyteArray args, jint timeout_ms,
                                                                        jlong cancel) {
    (void)cls;
    if (!check_handle(env, client, "client") || !check_timeout(env, timeout_ms)) {
        return 0;
    }
    size_t len;
    char *buf = copy_in(env, args, "args", &len);
    if (buf == NULL) {
        return 0;
    }
    kili_call_options_t opts;
    call_options(&opts, timeout_ms, cancel);
    kili_cursor_t *cursor = NULL;
    kili_error_t *err = NULL;
    kili_status_t st = kili_assets_query((const kili_client_t *)(intptr_t)client, buf, len, &opts, &cursor, &err);
    free(buf);
    if (st != KILI_OK) {
        throw_status(env, st, err);
        return 0;
    }
    return (jlong)(intptr_t)cursor;
}

/* ---------- pages of assets ----------
 *
 * The Java cursor gets each page as Asset objects built here, each holding its own JSON bytes
 * and an index of its top-level members, and decoding a member only when it is read (most
 * callers read two or three fields). Splitting the page and building the objects in C keeps
 * the per-asset Java work to the getters actually called: the same loops in Java ran mostly
 * interpreted on short listings (the JIT had not caught up), which dominated their time.
 *
 * index_page layout: idx[0] = n; idx[1 + i] = offset in idx of asset i's record;
 *   record = objStart, objEnd (page offsets, end exclusive), nMembers,
 *            then per member: keyStart, keyEnd (key text without quotes), valueStart, valueEnd,
 *            kind (offsets relative to objStart).
 * Asset members array (Asset.java): ASSET_SLOTS ints locating the getters' members (the offset
 * of the member's five ints in this array, -1 when absent, -2 when some key has escapes and
 * Java must parse the object), then the five ints per member as above. */
enum {
    KIND_PLAIN_STRING = 0, /* a string without escapes: its bytes are the UTF-8 text */
    KIND_STRING = 1,       /* a string with escapes */
    KIND_CONTAINER = 2,    /* an object or an array */
    KIND_SCALAR = 3,       /* a number, true, false or null */
    KIND_KEY_ESCAPED = 8,  /* flag: the key has escapes */
    KIND_ASCII = 16        /* flag on KIND_PLAIN_STRING: every byte is ASCII */
};

/* The members with getters in Asset.java, in its SLOT_* order. */
static const char *const ASSET_SLOT_NAMES[] = {"id",     "externalId", "content", "status",
                                               "createdAt", "isHoneypot", "skipped"};
#define ASSET_SLOTS ((int)(sizeof ASSET_SLOT_NAMES / sizeof ASSET_SLOT_NAMES[0]))

typedef struct {
    jint *v;
    size_t len, cap;
} ints_t;

static int ints_push(ints_t *b, jint x) {
    if (b->len == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 1024;
        jint *v = realloc(b->v, cap * sizeof *v);
        if (v == NULL) {
            return 0;
        }
        b->v = v;
        b->cap = cap;
    }
    b->v[b->len++] = x;
    return 1;
}

static size_t skip_ws(const uint8_t *p, size_t i, size_t n) {
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')) {
        i++;
    }
    return i;
}

/* The end of the string starting at p[i] == '"' (after its closing quote), or 0 when
 * unterminated; *flags gets 1 when it contains a backslash, 2 when a non-ASCII byte. */
static size_t skip_string(const uint8_t *p, size_t i, size_t n, int *flags) {
    *flags = 0;
    for (i++; i < n; i++) {
        if (p[i] == '\\') {
            *flags |= 1;
            i++;
        } else if (p[i] == '"') {
            return i + 1;
        } else if (p[i] >= 0x80) {
            *flags |= 2;
        }
    }
    return 0;
}

/* The end of the value starting at p[i] and its kind, or 0 when malformed. Containers are
 * skipped by bracket depth (the library emits valid JSON; Java's parser validates whatever it
 * decodes). */
static size_t skip_value(const uint8_t *p, size_t i, size_t n, jint *kind) {
    int esc;
    if (i >= n) {
        return 0;
    }
    if (p[i] == '"') {
        size_t e = skip_string(p, i, n, &esc);
        *kind = (esc & 1) ? KIND_STRING : (esc & 2) ? KIND_PLAIN_STRING : (KIND_PLAIN_STRING | KIND_ASCII);
        return e;
    }
    if (p[i] == '{' || p[i] == '[') {
        *kind = KIND_CONTAINER;
        size_t depth = 0;
        while (i < n) {
            uint8_t c = p[i];
            if (c == '"') {
                i = skip_string(p, i, n, &esc);
                if (i == 0) {
                    return 0;
                }
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return 0;
    }
    *kind = KIND_SCALAR;
    size_t s = i;
    while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ']' && p[i] != ' ' && p[i] != '\n' && p[i] != '\r' &&
           p[i] != '\t') {
        i++;
    }
    return i > s ? i : 0;
}

/* Indexes a page (a JSON array of objects) into `out`; 0 when malformed or out of memory. */
static int index_page(const uint8_t *p, size_t n, ints_t *out) {
    size_t i = skip_ws(p, 0, n);
    if (i >= n || p[i] != '[' || n > (size_t)INT32_MAX) {
        return 0;
    }
    /* pass 1: the asset count, so the per-asset record offsets come first */
    ints_t starts = {NULL, 0, 0};
    int ok = 1;
    i = skip_ws(p, i + 1, n);
    if (i < n && p[i] == ']') {
        i++;
    } else {
        for (;;) {
            jint kind;
            size_t e = skip_value(p, i, n, &kind);
            if (e == 0 || kind != KIND_CONTAINER || p[i] != '{' || !ints_push(&starts, (jint)i)) {
                ok = 0;
                break;
            }
            i = skip_ws(p, e, n);
            if (i < n && p[i] == ',') {
                i = skip_ws(p, i + 1, n);
                continue;
            }
            if (i < n && p[i] == ']') {
                i++;
                break;
            }
            ok = 0;
            break;
        }
    }
    if (ok && skip_ws(p, i, n) != n) {
        ok = 0;
    }
    size_t count = starts.len;
    ok = ok && ints_push(out, (jint)count);
    for (size_t a = 0; ok && a < count; a++) {
        ok = ints_push(out, 0); /* record offsets, filled below */
    }
    /* pass 2: one record per asset */
    for (size_t a = 0; ok && a < count; a++) {
        size_t base = (size_t)starts.v[a];
        out->v[1 + a] = (jint)out->len;
        size_t rec = out->len;
        ok = ints_push(out, (jint)base) && ints_push(out, 0) && ints_push(out, 0);
        size_t j = skip_ws(p, base + 1, n);
        jint keys = 0;
        if (ok && j < n && p[j] == '}') {
            j++;
        } else {
            while (ok) {
                int kesc;
                if (j >= n || p[j] != '"') {
                    ok = 0;
                    break;
                }
                size_t ke = skip_string(p, j, n, &kesc);
                if (ke == 0) {
                    ok = 0;
                    break;
                }
                size_t v = skip_ws(p, ke, n);
                if (v >= n || p[v] != ':') {
                    ok = 0;
                    break;
                }
                v = skip_ws(p, v + 1, n);
                jint kind;
                size_t ve = skip_value(p, v, n, &kind);
                if (ve == 0) {
                    ok = 0;
                    break;
                }
                ok = ints_push(out, (jint)(j + 1 - base)) && ints_push(out, (jint)(ke - 1 - base)) &&
                     ints_push(out, (jint)(v - base)) && ints_push(out, (jint)(ve - base)) &&
                     ints_push(out, kind | ((kesc & 1) ? KIND_KEY_ESCAPED : 0));
                keys++;
                j = skip_ws(p, ve, n);
                if (j < n && p[j] == ',') {
                    j = skip_ws(p, j + 1, n);
                    continue;
                }
                if (j < n && p[j] == '}') {
                    j++;
                    break;
                }
                ok = 0;
            }
        }
        if (ok) {
            out->v[rec + 1] = (jint)j;
            out->v[rec + 2] = keys;
        }
    }
    free(starts.v);
    return ok;
}

/* The Asset objects of a page, or NULL with an exception pending (INTERNAL when the page is
 * not a JSON array of objects). */
static jobjectArray page_assets(JNIEnv *env, const uint8_t *page, size_t len) {
    ints_t idx = {NULL, 0, 0};
    if (!index_page(page, len, &idx)) {
        free(idx.v);
        throw_kili(env, KILI_INTERNAL, "kili_cursor_next_page returned a page that is not a JSON array of objects",
                   "{\"status\":\"INTERNAL\"}");
        return NULL;
    }
    jsize count = idx.v[0];
    jobjectArray out = (*env)->NewObjectArray(env, count, g_asset_class, NULL);
    ints_t members = {NULL, 0, 0};
    for (jsize a = 0; out != NULL && a < count; a++) {
        const jint *rec = idx.v + idx.v[1 + a];
        jint n = rec[2];
        members.len = 0;
        for (int s = 0; s < ASSET_SLOTS; s++) {
            if (!ints_push(&members, -1)) {
                break;
            }
        }
        int escaped = 0;
        for (jint m = 0; m < n && members.len >= (size_t)ASSET_SLOTS; m++) {
            const jint *mem = rec + 3 + 5 * m;
            jint at = (jint)members.len;
            if (!(ints_push(&members, mem[0]) && ints_push(&members, mem[1]) && ints_push(&members, mem[2]) &&
                  ints_push(&members, mem[3]) && ints_push(&members, mem[4]))) {
                members.len = 0;
                break;
            }
            if (mem[4] & KIND_KEY_ESCAPED) {
                escaped = 1;
                continue;
            }
            const uint8_t *key = page + rec[0] + mem[0];
            size_t key_len = (size_t)(mem[1] - mem[0]);
            for (int s = 0; s < ASSET_SLOTS; s++) {
                /* the last duplicate wins, as in the parsed map */
                if (strlen(ASSET_SLOT_NAMES[s]) == key_len && memcmp(ASSET_SLOT_NAMES[s], key, key_len) == 0) {
                    members.v[s] = at;
                }
            }
        }
        if (members.len != (size_t)ASSET_SLOTS + 5 * (size_t)n) {
            (*env)->ThrowNew(env, g_oom_class, "kili: cannot index a page");
            break;
        }
        if (escaped) {
            for (int s = 0; s < ASSET_SLOTS; s++) {
                members.v[s] = -2;
            }
        }
        jbyteArray raw = new_bytes(env, page + rec[0], (size_t)(rec[1] - rec[0]));
        if (raw == NULL) {
            break;
        }
        jintArray ints = (*env)->NewIntArray(env, (jsize)members.len);
        if (ints == NULL) {
            (*env)->DeleteLocalRef(env, raw);
            break;
        }
        (*env)->SetIntArrayRegion(env, ints, 0, (jsize)members.len, members.v);
        jobject asset = (*env)->NewObject(env, g_asset_class, g_asset_new, raw, ints);
        (*env)->DeleteLocalRef(env, raw);
        (*env)->DeleteLocalRef(env, ints);
        if (asset == NULL) {
            break;
        }
        (*env)->SetObjectArrayElement(env, out, a, asset);
        (*env)->DeleteLocalRef(env, asset);
    }
    free(members.v);
    free(idx.v);
    if ((*env)->ExceptionCheck(env)) {
        if (out != NULL) {
            (*env)->DeleteLocalRef(env, out);
        }
        return NULL;
    }
    return out;
}

JNIEXPORT jobjectArray JNICALL Java_com_kili_nativesdk_NativeBridge_pageAssets(JNIEnv *env, jclass cls,
                                                                              jbyteArray page) {
    (void)cls;
    size_t len;
    char *buf = copy_in(env, page, "page", &len);
    if (buf == NULL) {
        return NULL;
    }
    jobjectArray out = page_assets(env, (const uint8_t *)buf, len);
    free(buf);
    return out;
}

JNIEXPORT jobjectArray JNICALL Java_com_kili_nativesdk_NativeBridge_cursorNextAssets(JNIEnv *env, jclass cls,
                                                                                    jlong cursor, jint max_items) {
    (void)cls;
    if (!check_handle(env, cursor, "cursor")) {
        return NULL;
    }
    if (max_items <= 0) {
        throw_invalid_arg(env, "max_items", "must be at least 1");
        return NULL;
    }
    kili_bytes_t page = {NULL, 0};
    kili_error_t *err = NULL;
    kili_status_t st = kili_cursor_next_page((kili_cursor_t *)(intptr_t)cursor, (size_t)max_items, &page, &err);
    jobjectArray out = NULL;
    if (st == KILI_OK) {
        if (page.data != NULL) { /* else: as KILI_DONE */
            out = page_assets(env, page.data, page.len);
        }
    } else if (st != KILI_DONE) {
        throw_status(env, st, err);
    } else {
        kili_error_free(err);
    }
    kili_bytes_free(&page);
    return out;
}

JNIEXPORT jlong JNICALL Java_com_kili_nativesdk_NativeBridge_cursorExpectedTotal(JNIEnv *env, jclass cls,
                                                                                jlong cursor) {
    (void)cls;
    if (!check_handle(env, cursor, "cursor")) {
        return -1;
    }
    int64_t total = -1;
    kili_error_t *err = NULL;
    kili_status_t st = kili_cursor_expected_total((const kili_cursor_t *)(intptr_t)cursor, &total, &err);
    if (st != KILI_OK) {
        throw_status(env, st, err);
        return -1;
    }
    return (jlong)total;
}

JNIEXPORT void JNICALL Java_com_kili_nativesdk_NativeBridge_cursorFree(JNIEnv *env, jclass cls, jlong cursor) {
    (void)env;
    (void)cls;
    kili_cursor_free((kili_cursor_t *)(intptr_t)cursor);
}

JNIEXPORT jlong JNICALL Java_com_kili_nativesdk_NativeBridge_assetsCount(JNIEnv *env, jclass cls, jlong client,
                                                                        jbyteArray args, jint timeout_ms,
                                                                        jlong cancel) {
    (void)cls;
    if (!check_handle(env, client, "client") || !check_timeout(env, timeout_ms)) {
        return -1;
    }
    size_t len;
    char *buf = copy_in(env, args, "args", &len);
    if (buf == NULL) {
        return -1;
    }
    kili_call_options_t opts;
    call_options(&opts, timeout_ms, cancel);
    uint64_t count = 0;
    kili_error_t *err = NULL;
    kili_status_t st = kili_assets_count((const kili_client_t *)(intptr_t)client, buf, len, &opts, &count, &err);
    free(buf);
    if (st != KILI_OK) {
        throw_status(env, st, err);
        return -1;
    }
    return count > (uint64_t)INT64_MAX ? (jlong)INT64_MAX : (jlong)count;
}

JNIEXPORT jbyteArray JNICALL Java_com_kili_nativesdk_NativeBridge_assetsMutate(JNIEnv *env, jclass cls, jlong client,
                                                                              jbyteArray action, jbyteArray args,
                                                                              jint timeout_ms, jlong cancel) {
    (void)cls;
    if (!check_handle(env, client, "client") || !check_timeout(env, timeout_ms)) {
        return NULL;
    }
    size_t action_len;
    char *action_buf = copy_in(env, action, "action", &action_len);
    if (action_buf == NULL) {
        return NULL;
    }
    size_t args_len;
    char *args_buf = copy_in(env, args, "args", &args_len);
    if (args_buf == NULL) {
        free(action_buf);
        return NULL;
    }
    kili_call_options_t opts;
    call_options(&opts, timeout_ms, cancel);
    kili_bytes_t result = {NULL, 0};
    kili_error_t *err = NULL;
    kili_status_t st = kili_assets_mutate((const kili_client_t *)(intptr_t)client, action_buf, action_len, args_buf,
                                          args_len, &opts, &result, &err);
    free(action_buf);
    free(args_buf);
    if (st != KILI_OK) {
        kili_bytes_free(&result);
        throw_status(env, st, err);
        return NULL;
    }
    return take_bytes(env, &result);
}

JNIEXPORT jlong JNICALL Java_com_kili_nativesdk_NativeBridge_assetsExport(JNIEnv *env, jclass cls, jlong client,
                                                                         jbyteArray args, jbyteArray format,
                                                                         jbyteArray path, jint timeout_ms,
                                                                         jlong cancel) {
    (void)cls;
    if (!check_handle(env, client, "client") || !check_timeout(env, timeout_ms)) {
        return -1;
    }
    size_t args_len, format_len, path_len;
    char *args_buf = copy_in(env, args, "args", &args_len);
    if (args_buf == NULL) {
        return -1;
    }
    char *format_buf = copy_in(env, format, "format", &format_len);
    if (format_buf == NULL) {
        free(args_buf);
        return -1;
    }
    /* Never NULL on success (an empty path stays a path, rejected by the library naming it):
     * NULL would select the file-descriptor destination. */
    char *path_buf = copy_in(env, path, "path", &path_len);
    if (path_buf == NULL) {
        free(args_buf);
        free(format_buf);
        return -1;
    }
    kili_call_options_t opts;
    call_options(&opts, timeout_ms, cancel);
    uint64_t count = 0;
    kili_error_t *err = NULL;
    kili_status_t st = kili_assets_export((const kili_client_t *)(intptr_t)client, args_buf, args_len, format_buf,
                                          format_len, path_buf, path_len, -1, &opts, &count, &err);
    free(args_buf);
    free(format_buf);
    free(path_buf);
    if (st != KILI_OK) {
        throw_status(env, st, err);
        return -1;
    }
    return count > (uint64_t)INT64_MAX ? (jlong)INT64_MAX : (jlong)count;
}
