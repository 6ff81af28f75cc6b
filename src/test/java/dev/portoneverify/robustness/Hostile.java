package dev.portoneverify.robustness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.testsupport.FaultProxy.Recorded;
import dev.portoneverify.testsupport.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * What the Hostile*Test classes share: the server they attack, a way to send any bytes (RawHttp), the
 * attack texts, the broken bodies every JSON endpoint must refuse alike, and the checks that a refusal
 * is a clean JSON answer which changed no row and asked PortOne nothing. What each input deserves is
 * written in the test that sends it, never computed here.
 */
final class Hostile {
    static final String JSON = "application/json";
    static final String FORM = "application/x-www-form-urlencoded";
    static final int MAX_BODY = 64 * 1024;
    private static final String ADMIN_TOKEN = "hostile-input-test-admin-token-0123456789";
    private static final List<String> TABLES = List.of("users", "orders", "payments", "payment_history", "sms_outbox");
    private static final Map<String, String> KEYS = Map.of("users", "id", "orders", "merchant_uid", "payments", "imp_uid",
            "payment_history", "id", "sms_outbox", "id");
    /** What must never reach a client: stack frames, exception and package names. */
    private static final List<String> LEAK_MARKERS = List.of("Exception", "at dev.", "java.", "\tat ", "Caused by",
            "org.eclipse", "io.javalin", "com.fasterxml", "org.jdbi", "org.sqlite", "SQLITE_", "dev.portoneverify");

    // ---- attack texts, each at most 40 characters: plain text a name or id field may hold

    static final List<String> SQL = List.of(
            "'; DROP TABLE orders; --", "' OR '1'='1", "1; DELETE FROM users", "\" OR \"\"=\"", "admin'--",
            "1' UNION SELECT imp_uid FROM payments--", "%' AND 1=1 --", "'); PRAGMA writable_schema=1; --",
            "'; ATTACH DATABASE '/tmp/x.db' AS x; --", "1 OR 1=1", "order_%", "_", "%");
    static final List<String> SCRIPT = List.of(
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
            "javascript:alert(1)", "{{7*7}}", "${7*7}", "#{7*7}", "${jndi:ldap://127.0.0.1/a}", "<!--", "]]>");
    static final List<String> TRAVERSAL = List.of(
            "../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f", "....//", "/", ".", "..", "..;/",
            "%252e%252e%252f", "/payments/cancel", "?include_sandbox=true", "#", "imp_1/../../users/getToken");
    /** Unicode that renders oddly but is printable, well-formed text: stored as sent. */
    static final List<String> ODD_BUT_PLAIN = List.of(
            "\u200b", "\ufeff", "😀", "👨‍👩‍👧‍👦", "e\u0301", "ｆｕｌｌ", "\u00a0", "Ω", "한글", "\uffff", "𝕏", "ﷺ",
            "\ud83c\udff3\ufe0f\u200d\ud83c\udf08");
    /**
     * Control characters, separators and bidi marks (they forge or disguise log lines), and U+FFFD (what
     * a broken decoding leaves): refused.
     */
    static final List<String> UNSAFE = List.of(
            "\ufffd", "a\ufffdb", "\u202e", "\u202egnp.exe", "a\u200fb", "\u0000", "a\u0000b", "a\r\nb", "a\tb", "a\u2028b", "a\u2029b",
            "\u001b[31m", "\u0007", "\u007f", "\u0085", "a\u2066b", "a\u061cb");
    /** Only whitespace once stripped: refused as blank. */
    static final List<String> BLANK = List.of("", " ", "\t", "\r\n", "\u2028", "   \n  ");
    /** Lone surrogates, sent as JSON escapes (UTF-8 cannot carry them): refused, since they cannot be stored. */
    static final List<String> LONE_SURROGATES = List.of("\\ud800", "\\udfff", "a\\ud83d", "\\ude00b");
    /** JSON values of every type but string. */
    static final List<String> NOT_STRINGS = List.of(
            "15000", "-1", "0", "1.5e1", "true", "false", "[]", "[\"a\"]", "{}", "{\"value\":\"a\"}");
    /** JSON values of every type but number (null means absent, answered as missing). */
    static final List<String> NOT_NUMBERS = List.of(
            "\"15000\"", "\"1e400\"", "\"NaN\"", "\"\"", "\" \"", "\"15,000\"", "\"₩15000\"", "\"0x3A98\"", "true",
            "false", "[15000]", "{\"value\":15000}");
    /** Texts that are not JSON values at all, whatever field they sit in. */
    static final List<String> NOT_JSON = List.of(
            "NaN", "Infinity", "-Infinity", "undefined", "'single'", "01", "+1", ".5", "1.", "0x10", "tru", "nul",
            "\"unterminated", "1e", "--1", "[1,]", "{,}", "\"\\x41\"", "\"\\u12\"", "\"a\"\"b\"", "[", "}");
    /** Numbers beyond BigDecimal's int exponent: not JSON the server can read, even in an ignored field. */
    static final List<String> UNREADABLE_NUMBERS = List.of("1e2147483648", "1e-2147483649", "-1E+9999999999");
    /** Keys the server ignores, chosen to look like columns, prototypes or query operators. */
    static final List<String> EXTRA_KEYS = List.of(
            "", " ", "__proto__", "constructor", "prototype", "id", "$where", "a.b", "a[0]", "\u0000", "😀",
            "status", "imp_uid", "merchant_uid", "amount", "vbank_num", "is_admin", "created_at", "x".repeat(300));
    /** Values for the keys the server ignores: any type, long, or nested (well within Jackson's depth limit). */
    static final List<String> EXTRA_VALUES = List.of("\"1\"", "99", "true", "null", "{\"$gt\":\"\"}",
            "\"" + "x".repeat(2000) + "\"", "[".repeat(50) + "1" + "]".repeat(50),
            "{\"a\":".repeat(500) + "1" + "}".repeat(500));
    /** Byte sequences that are not UTF-8: overlong, surrogate, out of range, truncated, stray continuation. */
    static final List<String> INVALID_UTF8 = List.of(
            "c0af", "eda080", "edbfbf", "f888808080", "80", "ff", "fe", "e282", "f4908080", "c0", "e0808f",
            "f08282ac", "c1bf", "ed9fbf80");

