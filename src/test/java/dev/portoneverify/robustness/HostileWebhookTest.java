package dev.portoneverify.robustness;

import static dev.portoneverify.robustness.Hostile.FORM;
import static dev.portoneverify.robustness.Hostile.JSON;
import static dev.portoneverify.robustness.Hostile.quote;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portoneverify.robustness.Hostile.Attack;
import dev.portoneverify.testsupport.TestServer;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * POST /portone-webhook, as JSON and as a form, against hostile input. Only imp_uid decides; the
 * merchant_uid and status a webhook carries are hints the server ignores. PortOne (the sandbox) knows
 * none of these payments, so a readable webhook is answered 200 unknown_payment after one lookup of
 * exactly that imp_uid and stores nothing; anything else is refused without asking PortOne.
 */
class HostileWebhookTest {
    @RegisterExtension
    static final TestServer server = Hostile.server();
    private static final String PATH = "/portone-webhook";
    private static final AtomicLong IMP_UIDS = new AtomicLong(200_000_000_000L);
    private static String existing;

    private final Hostile hostile = new Hostile(server);

    @BeforeAll
    static void anOrder() {
        existing = server.createOrder(15000);
    }

    @AfterAll
    static void noHostileWebhookMadeTheServerRefund() {
        assertEquals(List.of(), server.portone.cancels());
    }

    private static String freshImpUid() {
        return "imp_" + IMP_UIDS.incrementAndGet();
    }

    private void unknownPayment(Attack attack, String impUid) {
        HostileCompleteTest.unknownPayment(hostile, attack, 200, impUid);
    }

    private static Attack form(String name, String body) {
        return Attack.post(name, PATH, FORM, body.getBytes(ISO_8859_1));
    }

    private static String encoded(String s) {
        return URLEncoder.encode(s, UTF_8);
    }

    // ---- JSON

    static Stream<String> hints() {
        return Stream.of(Hostile.SQL, Hostile.SCRIPT, Hostile.UNSAFE, List.of("paid", "ready", "failed", "cancelled"))
                .flatMap(List::stream);
    }

    @ParameterizedTest
    @MethodSource("hints")
    void a_json_webhook_is_judged_by_its_imp_uid_alone_whatever_merchant_uid_and_status_say(String hint) {
        String impUid = freshImpUid();
        unknownPayment(Attack.json("hint " + hint, PATH, "{\"imp_uid\":" + quote(impUid) + ",\"merchant_uid\":"
                + quote(hint) + ",\"status\":" + quote(hint) + "}"), impUid);
        String other = freshImpUid();
        unknownPayment(Attack.json("hint of the wrong type", PATH, "{\"imp_uid\":" + quote(other)
                + ",\"merchant_uid\":[1,{}],\"status\":{\"$ne\":null}}"), other);
    }

    static Stream<String> plainAttackTexts() {
        return Stream.of(Hostile.SQL, Hostile.SCRIPT, Hostile.TRAVERSAL, Hostile.ODD_BUT_PLAIN).flatMap(List::stream);
    }

    @ParameterizedTest
    @MethodSource("plainAttackTexts")
    void an_imp_uid_of_sql_script_path_or_odd_unicode_text_is_looked_up_exactly_as_sent(String text) {
        String impUid = text + " " + IMP_UIDS.incrementAndGet();
        unknownPayment(Attack.json("JSON imp_uid " + impUid, PATH, "{\"imp_uid\":" + quote(impUid) + "}"), impUid);
        String formUid = IMP_UIDS.incrementAndGet() + text;
        unknownPayment(form("form imp_uid " + formUid, "imp_uid=" + encoded(formUid) + "&status=paid"), formUid);
    }

    static Stream<String> refusedTexts() {
        return HostileCompleteTest.refusedTexts();
    }

