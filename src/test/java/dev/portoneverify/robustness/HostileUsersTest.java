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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** POST /users and GET /users/{id} against hostile input, each case with the answer it deserves. */
class HostileUsersTest {
    @RegisterExtension
    static final TestServer server = Hostile.server();
    private static final String VALID = "{\"name\":\"홍길동\",\"phone\":\"010-1234-5678\"}";
    private static final List<String> USUAL_PHONES = List.of(
            "010-1234-5678", "01012345678", "+82 10 1234 5678", "02-123-4567", "010 9876 5432");

    private final Hostile hostile = new Hostile(server);

    static Stream<String> plainAttackTexts() {
        return Stream.of(Hostile.SQL, Hostile.SCRIPT, Hostile.TRAVERSAL, Hostile.ODD_BUT_PLAIN).flatMap(List::stream);
    }

    private static String body(String name, String phone) {
        return "{\"name\":" + name + ",\"phone\":" + phone + "}";
    }

    /** Sends {@code body}; it must create exactly one user, holding {@code name} and {@code phone}, and nothing else. */
    private Reply created(Attack attack, String name, String phone) {
        Reply reply = hostile.send(attack);
        assertEquals(201, reply.status(), attack + ": " + reply.response().body());
        List<Map<String, Object>> added = reply.after().addedTo("users", reply.before());
        assertEquals(1, added.size(), attack + ": users added " + added);
        assertTrue(reply.after().sameExcept(reply.before(), "users"), attack + ": another table changed");
        assertEquals(List.of(), Hostile.paths(reply.portoneCalls()), attack + ": PortOne was called");
        Map<String, Object> row = added.get(0);
        assertEquals(name, row.get("name"), attack + ": the stored name");
        assertEquals(phone, row.get("phone"), attack + ": the stored phone");
        assertEquals(((Number) row.get("id")).longValue(), reply.json().path("id").asLong(), attack + ": the answer's id");
        assertNull(row.get("vbank_num"), attack + ": a new user has no virtual account");
        return reply;
    }

    @ParameterizedTest
    @MethodSource("plainAttackTexts")
    void a_name_of_sql_script_path_or_odd_unicode_text_is_stored_exactly_as_sent_escaped_or_raw(String name) {
        created(Attack.json("escaped name " + name, "/users", body(quote(name), "\"010-1234-5678\"")), name, "010-1234-5678");
        created(Attack.json("raw UTF-8 name " + name, "/users", body(rawQuote(name), "\"010-1234-5678\"")), name,
                "010-1234-5678");
    }

    @ParameterizedTest
    @MethodSource("dev.portoneverify.robustness.HostileUsersTest#unsafeTexts")
    void a_name_with_control_characters_separators_bidi_marks_or_lone_surrogates_is_400_invalid_request(String json) {
        hostile.refused(Attack.json("name " + json, "/users", body(json, "\"010-1234-5678\"")), 400, "invalid_request");
    }

    static Stream<String> unsafeTexts() {
        return Stream.concat(Hostile.UNSAFE.stream().map(Hostile::quote),
                Hostile.LONE_SURROGATES.stream().map(s -> "\"" + s + "\""));
    }

    @ParameterizedTest
    @MethodSource("blankAndLongNames")
    void a_blank_name_or_one_over_40_characters_is_400_invalid_request(String name) {
        hostile.refused(Attack.json("name of " + name.length() + " chars", "/users", body(quote(name), "\"010-1234-5678\"")),
                400, "invalid_request");
    }

    static Stream<String> blankAndLongNames() {
        return Stream.concat(Hostile.BLANK.stream(),
                Stream.of("x".repeat(41), "가".repeat(41), "😀".repeat(21), "'; DROP TABLE orders; --".repeat(400)));
    }

