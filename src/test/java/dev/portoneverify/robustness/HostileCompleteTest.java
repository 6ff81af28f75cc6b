package dev.portoneverify.robustness;

import static dev.portoneverify.robustness.Hostile.JSON;
import static dev.portoneverify.robustness.Hostile.quote;
import static dev.portoneverify.robustness.Hostile.rawQuote;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portoneverify.robustness.Hostile.Attack;
import dev.portoneverify.robustness.Hostile.Reply;
import dev.portoneverify.testsupport.FaultProxy.Recorded;
import dev.portoneverify.testsupport.TestServer;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * POST /payments/complete (the browser's report) against hostile input. PortOne (the sandbox) knows
 * none of the payments named here, so a well-formed report is answered 404 unknown_payment after one
 * lookup of exactly that imp_uid, and stores nothing (issue 15); anything else is refused without
 * asking PortOne.
 */
class HostileCompleteTest {
    @RegisterExtension
    static final TestServer server = Hostile.server();
    private static final AtomicLong IMP_UIDS = new AtomicLong(100_000_000_000L);
    private static String existing;

    private final Hostile hostile = new Hostile(server);

    @BeforeAll
    static void anOrder() {
        existing = server.createOrder(15000);
    }

    @AfterAll
    static void noHostileReportMadeTheServerRefund() {
        assertEquals(List.of(), server.portone.cancels());
    }

    private static String body(String impUid, String merchantUid) {
        return "{\"imp_uid\":" + impUid + ",\"merchant_uid\":" + merchantUid + "}";
    }

    private static String freshImpUid() {
        return "imp_" + IMP_UIDS.incrementAndGet();
    }

    /** Answered 404 unknown_payment after at most one PortOne lookup, of {@code impUid}; no row changed. */
    static void unknownPayment(Hostile hostile, Attack attack, int status, String impUid) {
        Reply reply = hostile.send(attack);
        assertEquals(status + " unknown_payment", reply.status() + " " + reply.text("status"),
                attack + ": " + reply.response().body());
        assertEquals(reply.before(), reply.after(), attack + ": an unknown payment changed the database");
        List<Recorded> lookups = reply.portoneCalls().stream().filter(c -> !c.path().equals("/users/getToken")).toList();
        assertEquals(1, lookups.size(), attack + ": " + Hostile.paths(reply.portoneCalls()));
        assertEquals("GET", lookups.get(0).method(), attack.name());
        assertEquals("/payments/" + impUid, URLDecoder.decode(lookups.get(0).path(), UTF_8), attack + ": PortOne was asked");
    }

    @Test
    void a_well_formed_report_of_a_payment_portone_does_not_know_is_404_unknown_payment_and_stores_nothing() {
        String impUid = freshImpUid();
        unknownPayment(hostile, Attack.json("unknown payment", "/payments/complete", body(quote(impUid), quote(existing))),
                404, impUid);
        String other = freshImpUid();
        unknownPayment(hostile, Attack.json("unknown payment and order", "/payments/complete",
                body(quote(other), quote("order_4f2a9c"))), 404, other);
    }

    static Stream<String> plainAttackTexts() {
        return Stream.of(Hostile.SQL, Hostile.SCRIPT, Hostile.TRAVERSAL, Hostile.ODD_BUT_PLAIN).flatMap(List::stream);
    }

    @ParameterizedTest
    @MethodSource("plainAttackTexts")
    void an_imp_uid_of_sql_script_path_or_odd_unicode_text_is_looked_up_exactly_as_sent_and_unknown(String text) {
        String impUid = text + " " + IMP_UIDS.incrementAndGet();   // a fresh one: no answer from the unknown cache
        unknownPayment(hostile, Attack.json("imp_uid " + impUid, "/payments/complete",
                body(quote(impUid), quote(existing))), 404, impUid);
        String raw = IMP_UIDS.incrementAndGet() + text;
        unknownPayment(hostile, Attack.json("raw imp_uid " + raw, "/payments/complete",
                body(rawQuote(raw), rawQuote(text))), 404, raw);
    }

    @ParameterizedTest
    @MethodSource("refusedTexts")
    void an_imp_uid_or_merchant_uid_with_control_characters_lone_surrogates_blank_or_too_long_is_400(String json) {
        hostile.refused(Attack.json("imp_uid " + json, "/payments/complete", body(json, quote(existing))), 400,
                "invalid_request");
        hostile.refused(Attack.json("merchant_uid " + json, "/payments/complete", body(quote(freshImpUid()), json)), 400,
                "invalid_request");
    }

    static Stream<String> refusedTexts() {
        return Stream.of(Hostile.UNSAFE.stream().map(Hostile::quote), Hostile.BLANK.stream().map(Hostile::quote),
                Hostile.LONE_SURROGATES.stream().map(s -> "\"" + s + "\""),
                Stream.of(quote("x".repeat(65)), quote("'; DROP TABLE orders; --".repeat(2000))),
                Hostile.NOT_STRINGS.stream(), Stream.of("null")).flatMap(s -> s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"merchant_uid\":\"m\"}", "{\"imp_uid\":\"imp_1\"}", "{}", "{\"IMP_UID\":\"imp_1\",\"merchant_uid\":\"m\"}",
            "{\"paymentId\":\"pay_1\"}", "{\"paymentId\":\"pay_1\",\"imp_uid\":\"imp_1\",\"merchant_uid\":\"m\"}"})
    void a_report_missing_a_field_or_in_v2_form_on_a_v1_shop_is_400(String json) {
        hostile.refused(Attack.json(json, "/payments/complete", json), 400, "invalid_request");
    }

    @Test
    void keys_the_server_does_not_know_are_ignored() {
        for (String key : Hostile.EXTRA_KEYS) {
            if (key.equals("imp_uid") || key.equals("merchant_uid")) {
                continue;   // a duplicate key, below
            }
            String impUid = freshImpUid();
            unknownPayment(hostile, Attack.json("extra " + key, "/payments/complete",
                    Hostile.withExtra(body(quote(impUid), quote(existing)), key, "\"paid\"")), 404, impUid);
        }
    }

    @Test
    void a_duplicate_imp_uid_counts_once_with_its_last_value() {
        String last = freshImpUid();
        unknownPayment(hostile, Attack.json("imp_uid twice", "/payments/complete",
                "{\"imp_uid\":\"imp_1\",\"merchant_uid\":\"" + existing + "\",\"imp_uid\":\"" + last + "\"}"), 404, last);
    }

    static List<Attack> brokenBodies() {
        return Hostile.brokenJson("/payments/complete", body(quote("imp_123456789012"), quote("order_1")));
    }

    @ParameterizedTest
    @MethodSource("brokenBodies")
    void a_body_that_is_not_one_readable_json_object_is_400_invalid_request(Attack attack) {
        hostile.refused(attack, 400, "invalid_request");
    }

    static List<Attack> notJsonTypes() {
        List<Attack> attacks = new ArrayList<>(Hostile.notJsonTypes("/payments/complete",
                body(quote("imp_123456789012"), quote("order_1"))));
        attacks.add(Attack.post("a form", "/payments/complete", Hostile.FORM,
                "imp_uid=imp_123456789012&merchant_uid=order_1".getBytes(UTF_8)));
        return attacks;
    }

    @ParameterizedTest
    @MethodSource("notJsonTypes")
    void a_body_not_sent_as_json_is_415_unsupported_media_type(Attack attack) {
        hostile.refused(attack, 415, "unsupported_media_type");
    }

    static List<Attack> oversized() {
        return Hostile.oversized("/payments/complete", JSON, body(quote("imp_123456789012"), quote("order_1")));
    }

    @ParameterizedTest
    @MethodSource("oversized")
    void a_body_over_64_kib_is_413_body_too_large(Attack attack) {
        hostile.refused(attack, 413, "body_too_large");
    }

    @Test
    void a_body_of_exactly_64_kib_in_utf_16_or_behind_a_byte_order_mark_is_read() {
        for (int i = 0; i < 4; i++) {
            String impUid = freshImpUid();
            String valid = body(quote(impUid), quote(existing));
            List<Attack> forms = new ArrayList<>(Hostile.otherEncodings("/payments/complete", valid));
            forms.add(Attack.post("exactly 64 KiB", "/payments/complete", JSON, Hostile.padded(valid, Hostile.MAX_BODY)));
            forms.add(forms.get(2).inChunks());
            unknownPayment(hostile, forms.get(i), 404, impUid);
        }
    }

    @Test
    void a_number_beyond_bigdecimals_exponent_as_the_imp_uid_is_400_not_a_500() {
        for (String number : Hostile.UNREADABLE_NUMBERS) {
            hostile.refused(Attack.json("imp_uid " + number, "/payments/complete", body(number, "\"m\"")), 400,
                    "invalid_request");
        }
    }
}
