package dev.portoneverify.robustness;

import static dev.portoneverify.robustness.Hostile.JSON;
import static dev.portoneverify.robustness.Hostile.quote;
import static dev.portoneverify.robustness.Hostile.rawQuote;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.robustness.Hostile.Attack;
import dev.portoneverify.robustness.Hostile.Reply;
import dev.portoneverify.testsupport.TestServer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /orders and GET /orders/{merchant_uid} against hostile input, each case with the answer it deserves. */
class HostileOrdersTest {
    @RegisterExtension
    static final TestServer server = Hostile.server();
    private static long userId;
    private static String existing;

    private final Hostile hostile = new Hostile(server);

    @BeforeAll
    static void aBuyerWithAnOrder() {
        userId = server.createUser("기존 고객", "010-5555-0001");
        existing = server.createOrder(userId, Map.of("user_id", userId, "name", "기존 주문", "amount", 15000));
    }

    private static String body(String userIdJson, String name, String amount, String currency) {
        return "{\"user_id\":" + userIdJson + ",\"name\":" + name + ",\"amount\":" + amount
                + (currency == null ? "" : ",\"currency\":" + currency) + "}";
    }

    private static String valid() {
        return body(Long.toString(userId), "\"노트북 거치대\"", "15000", null);
    }

    /** Sends {@code attack}; it must create one pending order of exactly that name and money, registered at PortOne. */
    private void created(Attack attack, String name, String amount, String currency) {
        Reply reply = hostile.send(attack);
        assertEquals(201 + " pending", reply.status() + " " + reply.text("status"), attack + ": " + reply.response().body());
        List<Map<String, Object>> added = reply.after().addedTo("orders", reply.before());
        assertEquals(1, added.size(), attack + ": orders added " + added);
        assertTrue(reply.after().sameExcept(reply.before(), "orders"), attack + ": another table changed");
        Map<String, Object> row = added.get(0);
        String merchantUid = (String) row.get("merchant_uid");
        assertEquals(merchantUid, reply.text("merchant_uid"), attack.name());
        assertEquals(name, row.get("name"), attack + ": the stored name");
        assertEquals(0, new BigDecimal(amount).compareTo(new BigDecimal(row.get("amount").toString())),
                attack + ": the stored amount " + row.get("amount"));
        assertEquals(currency, row.get("currency"), attack + ": the stored currency");
        assertEquals("pending", row.get("status"), attack.name());
        assertNull(row.get("imp_uid"), attack + ": a new order has no payment, whatever the body says");
        // PREPARE_AMOUNTS (on by default) registers the new order's amount, and nothing else
        List<String> calls = Hostile.paths(reply.portoneCalls()).stream().filter(c -> !c.equals("POST /users/getToken"))
                .toList();
        assertEquals(List.of("POST /payments/prepare"), calls, attack.name());
        assertTrue(reply.portoneCalls().stream().filter(c -> c.path().equals("/payments/prepare"))
                .allMatch(c -> c.body().contains(merchantUid)), attack + ": prepared another merchant_uid");
    }

    static Stream<String> plainAttackTexts() {
        return Stream.of(Hostile.SQL, Hostile.SCRIPT, Hostile.TRAVERSAL, Hostile.ODD_BUT_PLAIN).flatMap(List::stream);
    }

    @ParameterizedTest
    @MethodSource("plainAttackTexts")
    void an_order_name_of_sql_script_path_or_odd_unicode_text_is_stored_exactly_as_sent(String name) {
        String u = Long.toString(userId);
        created(Attack.json("escaped name " + name, "/orders", body(u, quote(name), "15000", null)), name, "15000", "KRW");
        created(Attack.json("raw name " + name, "/orders", body(u, rawQuote(name), "15000", null)), name, "15000", "KRW");
    }

    @ParameterizedTest
    @MethodSource("unsafeOrBlankNames")
    void an_order_name_with_control_characters_lone_surrogates_blank_or_over_40_characters_is_400(String json) {
        hostile.refused(Attack.json("name " + json, "/orders", body(Long.toString(userId), json, "15000", null)), 400,
                "invalid_request");
    }

