package dev.portoneverify.robustness;

import static dev.portoneverify.robustness.Hostile.JSON;
import static dev.portoneverify.robustness.Hostile.quote;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.robustness.Hostile.Attack;
import dev.portoneverify.robustness.Hostile.Reply;
import dev.portoneverify.robustness.Hostile.Rows;
import dev.portoneverify.testsupport.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * POST /payments/confirm (PortOne's Confirm Process) against hostile input. It never calls PortOne
 * and never changes an order; a readable call about one of our orders is decided (200 confirmed only
 * for its exact amount and currency) and leaves one history row; anything else is 400 with
 * {@code {"reason": "잘못된 요청입니다 (...)"}}, the one field PortOne shows the buyer, and no row.
 */
class HostileConfirmTest {
    @RegisterExtension
    static final TestServer server = Hostile.server();
    private static final String PATH = "/payments/confirm";
    private static final String MALFORMED = "잘못된 요청입니다 (";
    private static final AtomicLong IMP_UIDS = new AtomicLong(400_000_000_000L);
    private static String payable;

    private final Hostile hostile = new Hostile(server);

    @BeforeAll
    static void aPayableOrderOf15000Won() {
        payable = server.createOrder(15000);
    }

    private static String body(String impUid, String merchantUid, String amount, String currency) {
        return "{\"imp_uid\":" + impUid + ",\"merchant_uid\":" + merchantUid + ",\"amount\":" + amount
                + (currency == null ? "" : ",\"currency\":" + currency) + "}";
    }

    private static String fresh() {
        return "imp_" + IMP_UIDS.incrementAndGet();
    }

    /**
     * Sends {@code attack} about the payable order with imp_uid {@code impUid}; it must be answered
     * {@code status} with {@code field} = {@code text}, and leave one history row (source confirm,
     * {@code outcome}) for that imp_uid and nothing else.
     */
    private void decided(Attack attack, String impUid, int status, String field, String text, String outcome)
            throws InterruptedException {
        Reply reply = hostile.send(attack);
        assertEquals(status, reply.status(), attack + ": " + reply.response().body());
        assertEquals(text, reply.text(field), attack.name());
        assertEquals(List.of(), Hostile.paths(reply.portoneCalls()), attack + ": PortOne was called");
        // the row is written just after the answer (PortOne waits 10 s at most for it)
        long deadline = System.nanoTime() + 5_000_000_000L;
        Rows after = hostile.rows();
        while (after.tables().get("payment_history").size() == reply.before().tables().get("payment_history").size()
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
            after = hostile.rows();
        }
        List<Map<String, Object>> rows = after.addedTo("payment_history", reply.before());
        assertEquals(1, rows.size(), attack + ": history rows " + rows);
        assertTrue(after.sameExcept(reply.before(), "payment_history"), attack + ": orders or payments changed");
        Map<String, Object> row = rows.get(0);
        assertEquals(List.of("confirm", outcome, impUid, payable),
                List.of(row.get("source"), row.get("outcome"), row.get("imp_uid"), row.get("merchant_uid")), attack.name());
    }

    private void confirmed(Attack attack, String impUid) throws InterruptedException {
        decided(attack, impUid, 200, "status", "confirmed", "confirmed");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"15000 | ", "15000.0 | ", "\"15000\" | ", "\"15000.00\" | ", "1.5e4 | ",
            "15000 | \"KRW\"", "15000 | \"krw\"", "15000 | \" KRW \"", "15000 | null"})
    void the_exact_amount_as_a_number_or_decimal_text_in_the_orders_currency_is_200_confirmed(String amount,
                                                                                           String currency)
            throws InterruptedException {
        String impUid = fresh();
        confirmed(Attack.json("amount " + amount + " currency " + currency, PATH,
                body(quote(impUid), quote(payable), amount, currency)), impUid);
    }

    static Stream<String> plainAttackTexts() {
        return Stream.of(Hostile.SQL, Hostile.SCRIPT, Hostile.TRAVERSAL, Hostile.ODD_BUT_PLAIN).flatMap(List::stream);
    }

    @ParameterizedTest
    @MethodSource("plainAttackTexts")
    void an_imp_uid_of_sql_script_path_or_odd_unicode_text_is_confirmed_and_recorded_exactly(String text)
            throws InterruptedException {
        String impUid = text + " " + IMP_UIDS.incrementAndGet();
        confirmed(Attack.json("imp_uid " + impUid, PATH, body(quote(impUid), quote(payable), "15000", null)), impUid);
    }

    @Test
    void a_form_body_is_read_like_json() throws InterruptedException {
        String impUid = fresh();
        confirmed(Attack.post("form", PATH, Hostile.FORM, ("imp_uid=" + impUid + "&merchant_uid=" + payable
                + "&amount=15000&currency=KRW").getBytes(UTF_8)), impUid);
    }

    @ParameterizedTest
    @ValueSource(strings = {"14999", "15001", "1", "15000.5", "\"14999\"", "0", "-15000", "150000", "1e4", "\"-15000\""})
    void another_amount_is_400_with_the_orders_amount_as_the_reason(String amount) throws InterruptedException {
        String impUid = fresh();
        decided(Attack.json("amount " + amount, PATH, body(quote(impUid), quote(payable), amount, null)), impUid, 400,
                "reason", "결제 금액이 주문 금액과 다릅니다 (order 15000 KRW)", "confirm_refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"USD", "usd", "JPY", "XXX", "ABC", "가", "%", "'"})
    void another_currency_is_400_with_the_orders_currency_as_the_reason(String currency) throws InterruptedException {
        String impUid = fresh();
        decided(Attack.json("currency " + currency, PATH, body(quote(impUid), quote(payable), "15000", quote(currency))),
                impUid, 400, "reason", "결제 통화가 주문 통화와 다릅니다 (order KRW)", "confirm_refused");
    }

    @ParameterizedTest
    @MethodSource("plainAttackTexts")
    void a_merchant_uid_that_is_not_ours_is_404_and_leaves_no_row(String merchantUid) {
        hostile.refusedWithReason(Attack.json("merchant_uid " + merchantUid, PATH,
                body(quote(fresh()), quote(merchantUid), "15000", null)), 404, "주문을 찾을 수 없습니다 (unknown order)");
    }

    static Stream<String> malformedAmounts() {
        return Stream.of(Stream.of("\"1e400\"", "\"NaN\"", "\"\"", "\" \"", "\"15,000\"", "\"₩15000\"", "\"0x3A98\"",
                        "\"15000 \"", "\"+15000\"", "\"1234567890123456\"", "\"1.1234567\"", "true", "false", "[15000]",
                        "{\"value\":15000}", "null", "1e400", "-1e400", "1e-400", "99999999999999999999999",
                        "1.00000000000000000001"), Hostile.UNREADABLE_NUMBERS.stream()).flatMap(s -> s);
    }

    @ParameterizedTest
    @MethodSource("malformedAmounts")
    void an_amount_that_is_no_plausible_number_is_400_malformed_and_leaves_no_row(String amount) {
        hostile.refusedWithReason(Attack.json("amount " + amount, PATH, body(quote(fresh()), quote(payable), amount, null)),
                400, MALFORMED);
    }

    @ParameterizedTest
    @MethodSource("dev.portoneverify.robustness.HostileCompleteTest#refusedTexts")
    void an_imp_uid_or_merchant_uid_with_control_characters_lone_surrogates_blank_or_too_long_is_400_malformed(
            String json) {
        hostile.refusedWithReason(Attack.json("imp_uid " + json, PATH, body(json, quote(payable), "15000", null)), 400,
                MALFORMED);
        hostile.refusedWithReason(Attack.json("merchant_uid " + json, PATH, body(quote(fresh()), json, "15000", null)),
                400, MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"KRWW\"", "\"\"", "\" \"", "\"K\\u0000W\"", "\"'; DROP TABLE orders; --\"", "15000", "true",
            "[\"KRW\"]", "{}"})
    void a_currency_that_is_no_three_letter_text_is_400_malformed(String currency) {
        hostile.refusedWithReason(Attack.json("currency " + currency, PATH,
                body(quote(fresh()), quote(payable), "15000", currency)), 400, MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"m\"}", "{\"merchant_uid\":\"m\",\"amount\":1}",
            "{\"imp_uid\":\"imp_1\",\"amount\":1}"})
    void a_call_missing_a_field_is_400_malformed(String json) {
        hostile.refusedWithReason(Attack.json(json, PATH, json), 400, MALFORMED);
    }

    @Test
    void keys_the_server_does_not_know_are_ignored_and_a_duplicate_amount_counts_with_its_last_value()
            throws InterruptedException {
        for (String key : Hostile.EXTRA_KEYS) {
            if (!List.of("imp_uid", "merchant_uid", "amount").contains(key)) {
                String impUid = fresh();
                confirmed(Attack.json("extra " + key, PATH, Hostile.withExtra(body(quote(impUid), quote(payable), "15000",
                        null), key, "\"x\"")), impUid);
            }
        }
        String impUid = fresh();
        confirmed(Attack.json("amount twice", PATH, body(quote(impUid), quote(payable), "1", null)
                .replace("}", ",\"amount\":15000}")), impUid);
    }

    static List<Attack> brokenBodies() {
        List<Attack> attacks = new ArrayList<>(Hostile.brokenJson(PATH, body("\"imp_1\"", "\"order_1\"", "15000", null)));
        attacks.addAll(Hostile.notJsonTypes(PATH, body("\"imp_1\"", "\"order_1\"", "15000", null)));
        return attacks;
    }

    @ParameterizedTest
    @MethodSource("brokenBodies")
    void a_body_that_is_not_one_readable_json_object_or_form_is_400_malformed(Attack attack) {
        hostile.refusedWithReason(attack, 400, MALFORMED);
    }

    static List<Attack> oversized() {
        return Hostile.oversized(PATH, JSON, body("\"imp_1\"", "\"order_1\"", "15000", null));
    }

    @ParameterizedTest
    @MethodSource("oversized")
    void a_body_over_64_kib_is_413_body_too_large(Attack attack) {
        hostile.refused(attack, 413, "body_too_large");
    }

    @Test
    void a_body_of_exactly_64_kib_in_utf_16_or_behind_a_byte_order_mark_is_read() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            String impUid = fresh();
            String valid = body(quote(impUid), quote(payable), "15000", null);
            List<Attack> forms = new ArrayList<>(Hostile.otherEncodings(PATH, valid));
            forms.add(Attack.post("exactly 64 KiB", PATH, JSON, Hostile.padded(valid, Hostile.MAX_BODY)));
            forms.add(forms.get(2).inChunks());
            confirmed(forms.get(i), impUid);
        }
    }
}
