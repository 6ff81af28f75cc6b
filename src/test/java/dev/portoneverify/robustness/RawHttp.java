package dev.portoneverify.robustness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket, one connection per request, sending the request line, headers and
 * body bytes exactly as given. Unirest and the JDK client refuse or repair what hostile clients
 * send (invalid UTF-8 bodies, raw {@code ..} or {@code %00} in paths, lying headers), so the
 * robustness tests speak HTTP themselves.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 15_000;

    private RawHttp() {}

    /** One answer; {@code headers} is case-insensitive, {@code body} decoded as UTF-8 (de-chunked). */
    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /**
     * Sends {@code method target HTTP/1.1} with {@code Host}, {@code Connection: close}, the given
     * content type (none when null) and {@code Content-Length} (or, with {@code chunked}, the body in
     * 8 KiB chunks without a length).
     */
    static Response send(int port, String method, String target, String contentType, byte[] body, boolean chunked) {
        return send(port, method, target, contentType, body, chunked, null);
    }

    /** {@code authorization}: an {@code Authorization} header's value, or null for none. */
    static Response send(int port, String method, String target, String contentType, byte[] body, boolean chunked,
                         String authorization) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            StringBuilder head = new StringBuilder()
                    .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: localhost:").append(port).append("\r\n")
                    .append("Connection: close\r\n")
                    .append("Accept: */*\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (authorization != null) {
                head.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (body != null && chunked) {
                head.append("Transfer-Encoding: chunked\r\n");
            } else if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                // UTF-8, not ISO-8859-1: a target holding raw non-ASCII goes out as its UTF-8 bytes
                out.write(head.toString().getBytes(UTF_8));
                if (body != null) {
                    writeBody(out, body, chunked);
                }
                out.flush();
            } catch (SocketException refusedEarly) {
                // The server may answer (413) and close before reading a large body; read what it said.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + abbreviate(target) + " failed: " + e, e);
        }
    }

    private static void writeBody(OutputStream out, byte[] body, boolean chunked) throws IOException {
        if (!chunked) {
            out.write(body);
            return;
        }
        for (int from = 0; from < body.length; from += 8192) {
            int n = Math.min(8192, body.length - from);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
            out.write(body, from, n);
            out.write("\r\n".getBytes(ISO_8859_1));
        }
        out.write("0\r\n\r\n".getBytes(ISO_8859_1));
    }

    private static Response read(InputStream in) throws IOException {
        byte[] all = readAll(in);
        int end = indexOf(all, "\r\n\r\n".getBytes(ISO_8859_1), 0);
        if (end < 0) {
            throw new IOException("no complete HTTP answer, got " + all.length + " bytes: "
                    + abbreviate(new String(all, ISO_8859_1)));
        }
        String[] lines = new String(all, 0, end, ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
            body = dechunk(body);
        }
        return new Response(status, headers, new String(body, UTF_8));
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // A reset after the answer (the server closed with our unread body in its buffer) is fine.
            if (out.size() == 0) {
                throw reset;
            }
        }
        return out.toByteArray();
    }

    private static byte[] dechunk(byte[] chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < chunked.length) {
            int lineEnd = indexOf(chunked, "\r\n".getBytes(ISO_8859_1), at);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(chunked, at, lineEnd - at, ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeText, 16);
            if (size == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(size, chunked.length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…(" + s.length() + " chars)";
    }
}
