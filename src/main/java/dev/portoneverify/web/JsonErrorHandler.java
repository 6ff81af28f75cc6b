package dev.portoneverify.web;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Requests that Jetty refuses before they reach the app (an undecodable URL, a URI too long)
 * get the same {@code {status, message}} JSON as every other error, instead of Jetty's HTML page.
 */
public final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status));
    }

    /** A fixed text: the reason Jetty gives may quote the request. */
    private static byte[] body(int code) {
        String status = switch (code) {
            case 408 -> "request_timeout";
            case 413 -> "body_too_large";
            default -> "http_" + code;
        };
        String message = switch (code) {
            case 400 -> "malformed request";
            case 408 -> "the request body did not arrive in time";
            case 413 -> "the request body is too large";
            case 414 -> "URI too long";
            case 431 -> "request headers too large";
            default -> "request refused";
        };
        return ("{\"status\":\"" + status + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
