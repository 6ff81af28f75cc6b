package dev.portoneverify.testsupport;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portoneverify.web.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An HTTP/1.1 forwarder on a loopback port in front of a real server (here: the PortOne sandbox), that
 * records every request and, when told to, answers in its place the way a broken PortOne or network
 * would: a 5xx, HTML instead of JSON, a hang, a dropped connection, a 401, a refusal (HTTP 200 with a
 * non-zero {@code code}), latency, or the real answer with its {@code response} edited. It implements no
 * PortOne rule itself: whatever it forwards, the sandbox answers.
 *
 * <p>Faults are chosen per request: a {@linkplain #fault(String, String, Fault) route's} own first, then
 * {@link #failNext}, then the {@linkplain #fault(Fault) standing} one. {@link Fault#UNAUTHORIZED} only
 * applies to token-protected routes (all but {@code POST /users/getToken}). Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
    /** What PortOne answers instead of the real thing. */
    public enum Fault {
        /** HTTP 500 in the V1 envelope, code -1. */
        HTTP_500,
        /** HTTP 503 with an HTML page, as a load balancer in maintenance answers. */
        HTTP_503,
        /** HTTP 200 with an HTML page. */
        NOT_JSON,
        /** No answer until the proxy closes (at most a minute). */
        HANG,
        /** The request is read, then the connection is reset without an answer. */
        DROP,
        /** HTTP 401 in the V1 envelope: the token was revoked. Token-protected routes only. */
        UNAUTHORIZED,
        /** HTTP 200 with code 1, a PG failure, as PortOne reports refused cancels. */
        REFUSED,
        /** Forwarded (PortOne carries it out), then answered HTTP 500: the answer was lost on the way back. */
        LOST_ANSWER
    }

    /** Where a held request waits: before it is forwarded, or after PortOne carried it out and answered. */
    public enum Hold { BEFORE, AFTER }

    /** The message of a {@link Fault#REFUSED} answer. */
    public static final String PG_FAILURE = "결제취소에 실패하였습니다.(PG사 응답 오류)";

    /** One request as it arrived. {@code path} is as sent (still URL-encoded); {@code query} is null when absent. */
    public record Recorded(String method, String path, String query, Map<String, String> headers, String body) {}

    private record Route(String method, String path) {
        /** {@code path} ending in {@code *} matches every path starting with what precedes it. */
        boolean matches(String m, String p) {
            if (!method.equals(m)) {
                return false;
            }
            return path.endsWith("*") ? p.startsWith(path.substring(0, path.length() - 1)) : path.equals(p);
        }
    }

    private static final long HANG_LIMIT_SECONDS = 60;
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 1024 * 1024;
    /** Headers the forwarder sets itself, or that describe this hop only. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "upgrade",
            "http2-settings", "keep-alive", "transfer-encoding", "expect", "te");

    private final URI upstream;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = Json.newMapper();
    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);

    private final Object lock = new Object();
    // guarded by lock
    private Fault standing;
    private Fault next;
    private int nextCount;
    private final Map<Route, Fault> routeFaults = new java.util.LinkedHashMap<>();
    private final Map<Route, Consumer<ObjectNode>> rewrites = new java.util.LinkedHashMap<>();
    private String extraQuery;
    private long latencyMillis;
    private Route heldRoute;
    private Hold hold;
    private CountDownLatch held = new CountDownLatch(1);
    private CountDownLatch released = new CountDownLatch(1);

    private FaultProxy(URI upstream) {
        this.upstream = upstream;
        try {
            listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on a loopback port", e);
        }
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy on a free loopback port forwarding to {@code upstream} (scheme, host and port only). */
    public static FaultProxy to(URI upstream) {
        return new FaultProxy(upstream);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    // ---- programming it

    /** Answers every request with {@code fault} until {@code fault(null)} or {@link #clear()}. */
    public void fault(Fault fault) {
        synchronized (lock) {
            standing = fault;
        }
    }

    /**
     * Answers requests to one route with {@code fault} (null: forward again). {@code path} is compared with
     * the path as sent, without the query; a trailing {@code *} makes it a prefix.
     */
    public void fault(String method, String path, Fault fault) {
        synchronized (lock) {
            if (fault == null) {
                routeFaults.remove(new Route(method, path));
            } else {
                routeFaults.put(new Route(method, path), fault);
            }
        }
    }

    /** Answers the next {@code requests} requests that {@code fault} applies to with it, then forwards again. */
    public void failNext(int requests, Fault fault) {
        synchronized (lock) {
            next = fault;
            nextCount = requests;
        }
    }

    /** Waits this long before handling each request. */
    public void latencyMillis(long millis) {
        synchronized (lock) {
            latencyMillis = millis;
        }
    }

    /**
     * Forwards requests to the route, then hands the {@code response} object of a successful answer
     * (HTTP 200, code 0) to {@code edit} before passing it on: PortOne saying what the sandbox cannot be
     * made to say (a status it does not know, a missing field, a field of the wrong type). Null stops it.
     */
    public void rewrite(String method, String path, Consumer<ObjectNode> edit) {
        synchronized (lock) {
            if (edit == null) {
                rewrites.remove(new Route(method, path));
            } else {
                rewrites.put(new Route(method, path), edit);
            }
        }
    }

    /** Appends {@code parameter} (e.g. {@code include_sandbox=true}) to every forwarded query; null stops it. */
    public void appendQuery(String parameter) {
        synchronized (lock) {
            extraQuery = parameter;
        }
    }

    /**
     * Holds the next request to the route {@code when} says until {@link #release()} (or the proxy closes),
     * as a request is in flight when its caller dies. Held {@link Hold#BEFORE}, it is never forwarded and
     * its connection is dropped on release; held {@link Hold#AFTER}, PortOne carried it out and the answer
     * is written on release, if anyone still listens. Null stops holding.
     */
    public void hold(String method, String path, Hold when) {
        synchronized (lock) {
            heldRoute = when == null ? null : new Route(method, path);
            hold = when;
            held = new CountDownLatch(1);
            released = new CountDownLatch(1);
        }
    }

    /** True once a request is held, within {@code millis}. */
    public boolean awaitHeld(long millis) throws InterruptedException {
        CountDownLatch h;
        synchronized (lock) {
            h = held;
        }
        return h.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Lets the held request go on, and holds no more. */
    public void release() {
        synchronized (lock) {
            released.countDown();
            heldRoute = null;
            hold = null;
        }
    }

    /** Every fault, rewrite, appended query and latency off: a plain forwarder again. Recordings stay. */
    public void clear() {
        synchronized (lock) {
            standing = null;
            next = null;
            nextCount = 0;
            routeFaults.clear();
            rewrites.clear();
            extraQuery = null;
            latencyMillis = 0;
            released.countDown();
            heldRoute = null;
            hold = null;
        }
    }

    // ---- what it saw

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** Requests to exactly this method and path (as sent, without the query). */
    public long count(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    /** Releases hanging requests, closes every connection and stops listening. */
    @Override
    public void close() {
        closing.countDown();
        closeQuietly(listener);
        for (Socket s : open) {
            closeQuietly(s);
        }
    }

    // ---- serving

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                Thread t = new Thread(() -> serve(socket), "fault-proxy-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Keep-alive: requests on one connection are served in turn until the client closes it. */
    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                Request r = Request.read(in);
                if (r == null) {
                    return;
                }
                if (!handle(r, socket, out)) {
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the proxy closed
        } finally {
            open.remove(socket);
        }
    }

    /** False when the connection must end after this request. */
    private boolean handle(Request r, Socket socket, OutputStream out) throws IOException, InterruptedException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(r.headers());
        requests.add(new Recorded(r.method(), r.path(), r.query(), Collections.unmodifiableMap(headers),
                new String(r.body(), UTF_8)));
        long latency;
        Fault fault;
        Consumer<ObjectNode> edit;
        String query;
        Hold holding = null;
        CountDownLatch heldSignal = null;
        CountDownLatch releaseSignal = null;
        synchronized (lock) {
            if (heldRoute != null && heldRoute.matches(r.method(), r.path()) && held.getCount() > 0) {
                holding = hold;
                heldSignal = held;
                releaseSignal = released;
            }
            latency = latencyMillis;
            fault = takeFault(r.method(), r.path());
            edit = findRewrite(r.method(), r.path());
            query = extraQuery == null ? r.query() : r.query() == null ? extraQuery : r.query() + "&" + extraQuery;
        }
        if (latency > 0) {
            Thread.sleep(latency);
        }
        if (holding == Hold.BEFORE) {
            heldSignal.countDown();
            awaitRelease(releaseSignal);
            socket.setSoLinger(true, 0);   // never forwarded: the caller is gone, PortOne saw nothing
            return false;
        }
        if (holding == Hold.AFTER) {
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            forward(r, query, edit, answer);
            heldSignal.countDown();
            awaitRelease(releaseSignal);
            out.write(answer.toByteArray());
            out.flush();
            return true;
        }
        if (fault != null) {
            switch (fault) {
                case HTTP_500 -> write(out, 500, "application/json; charset=utf-8", envelope(-1, "Internal Server Error"));
                case HTTP_503 -> write(out, 503, "text/html; charset=utf-8",
                        "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>".getBytes(UTF_8));
                case NOT_JSON -> write(out, 200, "text/html; charset=utf-8",
                        "<html><body>서비스 점검 중입니다</body></html>".getBytes(UTF_8));
                case UNAUTHORIZED -> write(out, 401, "application/json; charset=utf-8", envelope(-1, "Unauthorized"));
                case REFUSED -> write(out, 200, "application/json; charset=utf-8", envelope(1, PG_FAILURE));
                case HANG -> {
                    closing.await(HANG_LIMIT_SECONDS, TimeUnit.SECONDS);
                    return false;
                }
                case LOST_ANSWER -> {
                    forward(r, query, edit, new ByteArrayOutputStream());
                    write(out, 500, "application/json; charset=utf-8", envelope(-1, "Internal Server Error"));
                }
                case DROP -> {
                    socket.setSoLinger(true, 0);   // close with RST, not FIN
                    return false;
                }
            }
            return true;
        }
        forward(r, query, edit, out);
        return true;
    }

    private void awaitRelease(CountDownLatch release) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_LIMIT_SECONDS);
        while (!release.await(50, TimeUnit.MILLISECONDS) && closing.getCount() > 0 && System.nanoTime() < deadline) {
            // waiting for the test to let it go
        }
    }

    private Fault takeFault(String method, String path) {
        boolean needsToken = !(method.equals("POST") && path.equals("/users/getToken"));
        for (Map.Entry<Route, Fault> e : routeFaults.entrySet()) {
            if (e.getKey().matches(method, path) && applies(e.getValue(), needsToken)) {
                return e.getValue();
            }
        }
        if (nextCount > 0 && applies(next, needsToken)) {
            nextCount--;
            return next;
        }
        return applies(standing, needsToken) ? standing : null;
    }

    private static boolean applies(Fault f, boolean needsToken) {
        return f != null && (f != Fault.UNAUTHORIZED || needsToken);
    }

    private Consumer<ObjectNode> findRewrite(String method, String path) {
        for (Map.Entry<Route, Consumer<ObjectNode>> e : rewrites.entrySet()) {
            if (e.getKey().matches(method, path)) {
                return e.getValue();
            }
        }
        return null;
    }

    private void forward(Request r, String query, Consumer<ObjectNode> edit, OutputStream out)
            throws IOException, InterruptedException {
        URI target = URI.create(upstream.getScheme() + "://" + upstream.getAuthority() + r.path()
                + (query == null ? "" : "?" + query));
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()));
        r.headers().forEach((name, value) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                b.header(name, value);
            }
        });
        HttpResponse<byte[]> answer = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = answer.body();
        if (edit != null && answer.statusCode() == 200) {
            body = edited(body, edit);
        }
        write(out, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse(null), body);
    }

    private byte[] edited(byte[] body, Consumer<ObjectNode> edit) throws IOException {
        JsonNode envelope = json.readTree(body);
        if (envelope instanceof ObjectNode o && o.path("code").asInt(-1) == 0 && o.get("response") instanceof ObjectNode response) {
            edit.accept(response);
            return json.writeValueAsBytes(o);
        }
        return body;
    }

    private byte[] envelope(int code, String message) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("response", null);
        try {
            return json.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void write(OutputStream out, int status, String contentType, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is all we want
        }
    }

    /** One HTTP/1.1 request with a Content-Length body (what the JDK client sends); null at end of stream. */
    private record Request(String method, String path, String query, Map<String, String> headers, byte[] body) {
        static Request read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int last4 = 0;
            while (last4 != 0x0D0A0D0A) {   // the blank line after the headers
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                if (head.size() > MAX_HEAD) {
                    throw new IOException("request head too long");
                }
                last4 = (last4 << 8) | b;
            }
            String[] lines = head.toString(ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            if (requestLine.length != 3) {
                throw new IOException("not an HTTP request line: " + lines[0]);
            }
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
                }
            }
            int length = 0;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                if (h.getKey().equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(h.getValue());
                } else if (h.getKey().equalsIgnoreCase("Transfer-Encoding")) {
                    throw new IOException("chunked request bodies are not supported by this test proxy");
                }
            }
            if (length < 0 || length > MAX_BODY) {
                throw new IOException("request body of " + length + " bytes");
            }
            byte[] body = in.readNBytes(length);
            String target = requestLine[1];
            int q = target.indexOf('?');
            return new Request(requestLine[0], q < 0 ? target : target.substring(0, q),
                    q < 0 ? null : target.substring(q + 1), headers, body);
        }
    }

    @Override
    public String toString() {
        return "FaultProxy[" + url() + " -> " + upstream + "]";
    }

    /** The recorded requests' paths, for assertion messages. */
    public List<String> paths() {
        List<String> paths = new ArrayList<>();
        requests.forEach(r -> paths.add(r.method() + " " + r.path()));
        return paths;
    }
}