    @ParameterizedTest
    @MethodSource("dev.portoneverify.robustness.Hostile#notStrings")
    void a_name_or_phone_that_is_not_a_json_string_is_400_invalid_request(String value) {
        hostile.refused(Attack.json("name " + value, "/users", body(value, "\"010-1234-5678\"")), 400, "invalid_request");
        hostile.refused(Attack.json("phone " + value, "/users", body("\"홍길동\"", value)), 400, "invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"phone\":\"010-1234-5678\"}", "{\"name\":\"홍길동\"}", "{}", "{\"name\":null,\"phone\":null}",
            "{\"NAME\":\"홍길동\",\"phone\":\"010-1234-5678\"}"})
    void a_body_missing_the_name_or_phone_is_400_invalid_request(String json) {
        hostile.refused(Attack.json(json, "/users", json), 400, "invalid_request");
    }

    @Test
    void a_phone_number_in_a_usual_form_is_stored_as_sent() {
        for (String phone : USUAL_PHONES) {
            created(Attack.json("phone " + phone, "/users", body("\"홍길동\"", quote(phone))), "홍길동", phone);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"'; DROP TABLE orders; --", "010-1234-5678'--", "+", "1234567", "010.1234.5678",
            "(02) 123-4567", "010-1234-5678-9999-00000", "１２３４５６７８", "010-1234-5678\u0000", "010\u202e1234-5678",
            "<script>", "010-1234-567８", "phone", "-01012345678"})
    void anything_else_as_a_phone_is_400_invalid_request(String phone) {
        hostile.refused(Attack.json("phone " + phone, "/users", body("\"홍길동\"", quote(phone))), 400, "invalid_request");
    }

    @Test
    void keys_the_server_does_not_know_are_ignored_and_choose_no_column() {
        for (String key : Hostile.EXTRA_KEYS) {
            for (String value : Hostile.EXTRA_VALUES) {
                created(Attack.json("extra " + key + "=" + value, "/users", Hostile.withExtra(VALID, key, value)), "홍길동",
                        "010-1234-5678");
            }
        }
    }

    @Test
    void a_duplicate_key_counts_once_with_its_last_value() {
        created(Attack.json("name twice", "/users", "{\"name\":\"첫째\",\"phone\":\"010-1234-5678\",\"name\":\"둘째\"}"),
                "둘째", "010-1234-5678");
        hostile.refused(Attack.json("name twice, the last blank", "/users",
                "{\"name\":\"첫째\",\"phone\":\"010-1234-5678\",\"name\":\"\"}"), 400, "invalid_request");
    }

    static List<Attack> brokenBodies() {
        return Hostile.brokenJson("/users", VALID);
    }

    @ParameterizedTest
    @MethodSource("brokenBodies")
    void a_body_that_is_not_one_readable_json_object_is_400_invalid_request(Attack attack) {
        hostile.refused(attack, 400, "invalid_request");
    }

    static List<Attack> notJsonTypes() {
        return Hostile.notJsonTypes("/users", VALID);
    }

    @ParameterizedTest
    @MethodSource("notJsonTypes")
    void a_body_not_sent_as_json_is_415_unsupported_media_type(Attack attack) {
        hostile.refused(attack, 415, "unsupported_media_type");
    }

    static List<Attack> oversized() {
        return Hostile.oversized("/users", JSON, VALID);
    }

    @ParameterizedTest
    @MethodSource("oversized")
    void a_body_over_64_kib_is_413_body_too_large(Attack attack) {
        hostile.refused(attack, 413, "body_too_large");
    }

    @Test
    void a_body_of_exactly_64_kib_in_utf_16_behind_a_byte_order_mark_or_with_a_lenient_content_type_is_taken() {
        List<Attack> attacks = new ArrayList<>(Hostile.otherEncodings("/users", VALID));
        attacks.add(Attack.post("exactly 64 KiB", "/users", JSON, Hostile.padded(VALID, Hostile.MAX_BODY)));
        attacks.add(Attack.post("exactly 64 KiB, chunked", "/users", JSON, Hostile.padded(VALID, Hostile.MAX_BODY)).inChunks());
        for (String type : List.of("APPLICATION/JSON", "application/json; charset=utf-8", "application/json;;;",
                "application/json; charset=klingon", " application/json ")) {
            attacks.add(Attack.post("Content-Type " + type, "/users", type, VALID.getBytes(UTF_8)));
        }
        for (Attack attack : attacks) {
            created(attack, "홍길동", "010-1234-5678");
        }
    }

