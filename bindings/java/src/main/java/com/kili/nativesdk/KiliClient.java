package com.kili.nativesdk;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A connection to one Kili endpoint with one API key: lists, counts and mutates the assets of
 * projects through the native library.
 *
 * <p>Ownership: holds one native {@code kili_client_t}, released exactly once by
 * {@link #close()} (use try-with-resources); a {@link Cleaner} releases it if the client
 * becomes unreachable unclosed. Cursors keep their client reachable. Calls after close throw
 * {@link InvalidStateException}.
 *
 * <p>Thread-safety: fully thread-safe; share one client between threads. {@link #close()}
 * cancels the calls in flight on other threads and waits for them to return.
 *
 * <p>Errors: every call throws a {@link KiliException} subclass; bad arguments are reported
 * before any network call with {@link InvalidArgumentException#path()} naming the argument.
 * Blocking calls are cancelled by {@link Thread#interrupt()} of the calling thread or by a
 * {@link CancelToken} in {@link CallOptions} ({@link CancelledException}).
 */
public final class KiliClient implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();

    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Read-held by every call, write-held by close: the handle is never freed under a call. */
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** The blocking calls in flight, cancelled by close so that it never waits on a stalled server. */
    private final Set<CallScope> inFlight = ConcurrentHashMap.newKeySet();

    /** Frees the native client; the Cleaner's action, so it must not reference the client. */
    private static final class Handle implements Runnable {
        private final long ptr;

        Handle(long ptr) {
            this.ptr = ptr;
        }

        @Override
        public void run() {
            NativeBridge.clientFree(ptr);
        }
    }

    private KiliClient(String optionsJson, KiliEventListener listener) {
        NativeBridge.ensureLoaded();
        long ptr = NativeBridge.clientNew(optionsJson.getBytes(StandardCharsets.UTF_8));
        this.handle = new Handle(ptr);
        this.cleanable = CLEANER.register(this, handle);
        if (listener != null) {
            try {
                NativeBridge.clientSetListener(ptr, new EventDispatcher(listener));
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }
    }

    /** A builder of client options. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client from a raw options JSON object (the C ABI's {@code kili_client_new} keys:
     * {@code api_key}, {@code api_endpoint}, {@code rate_limit_per_minute}, {@code page_size},
     * {@code prefetch_pages}, ...). Blocking: checks the key with the server.
     */
    public static KiliClient fromJson(String optionsJson) {
        if (optionsJson == null) {
            throw new IllegalArgumentException("optionsJson: expected a JSON object, got null");
        }
        return new KiliClient(optionsJson, null);
    }

    /** The version of the loaded native library ({@code kili_version()}). */
    public static String libraryVersion() {
        return NativeBridge.version();
    }

    /** The ABI version of the loaded native library ({@code kili_abi_version()}). */
    public static int abiVersion() {
        return NativeBridge.abiVersion();
    }

    /** The name of a status code ({@code kili_status_str}), e.g. {@code KILI_NOT_FOUND}. */
    public static String statusName(int code) {
        return NativeBridge.statusName(code);
    }

    /**
     * Installs (or, with null, removes) the event listener of this client and of the cursors it
     * creates from now on, replacing any previous one.
     */
    public void setEventListener(KiliEventListener listener) {
        withHandle(ptr -> {
            NativeBridge.clientSetListener(ptr, listener == null ? null : new EventDispatcher(listener));
            return null;
        });
    }

    // ---------- queries ----------

    /** Starts a query; see {@link #assets(AssetQuery, CallOptions)}. */
    public AssetCursor assets(AssetQuery query) {
        return assets(query, CallOptions.DEFAULT);
    }

    /**
     * Starts a query over the assets of a project and returns a cursor (close it, or use
     * {@link AssetCursor#stream()} in try-with-resources). Blocking until the listing has
     * started; later pages are prefetched in the background. The options' cancel token stays
     * attached to the cursor.
     */
    public AssetCursor assets(AssetQuery query, CallOptions options) {
        return assetsJson(nonNull(query, "query").toJson(), options);
    }

    /** Starts a query from a raw JSON argument object (the Python SDK's {@code assets()} names). */
    public AssetCursor assetsJson(String argsJson, CallOptions options) {
        byte[] args = utf8(argsJson, "argsJson");
        CallScope scope = new CallScope(options);
        try {
            // An anonymous class, not a lambda: a JVM's first lambda bootstraps java.lang.invoke
            // (class spinning, ~10-20 ms measured), which would land in the first listing.
            long cursor = blocking(scope, new HandleCall<Long>() {
                @Override
                public Long apply(long ptr) {
                    return NativeBridge.assetsQuery(ptr, args, scope.timeoutMs, scope.cancel.ptr());
                }
            });
            return new AssetCursor(this, cursor, scope);
        } catch (RuntimeException | Error e) {
            scope.close();
            throw e;
        }
    }

    /** All assets of a query as a list (for small results; prefer a cursor for large ones). */
    public List<Asset> listAssets(AssetQuery query) {
        return listAssets(query, CallOptions.DEFAULT);
    }

    /** All assets of a query as a list, with options. */
    public List<Asset> listAssets(AssetQuery query, CallOptions options) {
        List<Asset> out = new ArrayList<>();
        try (AssetCursor c = assets(query, options)) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    /** Counts assets; see {@link #countAssets(AssetQuery, CallOptions)}. */
    public long countAssets(AssetQuery query) {
        return countAssets(query, CallOptions.DEFAULT);
    }

    /**
     * The number of assets matching the query's filters (its listing-only keys such as
     * {@code fields} and {@code first} are dropped). Blocking: one request, with retries.
     */
    public long countAssets(AssetQuery query, CallOptions options) {
        return countAssetsJson(nonNull(query, "query").forCount().toJson(), options);
    }

    /** Counts assets from a raw JSON argument object (the Python SDK's {@code count_assets()} names). */
    public long countAssetsJson(String argsJson, CallOptions options) {
        byte[] args = utf8(argsJson, "argsJson");
        try (CallScope scope = new CallScope(options)) {
            return blocking(scope, ptr -> NativeBridge.assetsCount(ptr, args, scope.timeoutMs, scope.cancel.ptr()));
        }
    }

    // ---------- export ----------

    /** Exports a query to a file; see {@link #exportAssets(AssetQuery, ExportFormat, Path, CallOptions)}. */
    public long exportAssets(AssetQuery query, ExportFormat format, Path path) {
        return exportAssets(query, format, path, CallOptions.DEFAULT);
    }

    /**
     * Streams the assets of a query (the same arguments as {@link #assets(AssetQuery)}) to the
     * file {@code path} in {@code format} and returns the number of assets written. The file is
     * written as {@code <path>.part} and renamed to {@code path} when complete, so a failed or
     * cancelled export leaves no file under {@code path} (nor the {@code .part}). Pages stream
     * through the native library: memory stays bounded whatever the number of assets. Progress
     * reaches the event listener as {@code "export"} progress events.
     *
     * <p>Blocking until the export ends; cancelled by {@link Thread#interrupt()}, a
     * {@link CancelToken} or {@link #close()} ({@link CancelledException}); the options' timeout
     * bounds the whole export. Thread-safe like every call of the client. A relative
     * {@code path} is resolved against {@code user.dir}, as {@link Path#toAbsolutePath()} does.
     *
     * @throws IllegalArgumentException if an argument is null
     * @throws InvalidArgumentException for bad query arguments (with {@code path()} naming them)
     *     or a file that cannot be written ({@code path()} is {@code "path"})
     * @throws NotFoundException if the project does not exist or is not visible to the key
     */
    public long exportAssets(AssetQuery query, ExportFormat format, Path path, CallOptions options) {
        return exportAssetsJson(nonNull(query, "query").toJson(), nonNull(format, "format").wireName(), path, options);
    }

    /**
     * Exports from a raw JSON argument object (the Python SDK's {@code assets()} names) and a
     * format name ({@code "ndjson"} or {@code "csv"}; any other is an
     * {@link InvalidArgumentException} naming {@code format}, before any network call). Same
     * behaviour as {@link #exportAssets(AssetQuery, ExportFormat, Path, CallOptions)}.
     */
    public long exportAssetsJson(String argsJson, String format, Path path, CallOptions options) {
        byte[] args = utf8(argsJson, "argsJson");
        byte[] fmt = utf8(format, "format");
        byte[] file = utf8(nonNull(path, "path").toAbsolutePath().toString(), "path");
        try (CallScope scope = new CallScope(options)) {
            return blocking(scope, ptr -> NativeBridge.assetsExport(ptr, args, fmt, file, scope.timeoutMs,
                    scope.cancel.ptr()));
        }
    }

    // ---------- mutations ----------

    /** {@code append_many_to_dataset}: imports assets; {@link MutationResult#assetIds()} are the new ids. */
    public MutationResult appendManyToDataset(AppendAssets args) {
        return appendManyToDataset(args, CallOptions.DEFAULT);
    }

    /** {@code append_many_to_dataset} with options. */
    public MutationResult appendManyToDataset(AppendAssets args, CallOptions options) {
        return mutate("append_many_to_dataset", args, options);
    }

    /** {@code update_properties_in_assets}: updates priorities, metadata, contents, ... */
    public MutationResult updatePropertiesInAssets(UpdateAssets args) {
        return updatePropertiesInAssets(args, CallOptions.DEFAULT);
    }

    /** {@code update_properties_in_assets} with options. */
    public MutationResult updatePropertiesInAssets(UpdateAssets args, CallOptions options) {
        return mutate("update_properties_in_assets", args, options);
    }

    /** {@code change_asset_external_ids}: renames assets. */
    public MutationResult changeAssetExternalIds(ChangeExternalIds args) {
        return changeAssetExternalIds(args, CallOptions.DEFAULT);
    }

    /** {@code change_asset_external_ids} with options. */
    public MutationResult changeAssetExternalIds(ChangeExternalIds args, CallOptions options) {
        return mutate("change_asset_external_ids", args, options);
    }

    /** {@code delete_many_from_dataset}: deletes assets. */
    public MutationResult deleteManyFromDataset(AssetSelection args) {
        return deleteManyFromDataset(args, CallOptions.DEFAULT);
    }

    /** {@code delete_many_from_dataset} with options. */
    public MutationResult deleteManyFromDataset(AssetSelection args, CallOptions options) {
        return mutate("delete_many_from_dataset", args, options);
    }

    /** {@code add_to_review}: sends assets to review. */
    public MutationResult addToReview(AssetSelection args) {
        return addToReview(args, CallOptions.DEFAULT);
    }

    /** {@code add_to_review} with options. */
    public MutationResult addToReview(AssetSelection args, CallOptions options) {
        return mutate("add_to_review", args, options);
    }

    /** {@code send_back_to_queue}: sends assets back to the labeling queue. */
    public MutationResult sendBackToQueue(AssetSelection args) {
        return sendBackToQueue(args, CallOptions.DEFAULT);
    }

    /** {@code send_back_to_queue} with options. */
    public MutationResult sendBackToQueue(AssetSelection args, CallOptions options) {
        return mutate("send_back_to_queue", args, options);
    }

    /**
     * {@code set_assets_priority}: sets the priority of assets; those not waiting for work are
     * declined. {@link MutationResult#result()} is the Python SDK's outcome map
     * ({@code declined}, {@code failed}, {@code succeeded} lists of {@code assetId}/{@code externalId}).
     */
    public MutationResult setAssetsPriority(AssetsPriority args) {
        return setAssetsPriority(args, CallOptions.DEFAULT);
    }

    /** {@code set_assets_priority} with options. */
    public MutationResult setAssetsPriority(AssetsPriority args, CallOptions options) {
        return mutate("set_assets_priority", args, options);
    }

    /**
     * {@code assign_assets_to_labelers}: makes the given users the assignees of each asset; an
     * asset whose labeler with work in progress would lose it is declined. The result is the
     * outcome map, as {@link #setAssetsPriority}.
     */
    public MutationResult assignAssetsToLabelers(AssignAssets args) {
        return assignAssetsToLabelers(args, CallOptions.DEFAULT);
    }

    /** {@code assign_assets_to_labelers} with options. */
    public MutationResult assignAssetsToLabelers(AssignAssets args, CallOptions options) {
        return mutate("assign_assets_to_labelers", args, options);
    }

    /**
     * {@code update_asset_consensus}: turns consensus on or off for one asset; the result is the
     * Boolean set. A server refusal is a {@link PartialFailureException} whose failed item
     * carries the server's reason.
     */
    public MutationResult updateAssetConsensus(AssetConsensus args) {
        return updateAssetConsensus(args, CallOptions.DEFAULT);
    }

    /** {@code update_asset_consensus} with options. */
    public MutationResult updateAssetConsensus(AssetConsensus args, CallOptions options) {
        return mutate("update_asset_consensus", args, options);
    }

    /** {@code add_metadata}: adds keys to the metadata of assets; the result lists {@code {"id"}}. */
    public MutationResult addMetadata(AssetMetadata args) {
        return addMetadata(args, CallOptions.DEFAULT);
    }

    /** {@code add_metadata} with options. */
    public MutationResult addMetadata(AssetMetadata args, CallOptions options) {
        return mutate("add_metadata", args, options);
    }

    /**
     * {@code set_metadata}: replaces the metadata of assets, keeping the keys Kili relies on
     * ({@code text}, {@code imageUrl}, {@code url}, {@code processingParameters}) unless given.
     */
    public MutationResult setMetadata(AssetMetadata args) {
        return setMetadata(args, CallOptions.DEFAULT);
    }

    /** {@code set_metadata} with options. */
    public MutationResult setMetadata(AssetMetadata args, CallOptions options) {
        return mutate("set_metadata", args, options);
    }

    /** {@code skip_or_unskip}: skips or unskips one asset; the result is the asset id. */
    public MutationResult skipOrUnskip(SkipAsset args) {
        return skipOrUnskip(args, CallOptions.DEFAULT);
    }

    /** {@code skip_or_unskip} with options. */
    public MutationResult skipOrUnskip(SkipAsset args, CallOptions options) {
        return mutate("skip_or_unskip", args, options);
    }

    private MutationResult mutate(String action, Args<?> args, CallOptions options) {
        return mutateJson(action, nonNull(args, "args").toJson(), options);
    }

    /**
     * Runs any asset action by name with a raw JSON argument object (the Python SDK method's
     * parameter names). Blocking; progress is reported to the event listener.
     *
     * @throws PartialFailureException when some items failed; its
     *     {@link PartialFailureException#partialResult()} lists each item
     */
    public MutationResult mutateJson(String action, String argsJson, CallOptions options) {
        byte[] a = utf8(action, "action");
        byte[] args = utf8(argsJson, "argsJson");
        try (CallScope scope = new CallScope(options)) {
            byte[] out = blocking(scope, ptr -> NativeBridge.assetsMutate(ptr, a, args, scope.timeoutMs,
                    scope.cancel.ptr()));
            return MutationResult.parse(out == null ? "{}" : new String(out, StandardCharsets.UTF_8));
        }
    }

    // ---------- lifecycle ----------

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed.get();
    }

    /**
     * Releases the native client, once; later calls are no-ops. Calls in flight on other
     * threads are cancelled ({@link CancelledException}) and waited for. Open cursors keep
     * working until closed.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (CallScope s : inFlight) {
                s.trigger();
            }
            lock.writeLock().lock();
            try {
                cleanable.clean();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }

    @FunctionalInterface
    interface HandleCall<T> {
        T apply(long ptr);
    }

    /**
     * Runs a blocking native call with the live handle: interruptible through the scope's guard,
     * cancellable by close.
     */
    private <T> T blocking(CallScope scope, HandleCall<T> f) {
        // Registered before the closed check in withHandle: close sets the flag before it
        // cancels the registered calls, so a call either sees the flag or gets cancelled.
        inFlight.add(scope);
        try {
            // withHandle spelled out rather than given a lambda (see assetsJson)
            lock.readLock().lock();
            try {
                ensureOpen();
                scope.guard.enter();
                try {
                    return f.apply(handle.ptr);
                } finally {
                    scope.guard.exit();
                }
            } finally {
                lock.readLock().unlock();
            }
        } finally {
            inFlight.remove(scope);
        }
    }

    /** Runs {@code f} with the live handle; {@link InvalidStateException} once closed. */
    <T> T withHandle(HandleCall<T> f) {
        lock.readLock().lock();
        try {
            ensureOpen();
            return f.apply(handle.ptr);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** {@link InvalidStateException} once closed; called under the read lock. */
    private void ensureOpen() {
        if (closed.get()) {
            throw new InvalidStateException(Status.INVALID_STATE.code(), "the KiliClient is closed",
                    "{\"status\":\"INVALID_STATE\"}");
        }
    }

    private static <T> T nonNull(T v, String name) {
        if (v == null) {
            throw new IllegalArgumentException(name + ": must not be null");
        }
        return v;
    }

    private static byte[] utf8(String s, String name) {
        return nonNull(s, name).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "KiliClient{" + (closed.get() ? "closed" : "open") + "}";
    }

    /**
     * Options of a new client, serialised to the C ABI's option names. {@link #toString()} never
     * shows the API key. Not thread-safe while being built.
     */
    public static final class Builder {
        private final Map<String, Object> options = new LinkedHashMap<>();
        private KiliEventListener listener;

        private Builder() {}

        /** {@code api_key} (else the environment variable {@code KILI_API_KEY}). */
        public Builder apiKey(String apiKey) {
            return option("api_key", apiKey);
        }

        /** {@code api_endpoint}: the GraphQL URL (else {@code KILI_API_ENDPOINT}, else Kili's cloud). */
        public Builder apiEndpoint(String endpoint) {
            return option("api_endpoint", endpoint);
        }

        /** {@code rate_limit_per_minute}: client-side limit of requests (0 disables it). */
        public Builder rateLimitPerMinute(int limit) {
            return option("rate_limit_per_minute", limit);
        }

        /** {@code page_size}: assets per page, 1..100. */
        public Builder pageSize(int size) {
            return option("page_size", size);
        }

        /**
         * {@code prefetch_pages}: page requests in flight while a cursor is consumed; 0 = one
         * at a time on the calling thread, inside the cursor's calls (no background work).
         */
        public Builder prefetchPages(int pages) {
            return option("prefetch_pages", pages);
        }

        /**
         * {@code mutation_concurrency}: batches of one update / review / back-to-queue / delete
         * call in flight at once (1..64, default 8; 1 sends them one after the other). A call
         * naming an asset twice always runs its batches one after the other.
         */
        public Builder mutationConcurrency(int batches) {
            return option("mutation_concurrency", batches);
        }

        /** {@code verify_tls}. */
        public Builder verifyTls(boolean verify) {
            return option("verify_tls", verify);
        }

        /** {@code allow_insecure_http}: plain http to a non-loopback host. */
        public Builder allowInsecureHttp(boolean allow) {
            return option("allow_insecure_http", allow);
        }

        /** {@code connect_timeout_ms}. */
        public Builder connectTimeout(Duration d) {
            return option("connect_timeout_ms", d.toMillis());
        }

        /** {@code request_timeout_ms}. */
        public Builder requestTimeout(Duration d) {
            return option("request_timeout_ms", d.toMillis());
        }

        /** {@code retry_deadline_ms}: how long retries of one request may go on. */
        public Builder retryDeadline(Duration d) {
            return option("retry_deadline_ms", d.toMillis());
        }

        /** Any other option of {@code kili_client_new} by its snake_case name. */
        public Builder option(String name, Object value) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("name: expected an option name such as \"api_endpoint\"");
            }
            options.put(name, value);
            return this;
        }

        /** The event listener installed on the new client. */
        public Builder eventListener(KiliEventListener l) {
            this.listener = l;
            return this;
        }

        /** Creates the client. Blocking: may contact the server to check the key. */
        public KiliClient build() {
            return new KiliClient(Json.write(options), listener);
        }

        @Override
        public String toString() {
            Map<String, Object> shown = new LinkedHashMap<>(options);
            if (shown.containsKey("api_key")) {
                shown.put("api_key", "***");
            }
            return "KiliClient.Builder" + Json.write(shown);
        }
    }
}
