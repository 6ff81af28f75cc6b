package dev.portoneverify.robustness;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of the inputs attackers and broken clients send: SQL and script fragments, unicode
 * oddities, wrong JSON types, absurd numbers, invalid UTF-8, deep nesting, long strings. The same
 * seed always gives the same values, so a failing case can be replayed.
 */
final class Hostile {
    static final List<String> SQL = List.of(
            "'; DROP TABLE orders; --", "' OR '1'='1", "1; DELETE FROM users", "\" OR \"\"=\"", "admin'--",
            "1' UNION SELECT imp_uid, amount FROM payments --", "%' AND 1=1 --", "'); PRAGMA writable_schema=1; --",
            "'; ATTACH DATABASE '/tmp/x.db' AS x; --", "1 OR 1=1", "order_%", "_", "%");
    static final List<String> SCRIPT = List.of(
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
            "javascript:alert(1)", "{{7*7}}", "${7*7}", "#{7*7}", "${jndi:ldap://127.0.0.1/a}", "<!--", "]]>");
    static final List<String> TRAVERSAL = List.of(
            "../../etc/passwd", "..\\..\\windows\\win.ini", "%2e%2e%2f", "....//", "/", ".", "..", "..;/",
            "%252e%252e%252f", "/payments/cancel", "?include_sandbox=true", "#", "imp_1/../../users/getToken");
    /** Unicode that renders oddly or is invisible; every entry is well-formed UTF-16. */
    static final List<String> ODD = List.of(
            "\u202e", "\u202egnp.exe", "\u200f", "\u200b", "\ufeff", "\u0000", "a\u0000b", "😀", "👨‍👩‍👧‍👦",
            "e\u0301", "ｆｕｌｌ", "\u00a0", "\u2028", "\u2029", "\r\n", "\t", "Ω", "한글", "\uffff", "\ufffd",
            "\u001b[31m", "\u0007", "\u007f", "\u0085", "𝕏", "ﷺ", "\ud83c\udff3\ufe0f\u200d\ud83c\udf08");
    static final List<String> LONE_SURROGATES = List.of("\ud800", "\udfff", "a\ud83d", "\ude00b");
    /** Raw JSON number texts; the last two overflow BigDecimal's int exponent. */
    static final List<String> NUMBERS = List.of(
            "0", "-0", "-0.0", "0.0", "-1", "1", "0.5", "1.0", "14.2", "14.25", "14.255", "1.5e1", "1E2", "2e0",
            "15000", "15000.0", "15000.00", "-15000", "1e400", "-1e400", "1E+400", "1e-400", "0.000001",
            "99999999999999999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
            "100000000000", "100000000001", "1e11", "1.00000000000000000001", "3.14159265358979323846264338327950288",
            "1e2147483648", "1e-2147483649");
    /** Texts that are not JSON at all, whatever field they sit in. */
    static final List<String> NOT_JSON = List.of(
            "NaN", "Infinity", "-Infinity", "undefined", "'single'", "01", "+1", ".5", "1.", "0x10", "tru", "nul",
            "\"unterminated", "1e", "--1", "[1,]", "{,}", "\"\\x41\"", "\"\\u12\"", "\"a\"\"b\"", "[", "}", "");
    static final List<String> NUMERIC_STRINGS = List.of(
            "15000", "1e400", "NaN", "-0", "0", "", " ", "1", "99999999999999999999999", "15,000", "₩15000", "0x3A98");
    static final List<String> EXTRA_KEYS = List.of(
            "", " ", "__proto__", "constructor", "prototype", "id", "$where", "a.b", "a[0]", "\u0000", "😀",
            "status", "imp_uid", "merchant_uid", "amount", "vbank_num", "is_admin", "created_at", "x".repeat(300));