    // ---- GET /users/{id}

    @Test
    void an_existing_user_is_200_by_its_id_with_or_without_leading_zeros_or_a_query() {
        long id = server.createUser("조회 대상", "010-5555-0001");
        for (String target : List.of("/users/" + id, "/users/0" + id, "/users/0000000" + id, "/users/" + id + "?x=%zz",
                "/users/" + id + "?id=1&id=2", "/users/" + id + "?include_sandbox=true")) {
            Reply reply = hostile.send(Attack.get(target, target));
            assertEquals(200, reply.status(), target + ": " + reply.response().body());
            assertEquals(id, reply.json().path("id").asLong(), target);
            Hostile.unchanged(Attack.get(target, target), reply);
        }
    }

    @Test
    void a_get_with_a_body_is_answered_as_without_and_an_asterisk_target_is_400() {
        long id = server.createUser("조회 대상", "010-5555-0003");
        byte[] noise = new byte[200];
        new java.util.Random(5).nextBytes(noise);
        Attack withBody = new Attack("GET with a body", "GET", "/users/" + id, "application/octet-stream", noise, false);
        Reply reply = hostile.send(withBody);
        assertEquals(200, reply.status(), reply.response().body());
        assertEquals(id, reply.json().path("id").asLong());
        Hostile.unchanged(withBody, reply);
        hostile.refused(Attack.get("*", "*"), 400, "http_400");
    }

    @ParameterizedTest
    @ValueSource(strings = {"999999", "999999999999999999", "000000000000999999"})
    void an_unknown_id_is_404_unknown_user(String id) {
        hostile.refused(Attack.get(id, "/users/" + id), 404, "unknown_user");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "+1", " 1", "1 ", "１", "١", "1.0", "1e0", "0x1", "1_000", "1,000", "Infinity",
            "NaN", "true", "null", "[1]", "{\"id\":1}", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "99999999999999999999999", "1000000000000000000000000000000000000000000000000000000000000",
            "'; DROP TABLE orders; --", "1 OR 1=1", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "\u202e1",
            "😀", "한글", "..", "."})
    void an_id_that_is_not_1_to_18_ascii_digits_is_400_invalid_request(String id) {
        String target = "/users/" + Hostile.percentEncode(id);
        hostile.refused(Attack.get(id, target), 400, "invalid_request");
    }

    @ParameterizedTest
    @MethodSource("dev.portoneverify.robustness.Hostile#unreadablePaths")
    void a_path_the_http_layer_cannot_read_is_a_4xx_json_answer_that_changes_nothing(String segment, int status,
                                                                                   String word) {
        hostile.refused(Attack.get(RawHttp.abbreviate(segment), "/users/" + segment), status, word);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "..", "%2e%2e", ".%2e/", "%5c..%5c",
            "1;jsessionid=x", "1%2F2", "%20", "+", "'", "*", "%2F", "a%2Fb", "%2e"})
    void a_raw_segment_that_reaches_the_handler_and_is_no_id_is_400_invalid_request(String segment) {
        hostile.refused(Attack.get(segment, "/users/" + segment), 400, "invalid_request");
    }

    @Test
    void a_fragment_a_trailing_slash_or_an_empty_query_still_names_the_user() {
        long id = server.createUser("조회 대상", "010-5555-0002");
        for (String target : List.of("/users/" + id + "#frag", "/users/" + id + "/", "/users/" + id + "?")) {
            Reply reply = hostile.send(Attack.get(target, target));
            assertEquals(200, reply.status(), target + ": " + reply.response().body());
            assertEquals(id, reply.json().path("id").asLong(), target);
            Hostile.unchanged(Attack.get(target, target), reply);
        }
    }
}