    static List<String> notNumbers() {
        return NOT_NUMBERS;
    }

    static List<String> notStrings() {
        return NOT_STRINGS;
    }

    /**
     * Raw path segments (after {@code /users/} or {@code /orders/}) the HTTP layer refuses before any
     * handler runs, with the answer it gives: not percent-encoded, broken escapes, escapes of non-UTF-8,
     * characters a URL may not hold, dot segments climbing above the root, too long a URI; and the
     * segments that route nowhere.
     */
    static Stream<Arguments> unreadablePaths() {
        List<Arguments> cases = new ArrayList<>();
        Random random = new Random(20261124L);
        List<String> garbled = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] bytes = new byte[1 + random.nextInt(30)];
            random.nextBytes(bytes);
            // escapes of Latin-1 bytes, some with their first hex digits cut off: "%%98"
            garbled.add(percentEncode(new String(bytes, ISO_8859_1)).replace("%C2", "%").replace("%C3", "%"));
        }
        Stream.concat(Stream.of("../..", "..;/users/1", "..\\..\\", "%", "%zz", "%00", "%FF", "%C0%AE%C0%AE",
                        "%ED%A0%80", "%F4%90%80%80", "%U00e9", "é", "한글", "😀", "\u202e1", "1\u0000", "<script>", "\"",
                        "{x}", "|", "`", "^", "[1]"), garbled.stream())
                .forEach(raw -> cases.add(Arguments.of(raw, 400, "http_400")));
        for (String raw : List.of("%u0041", "1%u0031", "%uD83D%uDE00")) {
            cases.add(Arguments.of(raw, 400, "invalid_request"));
        }
        for (int n : new int[]{9_000, 20_000}) {
            cases.add(Arguments.of("9".repeat(n), 414, "http_414"));
            cases.add(Arguments.of("x".repeat(n), 414, "http_414"));
        }
        for (String raw : List.of("../users/1", "1//", "1/x")) {
            cases.add(Arguments.of(raw, 404, "not_found"));
        }
        return cases.stream();
    }

    /** The server these classes attack: one per class (a JUnit extension), the same settings for each. */
    static TestServer server() {
        // No background reconciliation calling PortOne mid-case; no 1 s PortOne timeout to trip on a busy
        // machine; no per-source limits (AmplificationTest covers them). Every request carries ADMIN_TOKEN,
        // as the shop's backend would, so input is judged on its content (PrivacyTest covers the tokens).
        return TestServer.live(Map.of("RECONCILE_INTERVAL_SECONDS", "0", "PORTONE_TIMEOUT_MS", "10000",
                "ADMIN_TOKEN", ADMIN_TOKEN, "LIMIT_UNKNOWN_REPORTS_PER_MINUTE", "0", "LIMIT_ORDERS_PER_MINUTE", "0",
                "LIMIT_HEALTH_PER_MINUTE", "0"));
    }

    /** One request, named for the test report. */
    record Attack(String name, String method, String target, String contentType, byte[] body, boolean chunked) {
        static Attack post(String name, String path, String contentType, byte[] body) {
            return new Attack(name, "POST", path, contentType, body, false);
        }

        static Attack json(String name, String path, String body) {
            return post(name, path, JSON, body.getBytes(UTF_8));
        }

        static Attack get(String name, String target) {
            return new Attack(name, "GET", target, null, null, false);
        }

        Attack inChunks() {
            return new Attack(name + ", chunked", method, target, contentType, body, true);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Every row of the five tables, in primary key order. */
    record Rows(Map<String, List<Map<String, Object>>> tables) {
        /** Rows of {@code table} that {@code before} did not have (every old row must be unchanged). */
        List<Map<String, Object>> addedTo(String table, Rows before) {
            List<Map<String, Object>> now = tables.get(table);
            assertTrue(now.containsAll(before.tables.get(table)), table + " rows changed: " + now);
            List<Map<String, Object>> added = new ArrayList<>(now);
            added.removeAll(before.tables.get(table));
            return added;
        }

        boolean sameExcept(Rows other, String table) {
            return TABLES.stream().filter(t -> !t.equals(table)).allMatch(t -> tables.get(t).equals(other.tables.get(t)));
        }
    }

    /** An answer, its JSON object (null when it is none), and what PortOne was asked meanwhile. */
    record Reply(RawHttp.Response response, JsonNode json, List<Recorded> portoneCalls, Rows before, Rows after) {
        int status() {
            return response.status();
        }

        String text(String field) {
            return json == null ? null : json.path(field).asText(null);
        }
    }

    private final TestServer server;
    private final ObjectMapper mapper = new ObjectMapper();

    Hostile(TestServer server) {
        this.server = server;
    }

    Rows rows() {
        return server.db().withHandle(h -> {
            Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
            for (String t : TABLES) {
                tables.put(t, h.createQuery("SELECT * FROM " + t + " ORDER BY " + KEYS.get(t)).mapToMap().list());
            }
            return new Rows(tables);
        });
    }

    /** Sends {@code attack} as raw bytes with the shop backend's token; the answer must leak no internals. */
    Reply send(Attack attack) {
        Rows before = rows();
        int seen = server.portone.requests().size();
        RawHttp.Response r = RawHttp.send(URI.create(server.url("/")).getPort(), attack.method(), attack.target(),
                attack.contentType(), attack.body(), attack.chunked(), "Bearer " + ADMIN_TOKEN);
        List<Recorded> all = server.portone.requests();
        Reply reply = new Reply(r, parseObject(r), List.copyOf(all.subList(seen, all.size())), before, rows());
        String sent = attack.target() + " " + (attack.body() == null ? "" : new String(attack.body(), UTF_8));
        for (String marker : LEAK_MARKERS) {
            assertFalse(r.body().contains(marker) && !sent.contains(marker),
                    attack + ": the answer leaks '" + marker + "': " + RawHttp.abbreviate(r.body()));
        }
        assertTrue(r.status() < 500, attack + ": a server error for client input: " + RawHttp.abbreviate(r.body()));
        assertTrue(reply.json() != null, attack + ": the answer is not a JSON object: " + RawHttp.abbreviate(r.body()));
        return reply;
    }

    /** Sends {@code attack}; it must be answered {@code status} {@code {"status": word, "message": ...}}, changing nothing. */
    Reply refused(Attack attack, int status, String word) {
        Reply reply = send(attack);
        assertEquals(status + " " + word, reply.status() + " " + reply.text("status"),
                attack + ": " + RawHttp.abbreviate(reply.response().body()));
        assertFalse(Objects.requireNonNullElse(reply.text("message"), "").isBlank(), attack + ": no message");
        unchanged(attack, reply);
        return reply;
    }

    /**
     * Sends {@code attack} to Confirm Process; it must be answered {@code status} {@code {"reason": ...}}
     * (the one field PortOne shows the buyer) starting with {@code reason}, changing nothing.
     */
    Reply refusedWithReason(Attack attack, int status, String reason) {
        Reply reply = send(attack);
        assertEquals(status, reply.status(), attack + ": " + RawHttp.abbreviate(reply.response().body()));
        assertTrue(Objects.requireNonNullElse(reply.text("reason"), "").startsWith(reason),
                attack + ": " + RawHttp.abbreviate(reply.response().body()));
        unchanged(attack, reply);
        return reply;
    }

    /** No row changed and PortOne was not asked. */
    static void unchanged(Attack attack, Reply reply) {
        assertEquals(reply.before(), reply.after(), attack + ": the database changed");
        assertEquals(List.of(), paths(reply.portoneCalls()), attack + ": PortOne was called");
    }

    static List<String> paths(List<Recorded> calls) {
        return calls.stream().map(x -> x.method() + " " + x.path()).toList();
    }

    private JsonNode parseObject(RawHttp.Response r) {
        if (!Objects.requireNonNullElse(r.header("Content-Type"), "").startsWith(JSON)) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(r.body());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    // ---- broken bodies, the same for every JSON endpoint

    /**
     * Bodies that are not one readable JSON object, built around {@code valid} (a body the endpoint
     * would take): truncated, with trailing garbage, another JSON type, not JSON, invalid UTF-8,
     * nested 10,000 deep, random bytes, numbers no BigDecimal holds. Every one deserves 400
     * invalid_request.
     */
    static List<Attack> brokenJson(String path, String valid) {
        List<Attack> attacks = new ArrayList<>();
        byte[] bytes = valid.getBytes(UTF_8);
        for (int cut : new int[]{1, bytes.length / 3, bytes.length / 2, bytes.length - 1}) {
            attacks.add(Attack.post("truncated to " + cut + " bytes", path, JSON, Arrays.copyOf(bytes, cut)));
        }
        for (String garbage : List.of(" garbage", "}", "]]]", "{}", ",", " // c", "\u0000")) {
            attacks.add(Attack.json("trailing " + RawHttp.abbreviate(garbage), path, valid + garbage));
        }
        for (String other : List.of("[]", "[" + valid + "]", "\"" + valid.replace("\"", "'") + "\"", "123", "null",
                "true", "   ", "\n", "[{}]")) {
            attacks.add(Attack.json("not an object: " + RawHttp.abbreviate(other), path, other));
        }
        attacks.add(Attack.json("empty body", path, ""));
        for (String notJson : NOT_JSON) {
            attacks.add(Attack.json("not JSON in an extra field: " + notJson, path, withExtra(valid, "x", notJson)));
        }
        for (String number : UNREADABLE_NUMBERS) {
            attacks.add(Attack.json("unreadable number in an extra field: " + number, path, withExtra(valid, "x", number)));
        }
        for (String hex : INVALID_UTF8) {
            byte[] invalid = HexFormat.of().parseHex(hex);
            String extra = withExtra(valid, "x", "\"a@b\"");
            int at = extra.indexOf('@');
            attacks.add(Attack.post("invalid UTF-8 " + hex + " in a string", path, JSON, concat(
                    extra.substring(0, at).getBytes(UTF_8), invalid, extra.substring(at + 1).getBytes(UTF_8))));
        }
        attacks.add(Attack.json("10,000 open arrays", path, "[".repeat(10_000)));
        attacks.add(Attack.json("objects nested 10,000 deep", path, "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000)));
        attacks.add(Attack.json("arrays nested 10,000 deep in an extra field", path,
                withExtra(valid, "x", "[".repeat(10_000) + "\"x\"" + "]".repeat(10_000))));
        Random random = new Random(20261124L);
        for (int n : new int[]{1, 100, 3000}) {
            byte[] noise = new byte[n];
            random.nextBytes(noise);
            noise[0] = (byte) '#';   // never by chance a digit, which would be a JSON number
            attacks.add(Attack.post(n + " random bytes", path, JSON, noise));
        }
        return attacks;
    }

    /**
     * {@code valid} sent with Content-Types that are not JSON: 415 unsupported_media_type, since a
     * foreign page can send these without a CORS preflight.
     */
    static List<Attack> notJsonTypes(String path, String valid) {
        List<Attack> attacks = new ArrayList<>();
        for (String type : List.of("text/plain", "application/xml", "application/octet-stream",
                "multipart/form-data; boundary=x", "*/*", "application/jsön", "text/html; charset=utf-8", "image/png")) {
            attacks.add(Attack.post("Content-Type " + type, path, type, valid.getBytes(UTF_8)));
        }
        attacks.add(Attack.post("no Content-Type", path, null, valid.getBytes(UTF_8)));
        return attacks;
    }

    /** Bodies over 64 KiB, with and without Content-Length: 413 body_too_large, whatever they hold. */
    static List<Attack> oversized(String path, String contentType, String valid) {
        List<Attack> attacks = new ArrayList<>();
        for (int size : new int[]{MAX_BODY + 1, 70_000, 300_000}) {
            Attack a = Attack.post(size + " bytes", path, contentType, padded(valid, size));
            attacks.add(a);
            attacks.add(a.inChunks());
        }
        byte[] noise = new byte[MAX_BODY + 1 + 4321];
        new Random(7).nextBytes(noise);
        attacks.add(Attack.post("oversized random bytes", path, contentType, noise));
        return attacks;
    }

    /** {@code valid} (a JSON object) with an ignored {@code "pad"} string making it exactly {@code size} bytes. */
    static byte[] padded(String valid, int size) {
        String open = valid.substring(0, valid.length() - 1) + ",\"pad\":\"";
        int fixed = open.getBytes(UTF_8).length + 2;
        byte[] body = (open + "x".repeat(Math.max(0, size - fixed)) + "\"}").getBytes(UTF_8);
        assertEquals(size, body.length, "padding arithmetic");
        return body;
    }

    /** The same JSON object, UTF-8 behind a byte order mark, and UTF-16: Jackson detects both. */
    static List<Attack> otherEncodings(String path, String valid) {
        byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
        return List.of(Attack.post("UTF-8 with a byte order mark", path, JSON, concat(bom, valid.getBytes(UTF_8))),
                Attack.post("UTF-16", path, JSON, valid.getBytes(UTF_16)));
    }

    /** {@code object} (a JSON object's text) with one more member. */
    static String withExtra(String object, String key, String rawValue) {
        String rest = object.substring(1);
        return "{" + quote(key) + ":" + rawValue + (rest.strip().equals("}") ? "" : ",") + rest;
    }

    /** A JSON string literal; control characters and non-ASCII go as {@code \\uXXXX}, pairs included. */
    static String quote(String s) {
        return quote(s, true);
    }

    /** A JSON string literal with non-ASCII text as raw UTF-8 (control characters still escaped). */
    static String rawQuote(String s) {
        return quote(s, false);
    }

    private static String quote(String s, boolean escapeNonAscii) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (escapeNonAscii && c > 0x7e)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Percent-encodes every byte of the UTF-8 form except RFC 3986's unreserved characters. */
    static String percentEncode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