    @ParameterizedTest
    @MethodSource("refusedTexts")
    void a_json_imp_uid_with_control_characters_lone_surrogates_blank_too_long_or_not_a_string_is_400(String json) {
        hostile.refused(Attack.json("imp_uid " + json, PATH, "{\"imp_uid\":" + json + "}"), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"merchant_uid\":\"m\",\"status\":\"paid\"}", "{\"IMP_UID\":\"imp_1\"}",
            "{\"imp_uid \":\"imp_1\"}"})
    void a_json_webhook_without_an_imp_uid_is_400(String json) {
        hostile.refused(Attack.json(json, PATH, json), 400, "invalid_request");
    }

    @Test
    void keys_the_server_does_not_know_are_ignored_and_a_duplicate_imp_uid_counts_with_its_last_value() {
        for (String key : Hostile.EXTRA_KEYS) {
            if (!key.equals("imp_uid")) {
                String impUid = freshImpUid();
                unknownPayment(Attack.json("extra " + key, PATH, Hostile.withExtra("{\"imp_uid\":" + quote(impUid) + "}",
                        key, "\"x\"")), impUid);
            }
        }
        String last = freshImpUid();
        unknownPayment(Attack.json("imp_uid twice", PATH, "{\"imp_uid\":\"imp_1\",\"imp_uid\":\"" + last + "\"}"), last);
    }

    static List<Attack> brokenBodies() {
        return Hostile.brokenJson(PATH, "{\"imp_uid\":\"imp_123456789012\",\"status\":\"paid\"}");
    }

    @ParameterizedTest
    @MethodSource("brokenBodies")
    void a_json_body_that_is_not_one_readable_object_is_400_invalid_request(Attack attack) {
        hostile.refused(attack, 400, "invalid_request");
    }

    static List<Attack> notJsonTypes() {
        return Hostile.notJsonTypes(PATH, "{\"imp_uid\":\"imp_123456789012\"}");
    }

    @ParameterizedTest
    @MethodSource("notJsonTypes")
    void a_body_neither_json_nor_a_form_is_415_unsupported_media_type(Attack attack) {
        hostile.refused(attack, 415, "unsupported_media_type");
    }

    static List<Attack> oversized() {
        List<Attack> attacks = new ArrayList<>(Hostile.oversized(PATH, JSON, "{\"imp_uid\":\"imp_123456789012\"}"));
        for (int size : new int[]{Hostile.MAX_BODY + 1, 100_000, 300_000}) {
            String body = ("imp_uid=imp_123456789012&pad=" + "x".repeat(size)).substring(0, size);
            Attack attack = form("form of " + size + " bytes", body);
            attacks.add(attack);
            attacks.add(attack.inChunks());
        }
        return attacks;
    }

    @ParameterizedTest
    @MethodSource("oversized")
    void a_body_over_64_kib_is_413_body_too_large(Attack attack) {
        hostile.refused(attack, 413, "body_too_large");
    }

    // ---- forms

    @Test
    void a_form_webhook_in_any_spelling_of_the_form_type_is_read() {
        for (String type : List.of(FORM, FORM + "; charset=UTF-8", FORM + "; charset=utf-8", FORM + "; charset=\"utf-8\"",
                "APPLICATION/X-WWW-FORM-URLENCODED", FORM + "; charset=iso-8859-1",
                FORM + "; charset=utf-8; x=y", FORM + "; charset=US-ASCII")) {
            String impUid = freshImpUid();
            unknownPayment(Attack.post("form as " + type, PATH, type, ("imp_uid=" + impUid + "&merchant_uid=" + existing)
                    .getBytes(ISO_8859_1)), impUid);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"klingon", "", "../../x", "\"\""})
    void a_form_with_an_unknown_charset_is_400_not_a_500(String charset) {
        hostile.refused(Attack.post("charset " + charset, PATH, FORM + "; charset=" + charset,
                "imp_uid=imp_123456789012".getBytes(ISO_8859_1)), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"imp_uid=", "imp_uid=%20", "imp_uid=%09", "imp_uid=%0A", "imp_uid=%E2%80%A8", "imp_uid=+",
            "imp_uid=imp_%00x", "imp_uid=%E2%80%AEimp_1", "merchant_uid=m&status=paid", "IMP_UID=imp_1",
            "imp_uid%5B%5D=imp_1", "impuid=imp_1", "imp_uid%20=imp_1", "imp-uid=imp_1", "&&&", "=", "==", "imp_uid",
            "&imp_uid", "=imp_1", "imp%5Fuid", "{\"imp_uid\":\"imp_1\"}"})
    void a_form_without_a_usable_imp_uid_is_400(String body) {
        hostile.refused(form(body, body), 400, "invalid_request");
    }