    private static final String ALPHABET = "abcXYZ019 -_.'\"\\/<>&;%$#@!?=+*()[]{}|`~^:,가나다한글ㄱ"
            + "\u0000\u0001\u001f\u007f\u00a0\u00ff\u0100\u202e\u200b\u2028\ufeff\ufffd\uffff";
    private static final List<String> ASTRAL = List.of("😀", "𝕏", "🏳️‍🌈", "𠜎");

    private final Random random;

    Hostile(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    int between(int lo, int hiInclusive) {
        return lo + random.nextInt(hiInclusive - lo + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** 0-60 chars mixing the fragment lists with random characters; never a lone surrogate. */
    String shortString() {
        StringBuilder s = new StringBuilder();
        int parts = between(1, 3);
        for (int i = 0; i < parts; i++) {
            switch (random.nextInt(6)) {
                case 0 -> s.append(pick(SQL));
                case 1 -> s.append(pick(SCRIPT));
                case 2 -> s.append(pick(TRAVERSAL));
                case 3 -> s.append(pick(ODD));
                default -> s.append(randomChars(between(0, 12)));
            }
        }
        return s.length() <= 60 ? s.toString() : safeCut(s.toString(), 60);
    }

    /** 10,000-60,000 chars: a repeated fragment or random characters. */
    String longString() {
        int n = between(10_000, 60_000);
        if (chance(0.5)) {
            String unit = pick(List.of("x", "가", "😀", "'; DROP TABLE orders; --", "<script>", "\u0000", "9"));
            StringBuilder s = new StringBuilder(n + unit.length());
            while (s.length() < n) {
                s.append(unit);
            }
            return safeCut(s.toString(), n);
        }
        return randomChars(n);
    }

    String randomChars(int n) {
        StringBuilder s = new StringBuilder(n + 1);
        while (s.length() < n) {
            if (random.nextInt(20) == 0) {
                s.append(pick(ASTRAL));
            } else {
                s.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return safeCut(s.toString(), n);
    }

    byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A byte sequence that is not UTF-8: overlong, surrogate, out of range, truncated, stray continuation. */
    byte[] invalidUtf8() {
        return HexFormat.of().parseHex(pick(List.of(
                "c0af", "eda080", "edbfbf", "f888808080", "80", "ff", "fe", "e282", "f4908080", "c0", "e0808f",
                "f08282ac", "c1bf", "ed9fbf80")));
    }

    /** Cuts without splitting a surrogate pair, so the result stays well-formed. */
    static String safeCut(String s, int n) {
        if (s.length() <= n) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(n - 1)) ? n - 1 : n;
        return s.substring(0, end);
    }

    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    // ---- JSON values

    enum Kind { STRING, NUMBER, BOOLEAN, NULL, ARRAY, OBJECT, NOT_JSON }

    /**
     * A JSON value as raw text. {@code decoded} is the Java value a correct parser yields (a String or a
     * BigDecimal, null for other kinds or a number no BigDecimal can hold). {@code doubtful} marks values
     * that are valid JSON but that a server may fairly refuse even in an ignored field (deep nesting,
     * exponents beyond BigDecimal's range): a body holding one is judged "either".
     */
    record Value(String json, Kind kind, Object decoded, boolean doubtful) {
        String text() {
            return kind == Kind.STRING ? (String) decoded : null;
        }

        BigDecimal number() {
            return kind == Kind.NUMBER ? (BigDecimal) decoded : null;
        }
    }

    Value string(String s) {
        return new Value(quote(s, Hostile.hasLoneSurrogate(s) || chance(0.3)), Kind.STRING, s, false);
    }

    static Value number(String raw) {
        BigDecimal decoded;
        try {
            decoded = new BigDecimal(raw);
        } catch (NumberFormatException e) {
            decoded = null;
        }
        return new Value(raw, Kind.NUMBER, decoded, decoded == null);
    }

    static Value literal(String json, Kind kind) {
        return new Value(json, kind, null, false);
    }

    Value anyNumber() {
        if (chance(0.6)) {
            return number(pick(NUMBERS));
        }
        return switch (random.nextInt(3)) {
            case 0 -> number(Long.toString(random.nextLong() % 1_000_000_000_000L));
            case 1 -> number(BigDecimal.valueOf(random.nextInt(2_000_000) - 1_000_000, between(0, 6)).toPlainString());
            default -> number(between(1, 9) + "e" + (between(0, 1) == 0 ? "-" : "") + between(0, 999));
        };
    }

    /** Any kind of value, hostile where it can be. */
    Value anyValue() {
        return switch (random.nextInt(12)) {
            case 0, 1, 2 -> string(shortString());
            case 3 -> string(pick(NUMERIC_STRINGS));
            case 4, 5 -> anyNumber();
            case 6 -> literal(random.nextBoolean() ? "true" : "false", Kind.BOOLEAN);
            case 7 -> literal("null", Kind.NULL);
            case 8 -> array(between(0, 2));
            case 9 -> object(between(0, 2));
            case 10 -> string(pick(LONE_SURROGATES) + shortString());
            default -> literal(pick(NOT_JSON), Kind.NOT_JSON);
        };
    }

    /** Any value that is not a JSON string (and is valid JSON). */
    Value notAString() {
        return switch (random.nextInt(5)) {
            case 0 -> anyNumber();
            case 1 -> literal(random.nextBoolean() ? "true" : "false", Kind.BOOLEAN);
            case 2 -> array(between(0, 2));
            case 3 -> object(between(0, 2));
            default -> literal("[" + string(shortString()).json() + "]", Kind.ARRAY);
        };
    }

    /** Any value that is not a JSON number (and is valid JSON). */
    Value notANumber() {
        return switch (random.nextInt(5)) {
            case 0, 1 -> string(pick(NUMERIC_STRINGS));
            case 2 -> literal(random.nextBoolean() ? "true" : "false", Kind.BOOLEAN);
            case 3 -> literal("[" + pick(List.of("15000", "1", "-1")) + "]", Kind.ARRAY);
            default -> literal("{\"value\":" + pick(List.of("15000", "1")) + "}", Kind.OBJECT);
        };
    }

    Value array(int depth) {
        List<String> items = new ArrayList<>();
        int n = between(0, 3);
        for (int i = 0; i < n; i++) {
            items.add(depth == 0 ? scalarJson() : (random.nextBoolean() ? array(depth - 1) : object(depth - 1)).json());
        }
        return literal("[" + String.join(",", items) + "]", Kind.ARRAY);
    }

    Value object(int depth) {
        List<String> items = new ArrayList<>();
        int n = between(0, 3);
        for (int i = 0; i < n; i++) {
            String value = depth == 0 ? scalarJson() : (random.nextBoolean() ? array(depth - 1) : object(depth - 1)).json();
            items.add(quote(pick(EXTRA_KEYS), false) + ":" + value);
        }
        return literal("{" + String.join(",", items) + "}", Kind.OBJECT);
    }

    private String scalarJson() {
        return switch (random.nextInt(4)) {
            case 0 -> string(shortString()).json();
            case 1 -> anyNumber().json();
            case 2 -> "null";
            default -> "true";
        };
    }

    /** {@code levels} nested arrays or objects around a string: valid JSON, absurdly deep. */
    Value deep(int levels) {
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return new Value(open.repeat(levels) + "\"x\"" + close.repeat(levels), arrays ? Kind.ARRAY : Kind.OBJECT, null,
                true);
    }

    /**
     * A JSON string literal for {@code s}. With {@code escapeAll} every non-ASCII or control character
     * becomes {@code \\uXXXX} (the only way to send a lone surrogate); otherwise they go raw as UTF-8.
     */
    static String quote(String s, boolean escapeAll) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || (escapeAll && c > 0x7e) || (Character.isSurrogate(c) && !pairAt(s, i))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static boolean pairAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
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
