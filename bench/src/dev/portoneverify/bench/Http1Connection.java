package dev.portoneverify.bench;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Locale;

/**
 * HTTP/1.1 with keep-alive over one blocking socket, and nothing else: a few microseconds of CPU
 * per request, so that the load generator costs far less than the server it measures (the JDK
 * HttpClient spends tens of microseconds and funnels every connection through one selector thread).
 *
 * <p>Not thread-safe: one per client thread. After an {@link IOException} the connection is closed
 * and the next request opens a new one.
 */
final class Http1Connection implements AutoCloseable {
    private final int port;
    private final int timeoutMillis;
    private final byte[] hostHeader;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** {@code body} is the raw answer, decoded by nobody until someone needs it. */
    record Response(int status, byte[] body) {
        boolean bodyContains(byte[] needle) {
            outer:
            for (int i = 0; i + needle.length <= body.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (body[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        }

        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    Http1Connection(int port, int timeoutMillis) {
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.hostHeader = ("Host: 127.0.0.1:" + port + "\r\n").getBytes(ISO_8859_1);
    }

    /** Opens the connection now, so that connecting is not counted in the first request's latency. */
    void connect() throws IOException {
        if (socket != null) {
            return;
        }
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(timeoutMillis);
        s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(s.getOutputStream(), 4 * 1024);
    }

    Response get(String target) throws IOException {
        return send("GET", target, null);
    }

    Response postJson(String target, byte[] json) throws IOException {
        return send("POST", target, json);
    }

    Response send(String method, String target, byte[] json) throws IOException {
        return send(method, target, json, null);
    }

    /** {@code authorization}: the value of an {@code Authorization} header, or null for none. */
    Response send(String method, String target, byte[] json, String authorization) throws IOException {
        connect();
        try {
            out.write((method + " " + target + " HTTP/1.1\r\n").getBytes(ISO_8859_1));
            out.write(hostHeader);
            if (authorization != null) {
                out.write(("Authorization: " + authorization + "\r\n").getBytes(ISO_8859_1));
            }
            if (json != null) {
                out.write(("Content-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n")
                        .getBytes(ISO_8859_1));
                out.write(json);
            } else {
                out.write('\r');
                out.write('\n');
            }
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private Response read() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closeAfter = statusLine.startsWith("HTTP/1.0");
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closeAfter = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        byte[] body;
        if (chunked) {
            body = chunkedBody();
        } else if (length >= 0) {
            body = in.readNBytes((int) length);
            if (body.length != length) {
                throw new EOFException("answer ended after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readAllBytes();
            closeAfter = true;
        }
        if (closeAfter) {
            close();
        }
        return new Response(status, body);
    }

    private byte[] chunkedBody() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length != n) {
                throw new EOFException("chunk ended early");
            }
            body.write(chunk);
            line();
        }
    }

    private String line() throws IOException {
        StringBuilder s = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int end = s.length();
                if (end > 0 && s.charAt(end - 1) == '\r') {
                    s.setLength(end - 1);
                }
                return s.toString();
            }
            s.append((char) b);
        }
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            socket = null;
            in = null;
            out = null;
        }
    }
}
