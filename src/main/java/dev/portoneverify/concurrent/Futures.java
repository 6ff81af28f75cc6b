package dev.portoneverify.concurrent;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * The few things the asynchronous verification path (issue 17) needs of {@link CompletableFuture}:
 * the failure a stage really threw (not the {@link CompletionException} wrapped around it), a blocking
 * wait for the callers that still want one, and the hand-over of a result to the thread that should
 * continue with it.
 */
public final class Futures {
    private Futures() {}

    /** What a stage threw, without the CompletionException or ExecutionException around it. */
    public static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /**
     * Waits for {@code future} and returns its result, or throws what it failed with, unwrapped: the
     * blocking face of an asynchronous call, for callers that hold a thread anyway (the reconciler, the
     * admin API). Interrupting the wait throws {@code onInterrupt}'s exception and keeps the flag set;
     * the future itself is left running, since other callers may share it.
     */
    public static <T> T await(CompletableFuture<T> future, Function<InterruptedException, RuntimeException> onInterrupt) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw onInterrupt.apply(e);
        } catch (ExecutionException | CancellationException e) {
            throw rethrow(unwrap(e));
        }
    }

    /** Rethrows a failure as it was thrown: unchecked as it is, anything else wrapped. */
    public static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException(cause);
    }

    /**
     * {@code future}'s outcome, delivered on {@code executor}: whatever the caller chains on the result
     * runs there, not on the thread that completed {@code future} (the database's one writer, or the
     * HTTP client's selector, which must not spend their time on the next step). A failure arrives
     * unwrapped.
     */
    public static <T> CompletableFuture<T> on(Executor executor, CompletableFuture<T> future) {
        CompletableFuture<T> handed = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            Runnable deliver = () -> {
                if (failure == null) {
                    handed.complete(value);
                } else {
                    handed.completeExceptionally(unwrap(failure));
                }
            };
            try {
                executor.execute(deliver);
            } catch (RejectedExecutionException e) {
                // the executor is shutting down: answer here rather than never
                deliver.run();
            }
        });
        return handed;
    }

    /** A future failed with {@code e}, unwrapped: for a stage that refuses before it starts. */
    public static <T> CompletableFuture<T> failed(Throwable e) {
        return CompletableFuture.failedFuture(unwrap(e));
    }
}