    @Test
    void a_form_imp_uid_over_64_characters_is_400() {
        for (String impUid : List.of("x".repeat(65), "가".repeat(65), "'; DROP TABLE orders; --".repeat(500))) {
            hostile.refused(form(impUid.length() + " chars", "imp_uid=" + encoded(impUid)), 400, "invalid_request");
        }
    }

    @Test
    void a_form_with_a_repeated_imp_uid_counts_its_first_value() {
        String first = freshImpUid();
        unknownPayment(form("imp_uid twice", "imp_uid=" + first + "&imp_uid=imp_2"), first);
        hostile.refused(form("imp_uid twice, the first empty", "imp_uid=&imp_uid=" + freshImpUid()), 400,
                "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"imp_uid=%", "imp_uid=%zz", "imp_uid=%u0041", "imp_uid=%%", "imp_uid=%0"})
    void a_form_with_broken_percent_escapes_is_400(String body) {
        hostile.refused(form(body, body), 400, "invalid_request");
    }

    /** A form's bytes that are not UTF-8 are refused, as a JSON body's are: PortOne is not asked. */
    @ParameterizedTest
    @ValueSource(strings = {"imp_uid=imp_1%F0%9F", "imp_uid=imp_2%C0%AF", "imp_uid=imp_3%ED%A0%80",
            "imp_uid=imp_4\u00c0\u00af", "imp_uid=imp_5\u00ff", "imp_uid=imp_6\u00ed\u00a0\u0080"})
    void a_form_whose_bytes_are_not_utf_8_is_400_and_asks_portone_nothing(String body) {
        hostile.refused(form(body, body), 400, "invalid_request");
    }

    @Test
    void a_form_of_random_bytes_or_in_utf_16_is_400_and_unencoded_text_is_read_as_it_splits() {
        byte[] noise = new byte[2000];
        new java.util.Random(11).nextBytes(noise);
        hostile.refused(Attack.post("2,000 random bytes", PATH, FORM, noise), 400, "invalid_request");
        hostile.refused(Attack.post("imp_uid of 10,000 brackets", PATH, FORM,
                ("imp_uid=" + "[".repeat(10_000)).getBytes(UTF_8)), 400, "invalid_request");
        hostile.refused(Attack.post("UTF-16", PATH, FORM + "; charset=utf-16",
                "imp_uid=imp_123456789012".getBytes(UTF_8)), 400, "invalid_request");
        // "imp_uid=<script> " and a key without a value: the imp_uid is "<script>", stripped
        unknownPayment(form("unencoded", "imp_uid=<script> & '; DROP TABLE orders; --"), "<script>");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "imp_uid=imp_300000000001;x=1 | imp_300000000001;x=1",
            "a=1&&imp_uid=imp_300000000002& | imp_300000000002",
            "imp_uid=imp_300000000003=2 | imp_300000000003=2",
            "imp_uid=imp_300000000004&imp_uid= | imp_300000000004"})
    void an_odd_but_decodable_form_is_read_by_its_first_imp_uid(String body, String impUid) {
        unknownPayment(form(body, body), impUid);
    }

    @Test
    void a_form_of_thousands_of_fields_is_read_by_its_imp_uid() {
        String impUid = freshImpUid();
        unknownPayment(form("2,000 fields", "x=1&".repeat(2000) + "imp_uid=" + impUid), impUid);
    }
}
