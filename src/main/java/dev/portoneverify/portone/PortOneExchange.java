package dev.portoneverify.portone;

import dev.portoneverify.concurrent.Futures;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One exchange with PortOne, V1 or V2, as both clients make it: sent asynchronously, the answer read up
 * to {@code maxAnswerBytes}, and the whole exchange (headers and body) within {@code timeout}. The
 * request's own timeout ends when the headers arrive, and a body trickled a byte a second would hold
 * the caller for minutes (issue 15). A failure comes out as the PortOneException that names it.
 */
public final class PortOneExchange {
    private PortOneExchange() {}

    public static CompletableFuture<HttpResponse<String>> send(HttpClient http, HttpRequest request, int maxAnswerBytes,
                                                               Duration timeout, String call) {
        CompletableFuture<HttpResponse<String>> pending;
        try {
            pending = http.sendAsync(request, BoundedBody.handler(maxAnswerBytes));
        } catch (RuntimeException e) {
            // a client already shut down, or a request it refuses
            return CompletableFuture.failedFuture(new PortOneUnavailableException("PortOne " + call + " failed: " + e, 0, e));
        }
        CompletableFuture<HttpResponse<String>> timed = pending.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        timed.whenComplete((response, failure) -> {
            if (failure instanceof TimeoutException) {
                // aborts the exchange and frees the connection
                pending.cancel(true);
            }
        });
        return timed.handle((response, failure) -> {
            if (failure != null) {
                throw failed(call, Futures.unwrap(failure), timeout);
            }
            return response;
        });
    }

    private static PortOneException failed(String call, Throwable cause, Duration timeout) {
        if (cause instanceof TimeoutException) {
            return new PortOneTimeoutException("PortOne " + call + " gave no complete answer within "
                    + timeout.toMillis() + " ms", cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new PortOneTimeoutException("PortOne " + call + " timed out connecting", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new PortOneTimeoutException("PortOne " + call + " gave no answer within " + timeout.toMillis() + " ms", cause);
        }
        if (cause instanceof BoundedBody.TooLargeException) {
            return new PortOneBadResponseException("PortOne " + call + " sent an " + cause.getMessage(), 0);
        }
        return new PortOneUnavailableException("PortOne " + call + " failed: " + cause, 0, cause);
    }

    /** The one word for how an exchange ended ("ok", "timeout", ...), as metrics and /health name it. */
    public static String result(Throwable failure) {
        Throwable cause = failure == null ? null : Futures.unwrap(failure);
        return cause == null ? "ok"
                : cause instanceof PortOneTimeoutException ? "timeout"
                : cause instanceof PortOneUnavailableException ? "unavailable"
                : cause instanceof PortOneAuthException ? "unauthorized"
                : cause instanceof PortOneNotFoundException ? "not_found"
                : cause instanceof PortOneBadResponseException ? "bad_response"
                : "error";
    }
}