    static Stream<String> unsafeOrBlankNames() {
        return Stream.of(Hostile.UNSAFE.stream().map(Hostile::quote), Hostile.BLANK.stream().map(Hostile::quote),
                Hostile.LONE_SURROGATES.stream().map(s -> "\"" + s + "\""),
                Stream.of(quote("x".repeat(41)), quote("가".repeat(10_000)))).flatMap(s -> s);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, KRW", "15000, 15000, KRW", "15000.0, 15000, KRW", "15000.00, 15000, KRW", "1.5e1, 15, KRW",
            "1E2, 100, KRW", "2e0, 2, KRW", "100000000000, 100000000000, KRW", "1e11, 100000000000, KRW",
            "14.25, 14.25, USD", "14.2, 14.2, USD", "1.5, 1.5, EUR", "1000, 1000, JPY"})
    void a_positive_amount_within_its_currencys_decimals_and_the_cap_is_stored_at_its_value(String sent, String stored,
                                                                                        String currency) {
        created(Attack.json("amount " + sent + " " + currency, "/orders", body(Long.toString(userId), "\"주문\"", sent,
                quote(currency))), "주문", stored, currency);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-0", "-0.0", "0.0", "-1", "0.5", "14.2", "14.25", "-15000", "1e400", "-1e400", "1E+400",
            "1e-400", "0.000001", "99999999999999999999999", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "100000000001", "1.00000000000000000001", "3.14159265358979323846264338327950288"})
    void an_amount_that_is_not_positive_has_decimals_krw_lacks_or_exceeds_the_cap_is_400(String amount) {
        hostile.refused(Attack.json("amount " + amount, "/orders", body(Long.toString(userId), "\"주문\"", amount, null)),
                400, "invalid_request");
    }

    @ParameterizedTest
    @MethodSource("dev.portoneverify.robustness.Hostile#notNumbers")
    void an_amount_or_user_id_that_is_not_a_json_number_is_400(String value) {
        String u = Long.toString(userId);
        hostile.refused(Attack.json("amount " + value, "/orders", body(u, "\"주문\"", value, null)), 400, "invalid_request");
        hostile.refused(Attack.json("user_id " + value, "/orders", body(value, "\"주문\"", "15000", null)), 400,
                "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "1.0", "1e0", "1.5", "9223372036854775808", "99999999999999999999999", "null"})
    void a_user_id_that_is_not_a_positive_whole_number_is_400(String id) {
        hostile.refused(Attack.json("user_id " + id, "/orders", body(id, "\"주문\"", "15000", null)), 400, "invalid_request");
    }

    @Test
    void an_order_for_a_user_that_does_not_exist_is_422_unknown_user() {
        hostile.refused(Attack.json("user_id 999999", "/orders", body("999999", "\"주문\"", "15000", null)), 422,
                "unknown_user");
    }

    @ParameterizedTest
    @CsvSource({"krw, KRW", "' KRW ', KRW", "usd, USD", "Krw, KRW"})
    void a_currency_in_any_case_or_with_spaces_is_stored_as_its_iso_code(String sent, String stored) {
        created(Attack.json("currency " + sent, "/orders", body(Long.toString(userId), "\"주문\"", "1000", quote(sent))),
                "주문", "1000", stored);
    }

    @ParameterizedTest
    @ValueSource(strings = {"XXX", "XAU", "ABC", "KRWW", "", " ", "한국", "K\u0000W", "'; DROP TABLE orders; --", "$$$",
            "\u202eKRW"})
    void a_currency_that_is_no_iso_money_code_is_400(String currency) {
        hostile.refused(Attack.json("currency " + currency, "/orders", body(Long.toString(userId), "\"주문\"", "1000",
                quote(currency))), 400, "invalid_request");
        for (String notText : Hostile.NOT_STRINGS) {
            hostile.refused(Attack.json("currency " + notText, "/orders", body(Long.toString(userId), "\"주문\"", "1000",
                    notText)), 400, "invalid_request");
        }
    }

    @Test
    void keys_the_server_does_not_know_are_ignored_so_no_client_chooses_a_merchant_uid_status_or_payment() {
        for (String key : Hostile.EXTRA_KEYS) {
            for (String value : Stream.concat(Stream.of("\"paid\"", "\"" + existing + "\""), Hostile.EXTRA_VALUES.stream())
                    .toList()) {
                // the extra key goes first: where it repeats a real field (amount), the real value, last, counts
                created(Attack.json("extra " + key + "=" + value, "/orders", Hostile.withExtra(valid(), key, value)),
                        "노트북 거치대", "15000", "KRW");
            }
        }
    }

    @Test
    void a_duplicate_key_counts_once_with_its_last_value() {
        String twice = "{\"user_id\":" + userId + ",\"name\":\"주문\",\"amount\":1,\"amount\":15000}";
        created(Attack.json("amount twice", "/orders", twice), "주문", "15000", "KRW");
        hostile.refused(Attack.json("amount twice, the last 0", "/orders",
                "{\"user_id\":" + userId + ",\"name\":\"주문\",\"amount\":15000,\"amount\":0}"), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"user_id", "name", "amount"})
    void a_body_missing_a_required_field_is_400(String field) {
        String json = valid().replaceFirst("\"" + field + "\":[^,}]*,?", "").replace(",}", "}");
        hostile.refused(Attack.json("no " + field + ": " + json, "/orders", json), 400, "invalid_request");
    }

    static List<Attack> brokenBodies() {
        return Hostile.brokenJson("/orders", "{\"user_id\":1,\"name\":\"노트북 거치대\",\"amount\":15000}");
    }

    @ParameterizedTest
    @MethodSource("brokenBodies")
    void a_body_that_is_not_one_readable_json_object_is_400_invalid_request(Attack attack) {
        hostile.refused(attack, 400, "invalid_request");
    }

    static List<Attack> notJsonTypes() {
        return Hostile.notJsonTypes("/orders", "{\"user_id\":1,\"name\":\"노트북 거치대\",\"amount\":15000}");
    }

    @ParameterizedTest
    @MethodSource("notJsonTypes")
    void a_body_not_sent_as_json_is_415_unsupported_media_type(Attack attack) {
        hostile.refused(attack, 415, "unsupported_media_type");
    }

    static List<Attack> oversized() {
        return Hostile.oversized("/orders", JSON, "{\"user_id\":1,\"name\":\"노트북 거치대\",\"amount\":15000}");
    }

    @ParameterizedTest
    @MethodSource("oversized")
    void a_body_over_64_kib_is_413_body_too_large(Attack attack) {
        hostile.refused(attack, 413, "body_too_large");
    }

    @Test
    void a_body_of_exactly_64_kib_in_utf_16_or_behind_a_byte_order_mark_is_taken() {
        List<Attack> attacks = new ArrayList<>(Hostile.otherEncodings("/orders", valid()));
        attacks.add(Attack.post("exactly 64 KiB", "/orders", JSON, Hostile.padded(valid(), Hostile.MAX_BODY)));
        attacks.add(Attack.post("exactly 64 KiB", "/orders", JSON, Hostile.padded(valid(), Hostile.MAX_BODY)).inChunks());
        attacks.add(Attack.post("Content-Type APPLICATION/JSON", "/orders", "APPLICATION/JSON", valid().getBytes(UTF_8)));
        for (Attack attack : attacks) {
            created(attack, "노트북 거치대", "15000", "KRW");
        }
    }

    // ---- GET /orders/{merchant_uid}

    @Test
    void an_existing_order_is_200_by_its_merchant_uid_with_or_without_a_query() {
        for (String target : List.of("/orders/" + existing, "/orders/" + existing + "?x=%zz",
                "/orders/" + existing + "?include_sandbox=true", "/orders/" + existing + "?a=" + "b".repeat(3000),
                "/orders/" + existing + "/", "/orders/" + existing + "#frag")) {
            Attack attack = Attack.get(RawHttp.abbreviate(target), target);
            Reply reply = hostile.send(attack);
            assertEquals(200, reply.status(), target + ": " + reply.response().body());
            assertEquals(existing, reply.text("merchant_uid"), target);
            Hostile.unchanged(attack, reply);
        }
    }

    static Stream<String> nearlyExisting() {
        return Stream.of(existing.toUpperCase(Locale.ROOT), existing + " ", " " + existing,
                existing.substring(0, existing.length() - 1) + "%", existing.substring(0, existing.length() - 1) + "_",
                existing.substring(0, 10), "order_%", "%", "_", "*", existing.substring(0, 20) + "' OR '1'='1", existing + "\u200b",
                "o".repeat(40));
    }

    @ParameterizedTest
    @MethodSource({"nearlyExisting", "plainAttackTexts"})
    void a_merchant_uid_of_our_format_but_unknown_like_or_wildcards_is_404_unknown_order(String merchantUid) {
        hostile.refused(Attack.get(merchantUid, "/orders/" + Hostile.percentEncode(merchantUid)), 404, "unknown_order");
    }

    @ParameterizedTest
    @ValueSource(ints = {41, 100, 1_000, 2_000, 5_000})
    void a_merchant_uid_over_40_characters_is_400(int length) {
        hostile.refused(Attack.get(length + " chars", "/orders/" + "o".repeat(length)), 400, "invalid_request");
    }

    static Stream<String> unsafeWithoutNul() {
        return Hostile.UNSAFE.stream().filter(s -> !s.contains("\u0000"));
    }

    @ParameterizedTest
    @MethodSource("unsafeWithoutNul")
    void a_merchant_uid_with_control_characters_or_bidi_marks_is_400(String merchantUid) {
        hostile.refused(Attack.get(merchantUid, "/orders/" + Hostile.percentEncode(merchantUid)), 400, "invalid_request");
    }

    @ParameterizedTest
    @MethodSource("dev.portoneverify.robustness.Hostile#unreadablePaths")
    void a_path_the_http_layer_cannot_read_is_a_4xx_json_answer_that_changes_nothing(String segment, int status,
                                                                                   String word) {
        hostile.refused(Attack.get(RawHttp.abbreviate(segment), "/orders/" + segment), status, word);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "..", "%2e%2e", ".%2e/", "%5c..%5c",
            "1;jsessionid=x", "1%2F2", "%20", "+", "'", "*", "%2F", "a%2Fb", "%2e", "1#frag", "1/", "1?"})
    void a_raw_segment_that_reaches_the_handler_and_names_no_order_is_404_unknown_order(String segment) {
        hostile.refused(Attack.get(segment, "/orders/" + segment), 404, "unknown_order");
    }
}
