package dev.portoneverify.robustness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.robustness.Hostile.Kind;
import dev.portoneverify.robustness.Hostile.Value;
import dev.portoneverify.testsupport.FakePortOne.Recorded;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.sms.Phones;
import dev.portoneverify.text.LogSafe;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Generated adversarial requests against every endpoint, over real HTTP, each one checked for: a 4xx
 * (a 2xx only for input that is really valid, never a 5xx), a {@code {status, message}} JSON answer
 * without stack traces or class names, no change to the database unless the input was valid, and no
 * call to PortOne unless the input carries a usable {@code imp_uid}.
 *
 * <p>The seed is fixed and printed; {@code -Drobustness.seed=N -Drobustness.cases=M} replays or widens
 * the search. Each bug these cases found has a reproducer at the end of this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
    private static final long SEED = Long.getLong("robustness.seed", 20261124L);
    private static final int CASES = Integer.getInteger("robustness.cases", 250);
    private static final int MAX_BODY = 64 * 1024;
    private static final List<String> TABLES = List.of("users", "orders", "payments", "payment_history", "sms_outbox");
    private static final Map<String, String> KEYS = Map.of("users", "id", "orders", "merchant_uid", "payments", "imp_uid",
            "payment_history", "id", "sms_outbox", "id");
    private static final List<String> PAYMENT_SIDE_TABLES = List.of("users", "orders", "payments", "sms_outbox");
    /** What must never reach a client: stack frames, exception and package names. */
    private static final List<String> LEAK_MARKERS = List.of("Exception", "at dev.", "java.", "\tat ", "Caused by",
            "org.eclipse", "io.javalin", "com.fasterxml", "org.jdbi", "org.sqlite", "SQLITE_", "dev.portoneverify");
    private static final List<String> CANONICAL_PHONES = List.of(
            "010-1234-5678", "01012345678", "+82 10 1234 5678", "02-123-4567", "010 9876 5432");
    private static final Set<String> KNOWN_CURRENCIES = Set.of("KRW", "USD", "JPY", "EUR");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("100000000000");
    private static final Pattern CANONICAL_ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Pattern NUMBERISH = Pattern.compile("\\s*[+-]?\\p{Nd}+\\s*");
    private static final String JSON = "application/json";
    private static final String ADMIN_TOKEN = "hostile-input-test-admin-token-0123456789";
    private static final String JSON_UTF8 = "application/json; charset=utf-8";
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final List<String> ODD_CONTENT_TYPES = List.of(
            "text/plain", "application/xml", "application/octet-stream", "multipart/form-data; boundary=x", "*/*",
            "application/json; charset=utf-16", "application/json; charset=klingon", "APPLICATION/JSON",
            "application/jsön", "text/html; charset=utf-8", "application/json;;;", "image/png");

    private final ObjectMapper mapper = new ObjectMapper();
    private TestServer server;
    private int port;
    /** One connection for every snapshot: opening a SQLite connection per query would dominate the run time. */
    private Database database;
    private Handle db;
    private Snapshot lastSnapshot;
    private String lastVersion;
    private final List<String> seededOrders = new ArrayList<>();

    enum Expect { ACCEPT, REJECT, EITHER, TOO_LARGE }

    /**
     * One request and what it deserves. {@code fields} holds the values sent when they are known exactly
     * (null for broken or ambiguous bodies); {@code path} the decoded path parameter of a GET.
     */
    record Case(String kind, String method, String target, String contentType, byte[] body, boolean chunked,
                Expect expect, Map<String, Value> fields, String path) {
        String describe() {
            String preview = body == null ? "" : " body(" + body.length + " bytes)="
                    + RawHttp.abbreviate(new String(body, 0, Math.min(body.length, 400), UTF_8));
            return "[" + kind + ", expect " + expect + "] " + method + " " + RawHttp.abbreviate(target)
                    + (contentType == null ? "" : " (" + contentType + ")") + (chunked ? " chunked" : "") + preview;
        }

        String requestText() {
            String text = body == null ? "" : new String(body, ISO_8859_1) + new String(body, UTF_8);
            return target + "\n" + contentType + "\n" + text;
        }
    }


    @BeforeAll
    void start() {
        System.out.println("HostileInputTest seed=" + SEED + ", " + CASES + " generated cases per endpoint"
                + " (replay with -Drobustness.seed=" + SEED + ")");
        // no background reconciliation calling PortOne mid-case; no 1 s PortOne timeout to trip on a busy machine
        // The per-source limits are off: these thousands of requests all come from one address, and
        // AmplificationTest covers the limits. Every request carries ADMIN_TOKEN, as the shop's backend
        // would, so that buyers and orders are judged on their content (PrivacyTest covers the tokens).
        server = TestServer.start(Map.of("RECONCILE_INTERVAL_SECONDS", "0", "PORTONE_TIMEOUT_MS", "10000",
                "ADMIN_TOKEN", ADMIN_TOKEN, "LIMIT_UNKNOWN_REPORTS_PER_MINUTE", "0", "LIMIT_ORDERS_PER_MINUTE", "0",
                "LIMIT_HEALTH_PER_MINUTE", "0"));
        port = URI.create(server.url("/")).getPort();
        // its own connection, held for the whole class: server.db() lends one connection per thread at a time
        database = Database.open(server.database());
        db = database.jdbi().open();
        for (int i = 1; i <= 3; i++) {
            long id = server.createUser("기존 고객 " + i, "010-5555-000" + i);
            seededOrders.add(server.createOrder(id, Map.of("user_id", id, "name", "기존 주문 " + i, "amount", 15000 * i)));
        }
    }

    @AfterAll
    void stop() {
        if (db != null) {
            db.close();
            database.close();
        }
        if (server != null) {
            server.close();
        }
    }

    // ---------------------------------------------------------------- the suites

    @Test
    void post_users_answers_every_hostile_body_with_a_4xx_and_stores_only_valid_users() {
        Hostile h = new Hostile(SEED ^ 1);
        List<FieldSpec> spec = List.of(
                new FieldSpec("name", true, false, () -> h.string(validName(h))),
                new FieldSpec("phone", true, false, () -> h.string(h.pick(CANONICAL_PHONES))));
        List<Case> cases = jsonCases(h, "/users", spec, this::judgeUser);
        run("POST /users", cases, new UserCreation());
    }

    @Test
    void get_user_answers_every_hostile_id_with_a_4xx_and_changes_nothing() {
        Hostile h = new Hostile(SEED ^ 2);
        run("GET /users/{id}", pathCases(h, "/users/", this::userSegment, this::judgeUserIdPath), new ReadOnly("id"));
    }

    @Test
    void post_orders_answers_every_hostile_body_with_a_4xx_and_stores_only_valid_orders() {
        Hostile h = new Hostile(SEED ^ 3);
        List<Long> users = userIds();
        List<FieldSpec> spec = List.of(
                new FieldSpec("user_id", true, true, () -> Hostile.number(Long.toString(h.pick(users)))),
                new FieldSpec("name", true, false, () -> h.string(validName(h))),
                new FieldSpec("amount", true, true, () -> Hostile.number(Long.toString(h.between(1, 2_000_000)))),
                new FieldSpec("currency", false, false, () -> h.string(h.pick(List.of("KRW", "krw", " KRW ")))));
        List<Case> cases = jsonCases(h, "/orders", spec, fields -> judgeOrder(fields, Set.copyOf(users)));
        run("POST /orders", cases, new OrderCreation());
    }

    @Test
    void get_order_answers_every_hostile_merchant_uid_with_a_4xx_and_changes_nothing() {
        Hostile h = new Hostile(SEED ^ 4);
        run("GET /orders/{merchant_uid}", pathCases(h, "/orders/", this::orderSegment, this::judgeMerchantUidPath),
                new ReadOnly("merchant_uid"));
    }

    @Test
    void payments_complete_answers_every_hostile_body_with_a_4xx_and_asks_portone_only_with_an_imp_uid() {
        Hostile h = new Hostile(SEED ^ 5);
        List<FieldSpec> spec = List.of(
                new FieldSpec("imp_uid", true, false, () -> h.string(validImpUid(h))),
                new FieldSpec("merchant_uid", true, false, () -> h.string(h.chance(0.5) ? h.pick(seededOrders)
                        : "order_" + Long.toHexString(h.random().nextLong()))));
        List<Case> cases = jsonCases(h, "/payments/complete", spec,
                fields -> worst(judgeIdText(fields.get("imp_uid")), judgeIdText(fields.get("merchant_uid"))));
        run("POST /payments/complete", cases, new PaymentReport("browser", 404));
    }

    @Test
    void json_webhook_answers_every_hostile_body_without_5xx_and_asks_portone_only_with_an_imp_uid() {
        Hostile h = new Hostile(SEED ^ 6);
        List<FieldSpec> spec = List.of(
                new FieldSpec("imp_uid", true, false, () -> h.string(validImpUid(h))),
                new FieldSpec("merchant_uid", false, false, () -> h.string(h.pick(seededOrders))),
                new FieldSpec("status", false, false, () -> h.string(h.pick(List.of("paid", "ready", "failed", "cancelled")))));
        // merchant_uid and status are hints the server ignores: only imp_uid decides
        List<Case> cases = jsonCases(h, "/portone-webhook", spec, fields -> judgeIdText(fields.get("imp_uid")));
        run("POST /portone-webhook (JSON)", cases, new PaymentReport("webhook", 200));
    }

    @Test
    void form_webhook_answers_every_hostile_body_without_5xx_and_asks_portone_only_with_an_imp_uid() {
        Hostile h = new Hostile(SEED ^ 7);
        run("POST /portone-webhook (form)", formCases(h), new PaymentReport("webhook", 200));
    }

    @Test
    void payments_confirm_answers_every_hostile_body_without_5xx_and_confirms_only_an_exact_payable_order() {
        Hostile h = new Hostile(SEED ^ 8);
        List<FieldSpec> spec = List.of(
                new FieldSpec("imp_uid", true, false, () -> h.string(validImpUid(h))),
                new FieldSpec("merchant_uid", true, false, () -> h.string(h.chance(0.5) ? seededOrders.get(0)
                        : "order_" + Long.toHexString(h.random().nextLong()))),
                // the first seeded order's amount, so that a valid body for it is confirmable
                new FieldSpec("amount", true, true, () -> h.chance(0.8) ? Hostile.number("15000") : h.string("15000")),
                new FieldSpec("currency", false, false, () -> h.string(h.pick(List.of("KRW", "krw")))));
        List<Case> cases = jsonCases(h, "/payments/confirm", spec, fields -> worst(
                worst(judgeIdText(fields.get("imp_uid")), judgeIdText(fields.get("merchant_uid"))),
                worst(judgeConfirmAmount(fields.get("amount")), judgeConfirmCurrency(fields.get("currency")))));
        run("POST /payments/confirm", cases, new ConfirmCall());
    }

    @Test
    void no_hostile_request_ever_made_the_server_refund_through_portone() {
        // runs after or between the suites: whatever order JUnit picks, no suite may have caused a cancel
        assertEquals(List.of(), server.portone.cancels());
    }

    // ---------------------------------------------------------------- JSON body generation

    /** One field of an endpoint's JSON body: its name, whether it is required, its type, and a valid value. */
    record FieldSpec(String name, boolean required, boolean numeric, Supplier<Value> valid) {}

    private List<Case> jsonCases(Hostile h, String path, List<FieldSpec> spec, Function<Map<String, Value>, Expect> judge) {
        List<Case> cases = new ArrayList<>();
        Set<String> names = spec.stream().map(FieldSpec::name).collect(Collectors.toSet());
        List<String> extraKeys = Hostile.EXTRA_KEYS.stream().filter(k -> !names.contains(k)).toList();
        for (int i = 0; i < CASES; i++) {
            Map<String, Value> fields = new LinkedHashMap<>();
            for (FieldSpec f : spec) {
                if (f.required() || h.chance(0.5)) {
                    fields.put(f.name(), f.valid().get());
                }
            }
            FieldSpec target = h.pick(spec);
            List<String> extras = new ArrayList<>();
            String kind;
            String contentType = h.chance(0.9) ? JSON : JSON_UTF8;
            int roll = h.random().nextInt(100);
            if (roll < 12) {
                kind = "valid";
            } else if (roll < 26) {
                kind = "wrong type for " + target.name();
                fields.put(target.name(), target.numeric() ? h.notANumber() : h.notAString());
            } else if (roll < 44) {
                kind = "hostile values";
                for (FieldSpec f : spec) {
                    if (f == target || h.chance(0.4)) {
                        fields.put(f.name(), f.numeric() && h.chance(0.6) ? h.anyNumber() : h.anyValue());
                    }
                }
            } else if (roll < 52) {
                kind = "missing fields";
                fields.remove(target.name());
                fields.keySet().removeIf(k -> h.chance(0.3));
            } else if (roll < 60) {
                kind = "extra fields";
                for (int n = h.between(1, 3); n > 0; n--) {
                    Value v = switch (h.random().nextInt(6)) {
                        case 0 -> h.string(h.longString().substring(0, h.between(100, 2000)));
                        case 1 -> h.deep(h.between(50, 500));
                        case 2 -> h.deep(10_000);
                        default -> h.anyValue();
                    };
                    extras.add(Hostile.quote(h.pick(extraKeys), false) + ":" + v.json());
                    if (v.kind() == Kind.NOT_JSON || v.doubtful()) {
                        fields.put("\u0000extra" + n, v); // judged below, never sent as a field
                    }
                }
            } else if (roll < 63) {
                kind = "duplicate key " + target.name();
                extras.add(Hostile.quote(target.name(), false) + ":" + h.anyValue().json());
            } else if (roll < 70) {
                kind = "long string in " + target.name();
                fields.put(target.name(), h.string(h.longString()));
            } else if (roll < 76) {
                kind = "truncated";
                byte[] whole = jsonBytes(fields, extras, h);
                byte[] cut = Arrays.copyOf(whole, h.between(0, whole.length - 1));
                cases.add(new Case(kind, "POST", path, contentType, cut, false, Expect.REJECT, null, null));
                continue;
            } else if (roll < 80) {
                kind = "random bytes";
                cases.add(new Case(kind, "POST", path, h.chance(0.5) ? JSON : h.pick(ODD_CONTENT_TYPES),
                        h.randomBytes(h.between(1, 3000)), h.chance(0.2), Expect.REJECT, null, null));
                continue;
            } else if (roll < 84) {
                kind = "invalid UTF-8 in a string";
                cases.add(new Case(kind, "POST", path, contentType, withInvalidUtf8(jsonBytes(fields, extras, h), h), false,
                        Expect.EITHER, null, null));
                continue;
            } else if (roll < 87) {
                kind = "deep nesting";
                String body = switch (h.random().nextInt(3)) {
                    case 0 -> "[".repeat(10_000);
                    case 1 -> "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
                    default -> null;
                };
                if (body != null) {
                    cases.add(raw(kind, path, contentType, body.getBytes(UTF_8), Expect.REJECT));
                    continue;
                }
                fields.put(target.name(), h.deep(10_000));
            } else if (roll < 92) {
                kind = "not an object";
                String valid = new String(jsonBytes(fields, extras, h), UTF_8);
                Expect inner = judge.apply(fields);
                byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
                String garbage = h.pick(List.of(" garbage", "}", "]]]", "{}", ",", " // c", "\u0000"));
                String notObject = h.pick(List.of("[]", "[" + valid + "]", "\"" + valid.replace("\"", "'") + "\"", "123",
                        "null", "true", "", "   ", "\n", "{}", "[{}]", "{\"\":\"\"}"));
                switch (h.random().nextInt(12)) {
                    case 0 -> cases.add(raw(kind + ": BOM first", path, JSON, concat(bom, valid.getBytes(UTF_8)), downgrade(inner)));
                    case 1 -> cases.add(raw(kind + ": UTF-16", path, JSON, valid.getBytes(UTF_16), downgrade(inner)));
                    // trailing garbage makes the document invalid JSON
                    case 2 -> cases.add(raw(kind + ": trailing garbage", path, JSON, (valid + garbage).getBytes(UTF_8),
                            Expect.REJECT));
                    default -> cases.add(raw(kind, path, JSON, notObject.getBytes(UTF_8), Expect.REJECT));
                }
                continue;
            } else {
                kind = "odd content type";
                contentType = h.pick(ODD_CONTENT_TYPES);
            }
            Case c = jsonCase(kind, path, contentType, fields, extras, judge, h);
            // lenient about a missing or odd Content-Type, or strict: both are fine
            if (!contentType.equals(JSON) && !contentType.equals(JSON_UTF8) && c.expect() == Expect.ACCEPT) {
                c = new Case(c.kind(), c.method(), c.target(), c.contentType(), c.body(), c.chunked(), Expect.EITHER,
                        c.fields(), c.path());
            }
            cases.add(c);
        }
        cases.addAll(oversized(h, path, JSON, spec));
        return cases;
    }

    private Case jsonCase(String kind, String path, String contentType, Map<String, Value> fields, List<String> extras,
                          Function<Map<String, Value>, Expect> judge, Hostile h) {
        byte[] body = jsonBytes(fields, extras, h);
        Expect expect = judge.apply(fields);
        for (Value v : fields.values()) {
            if (v.kind() == Kind.NOT_JSON) {
                expect = Expect.REJECT;
            } else if (v.doubtful()) {
                expect = downgrade(expect);
            }
        }
        if (kind.startsWith("duplicate key")) {
            expect = downgrade(expect);
        }
        if (body.length > MAX_BODY) {
            expect = Expect.TOO_LARGE;
        }
        boolean exact = !kind.startsWith("duplicate key");
        return new Case(kind, "POST", path, contentType, body, h.chance(0.05), expect, exact ? fields : null, null);
    }

    /** Serializes the real fields (not the judged-only extras) and the raw extras in a shuffled order. */
    private static byte[] jsonBytes(Map<String, Value> fields, List<String> extras, Hostile h) {
        List<String> entries = new ArrayList<>();
        fields.forEach((k, v) -> {
            if (!k.startsWith("\u0000extra")) {
                entries.add(Hostile.quote(k, false) + ":" + v.json());
            }
        });
        entries.addAll(extras);
        Collections.shuffle(entries, h.random());
        String space = h.chance(0.2) ? h.pick(List.of(" ", "\n", "\t", "\r\n  ")) : "";
        return ("{" + space + String.join("," + space, entries) + space + "}").getBytes(UTF_8);
    }

    private static byte[] withInvalidUtf8(byte[] body, Hostile h) {
        int quote = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '"') {
                quote = i;
                if (h.chance(0.5)) {
                    break;
                }
            }
        }
        int at = quote < 0 ? h.between(0, body.length) : quote + 1;
        return concat(Arrays.copyOf(body, at), h.invalidUtf8(),
                Arrays.copyOfRange(body, at, body.length));
    }

    private static Case raw(String kind, String path, String contentType, byte[] body, Expect expect) {
        return new Case(kind, "POST", path, contentType, body, false, body.length > MAX_BODY ? Expect.TOO_LARGE : expect,
                null, null);
    }

    /** Bodies over 64 KiB (413, with and without Content-Length) and exactly 64 KiB (judged normally). */
    private List<Case> oversized(Hostile h, String path, String contentType, List<FieldSpec> spec) {
        List<Case> cases = new ArrayList<>();
        for (int size : new int[]{MAX_BODY, MAX_BODY + 1, 70_000, 300_000}) {
            for (boolean chunked : new boolean[]{false, true}) {
                Map<String, Value> fields = new LinkedHashMap<>();
                spec.forEach(f -> fields.put(f.name(), f.valid().get()));
                byte[] body = padded(fields, size);
                Expect expect = size > MAX_BODY ? Expect.TOO_LARGE : Expect.EITHER;
                cases.add(new Case("size " + size, "POST", path, contentType, body, chunked, expect, null, null));
            }
        }
        byte[] garbage = h.randomBytes(MAX_BODY + 1 + h.between(0, 5000));
        cases.add(new Case("oversized random bytes", "POST", path, contentType, garbage, false, Expect.TOO_LARGE, null, null));
        return cases;
    }

    /** A valid object padded with an ignored field to exactly {@code size} bytes. */
    private static byte[] padded(Map<String, Value> fields, int size) {
        StringBuilder s = new StringBuilder("{");
        fields.forEach((k, v) -> s.append(Hostile.quote(k, false)).append(':').append(v.json()).append(','));
        s.append("\"pad\":\"");
        int fixed = s.toString().getBytes(UTF_8).length + 2;
        s.append("x".repeat(Math.max(0, size - fixed))).append("\"}");
        byte[] body = s.toString().getBytes(UTF_8);
        assertEquals(size, body.length, "padding arithmetic");
        return body;
    }

    // ---------------------------------------------------------------- form webhook generation

    private List<Case> formCases(Hostile h) {
        List<Case> cases = new ArrayList<>();
        String path = "/portone-webhook";
        for (int i = 0; i < CASES; i++) {
            List<String[]> pairs = new ArrayList<>();
            String impUid = validImpUid(h);
            pairs.add(new String[]{"imp_uid", impUid});
            if (h.chance(0.7)) {
                pairs.add(new String[]{"merchant_uid", h.chance(0.5) ? h.pick(seededOrders) : h.shortString()});
            }
            if (h.chance(0.7)) {
                pairs.add(new String[]{"status", h.chance(0.5) ? "paid" : h.shortString()});
            }
            String contentType = h.chance(0.8) ? FORM : h.pick(List.of(FORM + "; charset=UTF-8", FORM + "; charset=utf-8",
                    FORM + "; charset=\"utf-8\"", "APPLICATION/X-WWW-FORM-URLENCODED"));
            Expect expect;
            String kind;
            boolean exact = true;
            int roll = h.random().nextInt(100);
            if (roll < 15) {
                kind = "valid";
                expect = Expect.ACCEPT;
            } else if (roll < 40) {
                kind = "hostile imp_uid";
                impUid = switch (h.random().nextInt(8)) {
                    case 0 -> "";
                    case 1 -> h.pick(List.of(" ", "\t", "\n", "\u2028", "+"));
                    case 2 -> h.longString();
                    case 3 -> h.pick(Hostile.LONE_SURROGATES);
                    default -> h.shortString();
                };
                pairs.set(0, new String[]{"imp_uid", impUid});
                expect = judgeIdText(h.string(impUid));
                exact = !Hostile.hasLoneSurrogate(impUid);
            } else if (roll < 50) {
                kind = "no imp_uid";
                pairs.remove(0);
                if (h.chance(0.5)) {
                    pairs.add(new String[]{h.pick(List.of("IMP_UID", "imp_uid[]", "impuid", "imp_uid ", "imp-uid")), impUid});
                }
                expect = Expect.REJECT;
            } else if (roll < 55) {
                kind = "duplicate imp_uid";
                pairs.add(h.between(0, pairs.size()), new String[]{"imp_uid", h.chance(0.5) ? "" : h.shortString()});
                expect = Expect.EITHER;
                exact = false;
            } else if (roll < 62) {
                kind = "odd charset";
                contentType = FORM + "; charset=" + h.pick(List.of("iso-8859-1", "utf-16", "klingon", "", "../../x",
                        "utf-8; x=y", "US-ASCII", "\"\""));
                expect = Expect.EITHER;
                exact = false;
            } else {
                kind = "broken form";
                byte[] body = switch (h.random().nextInt(9)) {
                    case 0 -> h.randomBytes(h.between(1, 2000));
                    case 1 -> ("imp_uid=" + h.pick(List.of("%", "%zz", "%u0041", "%%", "%0", "%F0%9F", "%C0%AF", "%ED%A0%80")))
                            .getBytes(ISO_8859_1);
                    case 2 -> concat("imp_uid=imp_".getBytes(ISO_8859_1), h.invalidUtf8());
                    case 3 -> h.pick(List.of("&&&", "=", "==", "imp_uid", "imp_uid=", "&imp_uid", "=imp_1", "imp_uid==imp_1",
                            "imp_uid=imp_1=2", "imp%5Fuid=imp_1", "imp_uid=imp_1;x=1", "a=1&&imp_uid=imp_1&")).getBytes(ISO_8859_1);
                    case 4 -> ("x=1&".repeat(h.between(1000, 3000)) + "imp_uid=imp_1").getBytes(ISO_8859_1);
                    case 5 -> {
                        byte[] whole = formBytes(pairs);
                        yield Arrays.copyOf(whole, h.between(0, whole.length));
                    }
                    case 6 -> ("{\"imp_uid\":\"" + impUid.replace("\"", "") + "\"}").getBytes(UTF_8);
                    case 7 -> ("imp_uid=" + h.shortString()).getBytes(UTF_8);  // unencoded
                    default -> ("imp_uid=" + "[".repeat(10_000)).getBytes(ISO_8859_1);
                };
                cases.add(new Case(kind, "POST", path, contentType, body, false,
                        body.length > MAX_BODY ? Expect.TOO_LARGE : Expect.EITHER, null, null));
                continue;
            }
            byte[] body = formBytes(pairs);
            Map<String, Value> fields = null;
            if (exact && expect != Expect.REJECT) {
                fields = Map.of("imp_uid", h.string(pairs.stream().filter(p -> p[0].equals("imp_uid")).findFirst()
                        .orElseThrow()[1]));
            }
            if (body.length > MAX_BODY) {
                expect = Expect.TOO_LARGE;
            }
            cases.add(new Case(kind, "POST", path, contentType, body, h.chance(0.05), expect, fields, null));
        }
        for (int size : new int[]{MAX_BODY + 1, 100_000, 300_000}) {
            for (boolean chunked : new boolean[]{false, true}) {
                byte[] body = ("imp_uid=imp_123456789012&pad=" + "x".repeat(size)).substring(0, size).getBytes(ISO_8859_1);
                cases.add(new Case("size " + size, "POST", path, FORM, body, chunked, Expect.TOO_LARGE, null, null));
            }
        }
        return cases;
    }

    private static byte[] formBytes(List<String[]> pairs) {
        return pairs.stream().map(p -> URLEncoder.encode(p[0], UTF_8) + "=" + URLEncoder.encode(p[1], UTF_8))
                .collect(Collectors.joining("&")).getBytes(ISO_8859_1);
    }

    // ---------------------------------------------------------------- path generation

    /** A path segment to append, as sent (encoded or deliberately raw), and its decoded value when known. */
    record Segment(String kind, String raw, String decoded) {}

    private List<Case> pathCases(Hostile h, String prefix, Function<Hostile, Segment> segments,
                                 Function<String, Expect> judge) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            Segment s = segments.apply(h);
            Expect expect = s.decoded() == null ? Expect.EITHER : judge.apply(s.decoded());
            String target = prefix + s.raw();
            if (h.chance(0.1)) {
                target += "?" + h.pick(List.of("x=%zz", "include_sandbox=true", "id=1&id=2", "q="
                        + Hostile.percentEncode(h.shortString()), "%00", "a=" + "b".repeat(3000)));
            }
            cases.add(new Case(s.kind(), "GET", target, null, h.chance(0.05) ? h.randomBytes(200) : null, false, expect,
                    null, s.decoded()));
        }
        return cases;
    }

    private Segment userSegment(Hostile h) {
        List<Long> ids = userIds();
        return switch (h.random().nextInt(10)) {
            case 0 -> encoded("existing id", Long.toString(h.pick(ids)));
            case 1 -> encoded("unknown id", h.pick(List.of("999999", "0", "-1", "9223372036854775807",
                    "9223372036854775808", "-9223372036854775808", "99999999999999999999999", "1" + "0".repeat(60))));
            case 2 -> encoded("odd number", h.pick(List.of("+1", "01", "00000000001", " 1", "1 ", "１", "١", "1.0", "1e0",
                    "0x1", "1_000", "1,000", "Infinity", "NaN", "true", "null", "[1]", "{\"id\":1}")));
            case 3 -> new Segment("huge digits", "9".repeat(h.pick(List.of(100, 1_000, 5_000, 9_000, 20_000))), null);
            default -> hostileSegment(h);
        };
    }

    private Segment orderSegment(Hostile h) {
        String existing = h.pick(seededOrders);
        return switch (h.random().nextInt(10)) {
            case 0 -> encoded("existing merchant_uid", existing);
            case 1 -> encoded("near an existing merchant_uid", h.pick(List.of(existing.toUpperCase(Locale.ROOT),
                    existing + " ", " " + existing, existing.substring(0, existing.length() - 1) + "%",
                    existing.substring(0, existing.length() - 1) + "_", existing.substring(0, 10), existing + "\u0000",
                    "order_%", "%", "_", "*", existing + "' OR '1'='1", existing + "\u200b")));
            case 2 -> encoded("long merchant_uid", "o".repeat(h.pick(List.of(41, 100, 1_000, 2_000))));
            case 3 -> new Segment("huge merchant_uid", "x".repeat(h.pick(List.of(5_000, 9_000, 20_000))), null);
            default -> hostileSegment(h);
        };
    }

    private static Segment encoded(String kind, String value) {
        return new Segment(kind, Hostile.percentEncode(value), value);
    }

    /** A hostile string, percent-encoded so it reaches the handler, or raw so the HTTP layer must cope. */
    private static Segment hostileSegment(Hostile h) {
        if (h.chance(0.6)) {
            String value = h.chance(0.3) ? h.pick(Hostile.TRAVERSAL) : h.shortString();
            return new Segment("encoded hostile", Hostile.percentEncode(value), value);
        }
        String raw = switch (h.random().nextInt(8)) {
            case 0 -> h.pick(List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "..", "../..", "../users/1",
                    "%2e%2e", ".%2e/", "..;/users/1", "..\\..\\", "%5c..%5c"));
            case 1 -> h.pick(List.of("%", "%zz", "%00", "%FF", "%C0%AE%C0%AE", "%ED%A0%80", "%F4%90%80%80", "%u0041",
                    "1%u0031", "%uD83D%uDE00", "%U00e9"));
            case 2 -> h.pick(List.of("é", "한글", "😀", "\u202e1", "1\u0000"));
            case 3 -> h.pick(List.of("1;jsessionid=x", "1#frag", "1/", "1//", "1/x", "1%2F2", "%20", "+", "1?"));
            case 4 -> h.pick(List.of("<script>", "'", "\"", "{x}", "|", "`", "^", "[1]"));
            default -> Hostile.percentEncode(new String(h.randomBytes(h.between(1, 30)), ISO_8859_1))
                    .replace("%C2", "%").replace("%C3", "%");
        };
        return new Segment("raw hostile", raw, null);
    }

    // ---------------------------------------------------------------- judges: what the contract says of an input

    private static Expect worst(Expect a, Expect b) {
        if (a == Expect.REJECT || b == Expect.REJECT) {
            return Expect.REJECT;
        }
        return a == Expect.EITHER || b == Expect.EITHER ? Expect.EITHER : Expect.ACCEPT;
    }

    private static Expect downgrade(Expect e) {
        return e == Expect.ACCEPT ? Expect.EITHER : e;
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> LogSafe.isUnsafe((char) c));
    }

    /** A required string: blank or absent is refused; up to 40 chars accepted, up to 200 a judgement call. */
    private static Expect judgeText(Value v, int sure) {
        if (v == null || v.kind() != Kind.STRING) {
            return Expect.REJECT;
        }
        String s = v.text().strip();
        if (s.isEmpty() || s.length() > 200) {
            return Expect.REJECT;
        }
        if (s.length() > sure || hasControl(s) || Hostile.hasLoneSurrogate(s)) {
            return Expect.EITHER;
        }
        return Expect.ACCEPT;
    }

    private static Expect judgeIdText(Value v) {
        return judgeText(v, 40);
    }

    private Expect judgeUser(Map<String, Value> fields) {
        return worst(judgeText(fields.get("name"), 40), judgePhone(fields.get("phone")));
    }

    private static Expect judgePhone(Value v) {
        if (v == null || v.kind() != Kind.STRING) {
            return Expect.REJECT;
        }
        String s = v.text().strip();
        if (CANONICAL_PHONES.contains(s)) {
            return Expect.ACCEPT;
        }
        if (s.isEmpty() || s.length() > 40 || s.chars().noneMatch(Character::isDigit)
                || s.chars().anyMatch(c -> "0123456789 +-().".indexOf(c) < 0)) {
            return Expect.REJECT;
        }
        return Expect.EITHER;
    }

    private Expect judgeOrder(Map<String, Value> fields, Set<Long> users) {
        Value currency = fields.get("currency");
        Integer digits = null;
        Expect currencyVerdict;
        if (currency == null || currency.kind() == Kind.NULL) {
            currencyVerdict = Expect.ACCEPT;
            digits = 0;
        } else if (currency.kind() != Kind.STRING) {
            currencyVerdict = Expect.REJECT;
        } else {
            String code = currency.text().strip().toUpperCase(Locale.ROOT);
            if (KNOWN_CURRENCIES.contains(code)) {
                currencyVerdict = Expect.ACCEPT;
                digits = code.equals("USD") || code.equals("EUR") ? 2 : 0;
            } else {
                currencyVerdict = code.matches("[A-Z]{3}") ? Expect.EITHER : Expect.REJECT;
            }
        }
        return worst(worst(judgeUserId(fields.get("user_id"), users), judgeText(fields.get("name"), 40)),
                worst(currencyVerdict, judgeAmount(fields.get("amount"), digits)));
    }

    private static Expect judgeUserId(Value v, Set<Long> users) {
        if (v == null || v.kind() != Kind.NUMBER || v.number() == null) {
            return Expect.REJECT;
        }
        BigDecimal n = v.number();
        boolean whole = n.signum() > 0 && n.stripTrailingZeros().scale() <= 0
                && n.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
        boolean existing = whole && users.contains(n.longValueExact());
        if (!existing) {
            return Expect.REJECT;
        }
        return v.json().matches("[1-9][0-9]*") ? Expect.ACCEPT : Expect.EITHER;
    }

    private static Expect judgeAmount(Value v, Integer digits) {
        if (v == null || v.kind() != Kind.NUMBER || v.number() == null) {
            return Expect.REJECT;
        }
        BigDecimal amount = v.number();
        if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            return Expect.REJECT;
        }
        if (digits == null) {
            return Expect.EITHER;
        }
        return amount.stripTrailingZeros().scale() > digits ? Expect.REJECT : Expect.ACCEPT;
    }

    /** Confirm Process takes a JSON number or a decimal string (PortOne does not document which it sends). */
    private static Expect judgeConfirmAmount(Value v) {
        if (v != null && v.kind() == Kind.NUMBER) {
            return v.number() == null ? Expect.REJECT : Expect.ACCEPT;
        }
        if (v == null || v.kind() != Kind.STRING) {
            return Expect.REJECT;
        }
        String s = v.text();
        if (s.matches("[0-9]{1,9}")) {
            return Expect.ACCEPT;
        }
        return s.isEmpty() || s.chars().anyMatch(c -> "0123456789.-".indexOf(c) < 0) ? Expect.REJECT : Expect.EITHER;
    }

    private static Expect judgeConfirmCurrency(Value v) {
        if (v == null || v.kind() == Kind.NULL) {
            return Expect.ACCEPT;
        }
        if (v.kind() != Kind.STRING) {
            return Expect.REJECT;
        }
        String s = v.text().strip();
        return s.isEmpty() || s.length() > 3 ? Expect.REJECT : Expect.ACCEPT;
    }

    private Expect judgeUserIdPath(String decoded) {
        if (CANONICAL_ID.matcher(decoded).matches()) {
            return userIds().contains(Long.parseLong(decoded)) ? Expect.ACCEPT : Expect.REJECT;
        }
        return NUMBERISH.matcher(decoded).matches() ? Expect.EITHER : Expect.REJECT;
    }

    private Expect judgeMerchantUidPath(String decoded) {
        return seededOrders.contains(decoded) ? Expect.ACCEPT : Expect.REJECT;
    }

    private static String validName(Hostile h) {
        String name = switch (h.random().nextInt(5)) {
            case 0 -> h.pick(List.of("홍길동", "Kim O'Brien", "'; DROP TABLE orders; --", "<script>alert(1)</script>",
                    "\u202eevil\u202c", "😀👨‍👩‍👧‍👦", "Ω\u0301", "${jndi:ldap://x/a}", "Robert'); DROP TABLE users;--"));
            case 1 -> h.pick(Hostile.SQL);
            case 2 -> h.pick(Hostile.SCRIPT);
            default -> h.shortString();
        };
        name = Hostile.safeCut(name, 40);
        return name.strip().isEmpty() || hasControl(name) ? "이름 " + h.between(1, 999) : name;
    }

    private static String validImpUid(Hostile h) {
        if (h.chance(0.6)) {
            return "imp_" + (100_000_000_000L + (h.random().nextLong() & Long.MAX_VALUE) % 900_000_000_000L);
        }
        String s = Hostile.safeCut(h.shortString(), 40);
        return s.strip().isEmpty() || hasControl(s) ? "imp_" + h.between(1, 999_999) : s;
    }

    // ---------------------------------------------------------------- running and checking

    /** What a case did to the server's state, beyond the answer; one per endpoint. */
    private interface Effect {
        /** Did the server take the input as valid (201 created, 200 found, PortOne consulted)? */
        boolean accepted(RawHttp.Response r, JsonNode json, Snapshot before, Snapshot after);

        /** Waits for work the server finishes after answering, before the database is compared. */
        default void settle(Case c, RawHttp.Response r, Snapshot before) {}

        /** Confirm Process answers refusals as {@code {"reason": ...}}, the one field PortOne shows the buyer. */
        default boolean answersWithReason() {
            return false;
        }

        void check(Case c, JsonNode json, boolean accepted, Snapshot before, Snapshot after, List<Recorded> calls,
                   List<String> problems);
    }

    private void run(String endpoint, List<Case> cases, Effect effect) {
        long started = System.nanoTime();
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        Map<Expect, Integer> expectations = new EnumMap<>(Expect.class);
        Snapshot before = snapshot();
        int seen = server.portone.requests().size();
        for (Case c : cases) {
            expectations.merge(c.expect(), 1, Integer::sum);
            RawHttp.Response r;
            try {
                r = RawHttp.send(port, c.method(), c.target(), c.contentType(), c.body(), c.chunked(),
                        "Bearer " + ADMIN_TOKEN);
            } catch (UncheckedIOException e) {
                failures.add(c.describe() + "\n    -> no HTTP answer: " + e.getMessage());
                before = snapshot();
                seen = server.portone.requests().size();
                continue;
            }
            effect.settle(c, r, before);
            Snapshot after = snapshot();
            List<Recorded> all = server.portone.requests();
            List<Recorded> calls = all.subList(seen, all.size());
            seen = all.size();
            statuses.merge(Integer.toString(r.status()), 1, Integer::sum);

            List<String> problems = new ArrayList<>();
            check(c, r, before, after, calls, effect, problems);
            if (!problems.isEmpty()) {
                failures.add(c.describe() + "\n    -> HTTP " + r.status() + " " + RawHttp.abbreviate(r.body())
                        + "\n    " + String.join("\n    ", problems));
            }
            before = after;
        }
        System.out.printf("%s: %d cases (%s) in %d ms; answers %s; %d failures%n", endpoint,
                cases.size(), expectations, (System.nanoTime() - started) / 1_000_000, statuses, failures.size());
        if (!failures.isEmpty()) {
            fail(endpoint + ": " + failures.size() + " of " + cases.size() + " hostile requests were mishandled (seed "
                    + SEED + "):\n" + failures.stream().limit(25).collect(Collectors.joining("\n")));
        }
    }

    private void check(Case c, RawHttp.Response r, Snapshot before, Snapshot after, List<Recorded> calls,
                       Effect effect, List<String> problems) {
        String request = c.requestText();
        for (String marker : LEAK_MARKERS) {
            if (r.body().contains(marker) && !request.contains(marker)) {
                problems.add("the answer leaks internals: contains '" + marker + "'");
            }
        }
        JsonNode json = parseObject(r);
        boolean success = r.status() >= 200 && r.status() < 300;
        if (json == null) {
            problems.add("the answer is not a JSON object (Content-Type " + r.header("Content-Type") + ")");
        } else if (!success && effect.answersWithReason() && r.status() != 413) {
            if (!json.path("reason").isTextual() || json.path("reason").asText().isBlank()) {
                problems.add("a refusal needs a non-blank string reason");
            }
        } else if (!success) {
            requireStatusAndMessage(json, r, problems);
        }
        if (r.status() >= 500) {
            problems.add("a server error for client input");
        }
        boolean accepted = json != null && effect.accepted(r, json, before, after);
        boolean clientError = r.status() >= 400 && r.status() < 500;
        switch (c.expect()) {
            case TOO_LARGE -> {
                if (r.status() != 413) {
                    problems.add("a body over 64 KiB must answer 413");
                }
                accepted = false;
            }
            case ACCEPT -> {
                if (!accepted) {
                    problems.add("valid input was not accepted");
                }
            }
            case REJECT -> {
                if (accepted || !clientError) {
                    problems.add("invalid input must answer 4xx without acting on it");
                }
            }
            case EITHER -> {
                if (!accepted && !clientError) {
                    problems.add("must either be accepted or answer 4xx");
                }
            }
        }
        if (c.expect() != Expect.TOO_LARGE && r.status() == 413) {
            problems.add("413 for a body of at most 64 KiB");
        }
        effect.check(c, json, accepted, before, after, calls, problems);
    }

    private static void requireStatusAndMessage(JsonNode json, RawHttp.Response r, List<String> problems) {
        if (json == null || !json.path("status").isTextual() || json.path("status").asText().isBlank()
                || !json.path("message").isTextual() || json.path("message").asText().isBlank()) {
            problems.add("an error answer needs a non-blank string status and message (Content-Type "
                    + r.header("Content-Type") + ")");
        }
    }

    private JsonNode parseObject(RawHttp.Response r) {
        String type = Objects.requireNonNullElse(r.header("Content-Type"), "");
        if (!type.startsWith(JSON)) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(r.body());
            return node != null && node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String paths(List<Recorded> calls) {
        return calls.stream().map(x -> x.method() + " " + x.path()).toList().toString();
    }

    private static void unchanged(Snapshot before, Snapshot after, List<Recorded> calls, List<String> problems) {
        if (!before.equals(after)) {
            problems.add("the database changed: " + before.diff(after));
        }
        if (!calls.isEmpty()) {
            problems.add("PortOne was called: " + paths(calls));
        }
    }

    private final class UserCreation implements Effect {
        @Override
        public boolean accepted(RawHttp.Response r, JsonNode json, Snapshot before, Snapshot after) {
            return r.status() == 201;
        }

        @Override
        public void check(Case c, JsonNode json, boolean accepted, Snapshot before, Snapshot after, List<Recorded> calls,
                          List<String> problems) {
            if (!accepted) {
                unchanged(before, after, calls, problems);
                return;
            }
            List<Map<String, Object>> added = after.addedTo("users", before);
            if (added.size() != 1 || !after.sameExcept(before, "users")) {
                problems.add("201, but the database did not gain exactly one user: " + before.diff(after));
                return;
            }
            Map<String, Object> row = added.get(0);
            if (!calls.isEmpty()) {
                problems.add("PortOne was called: " + paths(calls));
            }
            if (json.path("id").asLong() != ((Number) row.get("id")).longValue()
                    || !Objects.equals(json.path("name").asText(), row.get("name"))
                    // the answer shows the phone masked (issue 15), the row holds it whole
                    || !Objects.equals(json.path("phone").asText(), Phones.mask((String) row.get("phone")))) {
                problems.add("the answer " + json + " is not the stored row " + row);
            }
            if (row.get("vbank_num") != null || row.get("vbank_name") != null) {
                problems.add("a new user came with a virtual account from the request: " + row);
            }
            if (c.fields() != null) {
                expectStored("name", c.fields().get("name"), row.get("name"), problems);
                expectStored("phone", c.fields().get("phone"), row.get("phone"), problems);
            }
        }
    }

    private static void expectStored(String field, Value sent, Object stored, List<String> problems) {
        if (sent != null && sent.kind() == Kind.STRING && !Hostile.hasLoneSurrogate(sent.text())
                && !Objects.equals(sent.text().strip(), stored)) {
            problems.add(field + " was stored as " + RawHttp.abbreviate(String.valueOf(stored)) + ", not as sent: "
                    + RawHttp.abbreviate(sent.text().strip()));
        }
    }

    private final class OrderCreation implements Effect {
        @Override
        public boolean accepted(RawHttp.Response r, JsonNode json, Snapshot before, Snapshot after) {
            return r.status() == 201;
        }

        @Override
        public void check(Case c, JsonNode json, boolean accepted, Snapshot before, Snapshot after, List<Recorded> calls,
                          List<String> problems) {
            if (!accepted) {
                unchanged(before, after, calls, problems);
                return;
            }
            List<Map<String, Object>> added = after.addedTo("orders", before);
            if (added.size() != 1 || !after.sameExcept(before, "orders")) {
                problems.add("201, but the database did not gain exactly one order: " + before.diff(after));
                return;
            }
            Map<String, Object> row = added.get(0);
            String merchantUid = String.valueOf(row.get("merchant_uid"));
            // PREPARE_AMOUNTS (on by default) registers the new order's amount, and nothing else
            List<Recorded> prepares = calls.stream()
                    .filter(x -> x.method().equals("POST") && x.path().equals("/payments/prepare")).toList();
            boolean onlyPrepare = calls.stream().allMatch(x -> prepares.contains(x)
                    || (x.method().equals("POST") && x.path().equals("/users/getToken")));
            if (!onlyPrepare || prepares.size() > 1
                    || prepares.stream().anyMatch(x -> !x.body().contains(merchantUid))) {
                problems.add("creating an order may only pre-register its own amount at PortOne, got " + paths(calls));
            }
            if (!"pending".equals(row.get("status")) || row.get("imp_uid") != null
                    || !"pending".equals(json.path("status").asText()) || !json.path("payment").isNull()) {
                problems.add("a new order must be pending without a payment, whatever the body says: " + row);
            }
            if (!merchantUid.equals(json.path("merchant_uid").asText())) {
                problems.add("the answer's merchant_uid is not the stored one");
            }
            if (c.body() != null && new String(c.body(), UTF_8).contains("\"merchant_uid\":\"" + merchantUid + "\"")) {
                problems.add("the client chose the merchant_uid: " + merchantUid);
            }
            if (c.fields() != null) {
                Value userId = c.fields().get("user_id");
                if (userId != null && userId.number() != null
                        && userId.number().compareTo(new BigDecimal(String.valueOf(row.get("user_id")))) != 0) {
                    problems.add("user_id stored as " + row.get("user_id"));
                }
                Value amount = c.fields().get("amount");
                if (amount != null && amount.number() != null
                        && amount.number().compareTo(new BigDecimal(String.valueOf(row.get("amount")))) != 0) {
                    problems.add("amount stored as " + row.get("amount") + ", sent " + amount.json());
                }
                expectStored("name", c.fields().get("name"), row.get("name"), problems);
                Value currency = c.fields().get("currency");
                String expected = currency == null || currency.kind() != Kind.STRING ? "KRW"
                        : currency.text().strip().toUpperCase(Locale.ROOT);
                if (!expected.equals(row.get("currency"))) {
                    problems.add("currency stored as " + row.get("currency") + ", expected " + expected);
                }
            }
        }
    }

    /** GETs: never change anything; a 200 shows the stored row that the path names. */
    private final class ReadOnly implements Effect {
        private final String key;

        ReadOnly(String key) {
            this.key = key;
        }

        @Override
        public boolean accepted(RawHttp.Response r, JsonNode json, Snapshot before, Snapshot after) {
            return r.status() == 200;
        }

        @Override
        public void check(Case c, JsonNode json, boolean accepted, Snapshot before, Snapshot after, List<Recorded> calls,
                          List<String> problems) {
            unchanged(before, after, calls, problems);
            if (!accepted) {
                return;
            }
            String table = key.equals("id") ? "users" : "orders";
            String shown = json.path(key).asText();
            boolean stored = after.tables().get(table).stream().anyMatch(row -> String.valueOf(row.get(key)).equals(shown));
            if (!stored) {
                problems.add("200 with a " + table + " row that does not exist: " + json);
            }
            if (c.path() != null && key.equals("merchant_uid") && !c.path().equals(shown)) {
                problems.add("asked for " + c.path() + ", got order " + shown);
            }
            if (c.path() != null && key.equals("id") && CANONICAL_ID.matcher(c.path()).matches() && !c.path().equals(shown)) {
                problems.add("asked for user " + c.path() + ", got user " + shown);
            }
        }
    }

    /**
     * The browser's report and the webhook. The fake PortOne knows no payment, so valid input is
     * answered "unknown_payment" after at most one lookup (none when PortOne called the same imp_uid
     * unknown a moment ago), and stores nothing at all (issue 15).
     */
    private final class PaymentReport implements Effect {
        private final String source;
        private final int acceptedStatus;

        PaymentReport(String source, int acceptedStatus) {
            this.source = source;
            this.acceptedStatus = acceptedStatus;
        }

        @Override
        public boolean accepted(RawHttp.Response r, JsonNode json, Snapshot before, Snapshot after) {
            return r.status() == acceptedStatus && "unknown_payment".equals(json.path("status").asText());
        }

        @Override
        public void check(Case c, JsonNode json, boolean accepted, Snapshot before, Snapshot after, List<Recorded> calls,
                          List<String> problems) {
            if (!accepted) {
                unchanged(before, after, calls, problems);
                return;
            }
            if (!after.sameAs(before, PAYMENT_SIDE_TABLES)) {
                problems.add("an unknown payment changed orders, payments, users or the SMS outbox: " + before.diff(after));
            }
            List<Recorded> lookups = calls.stream()
                    .filter(x -> x.method().equals("GET") && x.path().startsWith("/payments/")).toList();
            List<Recorded> others = calls.stream()
                    .filter(x -> !lookups.contains(x) && !(x.method().equals("POST") && x.path().equals("/users/getToken")))
                    .toList();
            if (lookups.size() > 1 || !others.isEmpty()) {
                problems.add("expected at most one payment lookup at PortOne, got " + paths(calls));
                return;
            }
            List<Map<String, Object>> history = after.addedTo("payment_history", before);
            if (!history.isEmpty()) {
                problems.add("an unknown payment (reported by " + source + ") left history rows: " + history);
            }
            if (lookups.isEmpty()) {
                return;
            }
            String asked = URLDecoder.decode(lookups.get(0).path().substring("/payments/".length()), UTF_8);
            Value impUid = c.fields() == null ? null : c.fields().get("imp_uid");
            if (impUid != null && impUid.kind() == Kind.STRING && !Hostile.hasLoneSurrogate(impUid.text())
                    && !impUid.text().strip().equals(asked)) {
                problems.add("PortOne was asked for " + RawHttp.abbreviate(asked) + ", the body said "
                        + RawHttp.abbreviate(impUid.text().strip()));
            }
        }
    }

    /**
     * Confirm Process: never calls PortOne and never changes an order; a well-formed call about one of
     * our orders appends one history row (source confirm) just after answering, unless the same
     * payment already has one with that outcome; any other call nothing (issue 15).
     */
    private final class ConfirmCall implements Effect {
        @Override
        public boolean answersWithReason() {
            return true;
        }

        @Override
        public void settle(Case c, RawHttp.Response r, Snapshot before) {
            boolean mayHaveRow = Set.of(200, 400, 404, 409).contains(r.status());
            if (c.expect() == Expect.REJECT || c.expect() == Expect.TOO_LARGE || !mayHaveRow) {
                return;
            }
            // a well-formed call answers 400 only for an existing order (amount or currency differ), so a 400
            // naming another order is a refused format, which writes nothing: no need to wait for a row
            Value merchantUid = c.fields() == null ? null : c.fields().get("merchant_uid");
            if (r.status() == 400 && c.expect() == Expect.EITHER && merchantUid != null && merchantUid.kind() == Kind.STRING
                    && !seededOrders.contains(merchantUid.text().strip())) {
                return;
            }
            String sent = new String(c.body(), UTF_8);
            if (seededOrders.stream().noneMatch(sent::contains)) {
                return;   // no order of ours: no row will come
            }
            long wait = c.expect() == Expect.ACCEPT || r.status() != 400 ? 3_000 : 150;
            long deadline = System.nanoTime() + wait * 1_000_000;
            int rows = before.tables().get("payment_history").size();
            while (historyRows() <= rows && System.nanoTime() < deadline) {
                sleep(5);
            }
        }

        @Override
        public boolean accepted(RawHttp.Response r, JsonNode json, Snapshot before, Snapshot after) {
            // decided: confirmed, or refused for a reason other than its format ("잘못된 요청입니다 (...)")
            String reason = json == null ? null : json.path("reason").asText(null);
            return r.status() == 200 && json != null && "confirmed".equals(json.path("status").asText())
                    || Set.of(400, 404, 409).contains(r.status()) && reason != null && !reason.startsWith("잘못된 요청입니다");
        }

        @Override
        public void check(Case c, JsonNode json, boolean accepted, Snapshot before, Snapshot after, List<Recorded> calls,
                          List<String> problems) {
            if (!calls.isEmpty()) {
                problems.add("PortOne was called: " + paths(calls));
            }
            if (!after.sameAs(before, PAYMENT_SIDE_TABLES)) {
                problems.add("a confirm call changed orders, payments, users or the SMS outbox: " + before.diff(after));
            }
            // only a 200 carries {"status": "confirmed"}
            boolean confirmed = json != null && "confirmed".equals(json.path("status").asText());
            if (!accepted) {
                return;
            }
            List<Map<String, Object>> rows = after.addedTo("payment_history", before);
            // by the body's text: with a duplicate key, the parser takes another merchant_uid than fields() holds
            String body = new String(c.body(), UTF_8);
            boolean ours = seededOrders.stream().anyMatch(body::contains);
            if (rows.size() > (ours ? 1 : 0)) {
                problems.add("expected " + (ours ? "at most one history row" : "no history row") + ", got " + rows.size());
                return;
            }
            if (rows.isEmpty()) {
                return;
            }
            Map<String, Object> row = rows.get(0);
            if (!"confirm".equals(row.get("source")) || !(confirmed ? "confirmed" : "confirm_refused").equals(row.get("outcome"))) {
                problems.add("the history row does not record this confirm call: " + row);
            }
            if (c.fields() == null) {
                return;
            }
            Value impUid = c.fields().get("imp_uid");
            Value merchantUid = c.fields().get("merchant_uid");
            if (impUid != null && impUid.kind() == Kind.STRING && !Hostile.hasLoneSurrogate(impUid.text())
                    && !impUid.text().strip().equals(row.get("imp_uid"))) {
                problems.add("history imp_uid " + row.get("imp_uid") + " is not the one sent");
            }
            Value amount = c.fields().get("amount");
            Value currency = c.fields().get("currency");
            BigDecimal sent = amount == null ? null : amount.kind() == Kind.NUMBER ? amount.number()
                    : amount.kind() == Kind.STRING && amount.text().matches("[0-9]{1,9}") ? new BigDecimal(amount.text()) : null;
            boolean exactForPayableOrder = merchantUid != null && merchantUid.kind() == Kind.STRING
                    && seededOrders.get(0).equals(merchantUid.text().strip()) && sent != null
                    && sent.compareTo(new BigDecimal(15000)) == 0 && (currency == null || currency.kind() == Kind.NULL
                    || "KRW".equalsIgnoreCase(currency.text().strip()));
            if (confirmed != exactForPayableOrder) {
                problems.add(confirmed ? "confirmed a payment that is not the exact amount of a payable order"
                        : "refused the exact amount of a payable order");
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- database snapshots

    /** Every row of the five tables, in primary key order. */
    record Snapshot(Map<String, List<Map<String, Object>>> tables) {
        boolean sameAs(Snapshot other, List<String> names) {
            return names.stream().allMatch(t -> tables.get(t).equals(other.tables.get(t)));
        }

        boolean sameExcept(Snapshot other, String table) {
            return sameAs(other, TABLES.stream().filter(t -> !t.equals(table)).toList());
        }

        /** Rows of {@code table} that {@code before} did not have, if the old rows are all unchanged; else everything. */
        List<Map<String, Object>> addedTo(String table, Snapshot before) {
            List<Map<String, Object>> now = tables.get(table);
            List<Map<String, Object>> then = before.tables.get(table);
            if (!now.containsAll(then)) {
                return now;
            }
            List<Map<String, Object>> added = new ArrayList<>(now);
            added.removeAll(then);
            return added;
        }

        String diff(Snapshot after) {
            return TABLES.stream().filter(t -> !tables.get(t).equals(after.tables.get(t)))
                    .map(t -> t + " " + tables.get(t).size() + " -> " + after.tables.get(t).size() + " rows")
                    .collect(Collectors.joining(", "));
        }
    }

    /**
     * Reads every table only when something was committed since the last read (SQLite's {@code PRAGMA
     * data_version}, PostgreSQL's write-ahead log position; read first so a commit in between only
     * causes one more read): most hostile requests change nothing, and reading hundreds of rows for
     * each would dominate the run time.
     */
    private Snapshot snapshot() {
        String version = db.createQuery(database.dialect() == DatabaseSettings.Dialect.SQLITE
                ? "PRAGMA data_version" : "SELECT CAST(pg_current_wal_lsn() AS TEXT)").mapTo(String.class).one();
        if (lastSnapshot != null && version.equals(lastVersion)) {
            return lastSnapshot;
        }
        Map<String, List<Map<String, Object>>> tables = new LinkedHashMap<>();
        for (String t : TABLES) {
            tables.put(t, db.createQuery("SELECT * FROM " + t + " ORDER BY " + KEYS.get(t)).mapToMap().list());
        }
        lastVersion = version;
        lastSnapshot = new Snapshot(tables);
        return lastSnapshot;
    }

    private int historyRows() {
        return db.createQuery("SELECT count(*) FROM payment_history").mapTo(Integer.class).one();
    }

    private List<Long> userIds() {
        return db.createQuery("SELECT id FROM users ORDER BY id").mapTo(Long.class).list();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- reproducers of the bugs found

    private static String escapeNonAscii(String s) {
        StringBuilder out = new StringBuilder();
        s.chars().forEach(c -> out.append(c < 0x80 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }

    private RawHttp.Response send(String method, String target, String contentType, String body) {
        return RawHttp.send(port, method, target, contentType, body == null ? null : body.getBytes(UTF_8), false,
                "Bearer " + ADMIN_TOKEN);
    }

    private void assertClientError(RawHttp.Response r, String what) {
        assertTrue(r.status() >= 400 && r.status() < 500, what + " answered " + r.status() + " " + r.body());
        JsonNode json = parseObject(r);
        List<String> problems = new ArrayList<>();
        requireStatusAndMessage(json, r, problems);
        assertEquals(List.of(), problems, what + " answered " + r.status() + " " + r.body());
    }

    @Test
    void a_number_with_an_exponent_beyond_int_range_is_a_400_not_a_500() {
        for (String number : List.of("1e2147483648", "1e-2147483649", "-1E+9999999999")) {
            assertClientError(send("POST", "/users", JSON, "{\"name\":\"a\",\"phone\":\"010-1234-5678\",\"x\":" + number + "}"),
                    "POST /users with " + number);
            assertClientError(send("POST", "/orders", JSON, "{\"user_id\":1,\"name\":\"a\",\"amount\":" + number + "}"),
                    "POST /orders with amount " + number);
            assertClientError(send("POST", "/payments/complete", JSON, "{\"imp_uid\":" + number + ",\"merchant_uid\":\"m\"}"),
                    "POST /payments/complete with " + number);
            assertClientError(send("POST", "/portone-webhook", JSON, "{\"imp_uid\":\"imp_1\",\"amount\":" + number + "}"),
                    "POST /portone-webhook with " + number);
            RawHttp.Response confirm = send("POST", "/payments/confirm", JSON,
                    "{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"m\",\"amount\":" + number + "}");
            assertTrue(confirm.status() >= 400 && confirm.status() < 500, "POST /payments/confirm with " + number
                    + " answered " + confirm.status() + " " + confirm.body());
        }
    }

    @Test
    void a_form_webhook_with_an_unknown_charset_is_a_400_not_a_500() {
        for (String charset : List.of("klingon", "", "../../x", "\"\"")) {
            assertClientError(send("POST", "/portone-webhook", FORM + "; charset=" + charset, "imp_uid=imp_123456789012"),
                    "form webhook with charset=" + charset);
        }
    }

    @Test
    void an_imp_uid_holding_a_nul_character_never_answers_5xx() {
        int before = server.portone.requests().size();
        assertClientError(send("POST", "/payments/complete", JSON, "{\"imp_uid\":\"imp_\\u0000x\",\"merchant_uid\":\"m\"}"),
                "complete with a NUL in imp_uid");
        RawHttp.Response json = send("POST", "/portone-webhook", JSON, "{\"imp_uid\":\"imp_\\u0000x\"}");
        RawHttp.Response form = send("POST", "/portone-webhook", FORM, "imp_uid=imp_%00x");
        for (RawHttp.Response r : List.of(json, form)) {
            assertTrue(r.status() < 500, "webhook with a NUL in imp_uid answered " + r.status() + " " + r.body());
        }
        assertTrue(server.portone.requests().stream().skip(before).noneMatch(x -> x.path().contains("%00")),
                "a control character went to PortOne: " + paths(server.portone.requests()));
    }

    @Test
    void a_percent_u_escape_in_a_path_is_a_400_not_a_500() {
        for (String target : List.of("/users/%u0041", "/users/1%u0031", "/orders/%u0041", "/orders/%uD83D%uDE00")) {
            assertClientError(send("GET", target, null, null), "GET " + target);
        }
    }

    @Test
    void requests_refused_before_routing_still_answer_status_and_message_json() {
        for (String target : List.of("/users/%zz", "/users/%00", "/orders/%FF", "/orders/é", "/users/../../etc/passwd",
                "/users/" + "9".repeat(10_000), "*")) {
            assertClientError(send("GET", target, null, null), "GET " + RawHttp.abbreviate(target));
        }
    }

    @Test
    void a_json_body_with_trailing_garbage_is_refused() {
        int users = server.rows("users");
        assertClientError(send("POST", "/users", JSON, "{\"name\":\"a\",\"phone\":\"010-1234-5678\"} garbage"),
                "POST /users with trailing garbage");
        assertClientError(send("POST", "/users", JSON, "{\"name\":\"a\",\"phone\":\"010-1234-5678\"}]]]"),
                "POST /users with trailing brackets");
        assertEquals(users, server.rows("users"));
    }

    @Test
    void a_name_with_a_lone_surrogate_is_refused_or_stored_exactly() {
        RawHttp.Response r = send("POST", "/users", JSON, "{\"name\":\"a\\ud800b\",\"phone\":\"010-1234-5678\"}");
        if (r.status() == 201) {
            String shown = parseObject(r).path("name").asText();
            assertEquals("a\\ud800b", escapeNonAscii(shown), "201, but the stored name differs from the accepted one");
        } else {
            assertClientError(r, "POST /users with a lone surrogate");
        }
    }
}
