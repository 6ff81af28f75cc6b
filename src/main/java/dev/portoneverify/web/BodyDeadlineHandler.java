package dev.portoneverify.web;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads every request body in full, asynchronously, before the application sees the request, and
 * refuses one that is not complete within {@code deadline} or arrives slower than {@code minRate}
 * (issue 15).
 *
 * <p>Javalin reads bodies with blocking calls, on one of Jetty's threads; on Java 17 there are 250
 * of them, and 260 clients each sending a byte every 20 s held them all. Here a body that is still
 * arriving holds no thread, only its connection (and those are capped by {@link ConnectionCap}):
 * the application is called once the last byte is in, so it never blocks on a client.
 */
public final class BodyDeadlineHandler extends Handler.Wrapper {
    /** Rates are only judged after this long: the first packet of a healthy client may be small. */
    private static final long RATE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final long maxBytes;
    private final Duration deadline;
    private final long minBytesPerSecond;

    /**
     * @param maxBytes          a larger body is refused with 413 as soon as it is larger
     * @param deadline          the whole body must be in within this time of the headers, or 408
     * @param minBytesPerSecond after two seconds, a body arriving slower than this is refused with 408
     */
    public BodyDeadlineHandler(long maxBytes, Duration deadline, long minBytesPerSecond) {
        this.maxBytes = maxBytes;
        this.deadline = deadline;
        this.minBytesPerSecond = minBytesPerSecond;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        if (!expectsBody(request.getHeaders())) {
            return next.handle(request, response, callback);
        }
        new BodyReader(next, request, response, callback).start();
        return true;
    }

    private static boolean expectsBody(HttpFields headers) {
        return headers.getLongField(HttpHeader.CONTENT_LENGTH) > 0 || headers.contains(HttpHeader.TRANSFER_ENCODING);
    }

    /** One request's body on its way in; the demand callback never blocks (it only copies references). */
    private final class BodyReader implements Invocable.Task {
        private final Handler next;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Deque<Content.Chunk> chunks = new ArrayDeque<>();
        private final long startedNanos = System.nanoTime();
        private long bytes;
        /** Set once: the body was dispatched, or the request refused. Guarded by this. */
        private boolean decided;
        private Scheduler.Task timer;

        BodyReader(Handler next, Request request, Response response, Callback callback) {
            this.next = next;
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void start() {
            timer = request.getComponents().getScheduler().schedule(this::expire, deadline.toMillis(), TimeUnit.MILLISECONDS);
            read(false);
        }

        @Override
        public void run() {
            read(true);
        }

        @Override
        public InvocationType getInvocationType() {
            return InvocationType.NON_BLOCKING;
        }

        private void read(boolean fromDemand) {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    if (decide()) {
                        Response.writeError(request, response, callback, chunk.getFailure());
                    }
                    return;
                }
                int status;
                synchronized (this) {
                    if (decided) {
                        chunk.release();
                        return;
                    }
                    chunks.add(chunk);
                    bytes += chunk.remaining();
                    status = bytes > maxBytes ? HttpStatus.PAYLOAD_TOO_LARGE_413
                            : chunk.isLast() ? HttpStatus.OK_200
                            : tooSlow() ? HttpStatus.REQUEST_TIMEOUT_408 : 0;
                }
                if (status == HttpStatus.OK_200) {
                    if (decide()) {
                        if (fromDemand) {
                            // the application blocks (PortOne, the database): not on this callback's thread
                            request.getContext().execute(this::dispatch);
                        } else {
                            dispatch();
                        }
                    }
                    return;
                }
                if (status != 0) {
                    refuse(status);
                    return;
                }
            }
        }

        private boolean tooSlow() {
            long elapsed = System.nanoTime() - startedNanos;
            return elapsed > RATE_GRACE_NANOS && bytes * 1_000_000_000L / elapsed < minBytesPerSecond;
        }

        private void expire() {
            refuse(HttpStatus.REQUEST_TIMEOUT_408);
        }

        private void refuse(int status) {
            if (decide()) {
                release();
                // the rest of the body will not be read: the connection closes after the answer
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
                Response.writeError(request, response, callback, status);
            }
        }

        /** True for the one caller that decides this request's fate. */
        private boolean decide() {
            synchronized (this) {
                if (decided) {
                    return false;
                }
                decided = true;
            }
            timer.cancel();
            return true;
        }

        private synchronized void release() {
            chunks.forEach(Content.Chunk::release);
            chunks.clear();
        }

        private synchronized Content.Chunk nextChunk() {
            return chunks.poll();
        }

        private void dispatch() {
            BufferedRequest buffered = new BufferedRequest();
            try {
                if (!next.handle(buffered, response, buffered)) {
                    Response.writeError(request, response, buffered, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable failure) {
                Response.writeError(request, response, buffered, failure);
            }
        }

        /** The request with its body already in hand; releases what the application did not read. */
        private final class BufferedRequest extends Request.Wrapper implements Callback {
            BufferedRequest() {
                super(request);
            }

            @Override
            public Content.Chunk read() {
                Content.Chunk chunk = nextChunk();
                return chunk != null ? chunk : super.read();
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }

            @Override
            public void succeeded() {
                release();
                callback.succeeded();
            }

            @Override
            public void failed(Throwable failure) {
                release();
                callback.failed(failure);
            }
        }
    }
}
