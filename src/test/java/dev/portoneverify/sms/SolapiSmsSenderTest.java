package dev.portoneverify.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.portoneverify.testsupport.FakeSolapi;
import dev.portoneverify.testsupport.FakeSolapi.Recorded;
import dev.portoneverify.testsupport.MutableClock;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.web.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Solapi sender against a stand-in that checks the signature, the clock and the body as Solapi documents them. */
class SolapiSmsSenderTest {
    @BeforeEach
    void onceIsEnough() {
        assumeFalse(TestDatabase.postgresqlRun(), "no database involved: the SQLite pass runs it");
    }

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "HMAC-SHA256 apiKey=" + FakeSolapi.API_KEY + ", date=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ, salt=[0-9a-f]{32}, signature=[0-9a-f]{64}");
    private static final String VBANK_TEXT = "가상계좌 발급이 성공되었습니다. 계좌 정보 KB국민은행 44198607584471 (예금주 (주)포트원샌드박스), "
            + "금액 89000 KRW, 입금기한 2026-11-27 19:00";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final FakeSolapi solapi = FakeSolapi.start();

    @AfterEach
    void close() {
        solapi.close();
    }

    private SolapiSmsSender sender(String key, String secret, String from, Clock clock, Duration timeout) {
        return new SolapiSmsSender(http, Json.newMapper(), solapi.baseUrl(), key, secret, from, timeout, clock);
    }

    private SolapiSmsSender sender() {
        return sender(FakeSolapi.API_KEY, FakeSolapi.API_SECRET, FakeSolapi.SENDER, Clock.systemUTC(), Duration.ofSeconds(5));
    }

    @Test
    void a_message_goes_out_signed_with_the_recipient_as_digits_only() {
        sender().send("010-1234-5678", "주문이 접수되었습니다.");

        List<Recorded> requests = solapi.requests();
        assertEquals(1, requests.size());
        Recorded sent = requests.get(0);
        assertEquals(200, sent.status());
        assertEquals("2000", sent.answer(), "accepted as documented");
        assertTrue(AUTHORIZATION.matcher(sent.headers().get("Authorization")).matches(), sent.headers().get("Authorization"));
        assertEquals("01012345678", sent.message().path("to").asText());
        assertEquals(FakeSolapi.SENDER, sent.message().path("from").asText());
        assertEquals("SMS", sent.message().path("type").asText());
        assertFalse(sent.headers().toString().contains(FakeSolapi.API_SECRET) || sent.body().contains(FakeSolapi.API_SECRET),
                "the secret only keys the signature");
    }

    @Test
    void text_over_90_bytes_goes_as_lms_with_korean_counting_two_bytes_a_character() {
        SolapiSmsSender sender = sender();
        sender.send("01012345678", "가".repeat(45));                 // 90 bytes
        sender.send("01012345678", "가".repeat(45) + "a");           // 91
        sender.send("01012345678", "a".repeat(90));
        sender.send("01012345678", VBANK_TEXT);                      // the virtual account notice

        List<String> types = solapi.requests().stream().map(r -> r.message().path("type").asText()).toList();
        assertEquals(List.of("SMS", "LMS", "SMS", "LMS"), types);
        assertTrue(solapi.requests().stream().allMatch(r -> r.answer().equals("2000")));
        assertEquals(138, SmsLength.bytes(VBANK_TEXT), "39 Korean characters, 2 bytes each, and 60 others");
    }

    @Test
    void every_request_is_signed_afresh_and_a_replayed_signature_is_refused() throws Exception {
        SolapiSmsSender sender = sender();
        sender.send("01012345678", "첫 번째");
        sender.send("01012345678", "두 번째");                       // the same second: only the salt differs
        List<Recorded> requests = solapi.requests();
        assertEquals(List.of("2000", "2000"), requests.stream().map(Recorded::answer).toList());

        // someone who captured the first request sends it again
        HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create(solapi.baseUrl() + "/messages/v4/send"))
                .header("Authorization", requests.get(0).headers().get("Authorization"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requests.get(0).body())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, replay.statusCode());
        assertTrue(replay.body().contains("DuplicatedSignature"), replay.body());
    }

    @Test
    void a_clock_more_than_15_minutes_off_is_refused_and_left_for_a_later_try() {
        MutableClock slow = MutableClock.startingNow();
        slow.advance(Duration.ofMinutes(-16));
        SmsFailure failure = assertThrows(SmsFailure.RetryLater.class,
                () -> sender(FakeSolapi.API_KEY, FakeSolapi.API_SECRET, FakeSolapi.SENDER, slow, Duration.ofSeconds(5))
                        .send("01012345678", "시계"));
        assertEquals("RequestTimeTooSkewed", failure.code());

        slow.advance(Duration.ofMinutes(2));                         // 14 minutes off: inside the window
        sender(FakeSolapi.API_KEY, FakeSolapi.API_SECRET, FakeSolapi.SENDER, slow, Duration.ofSeconds(5)).send("01012345678", "시계");
        assertEquals(List.of("RequestTimeTooSkewed", "2000"), solapi.requests().stream().map(Recorded::answer).toList());
    }

    @Test
    void credentials_an_unregistered_sender_and_a_bad_number_are_refused_for_good() {
        SmsFailure wrongSecret = assertThrows(SmsFailure.Rejected.class,
                () -> sender(FakeSolapi.API_KEY, "not-the-secret", FakeSolapi.SENDER, Clock.systemUTC(), Duration.ofSeconds(5))
                        .send("01012345678", "인증"));
        assertEquals("SignatureDoesNotMatch", wrongSecret.code());
        SmsFailure wrongKey = assertThrows(SmsFailure.Rejected.class,
                () -> sender("NCSWRONGKEY", FakeSolapi.API_SECRET, FakeSolapi.SENDER, Clock.systemUTC(), Duration.ofSeconds(5))
                        .send("01012345678", "인증"));
        assertEquals("InvalidAPIKey", wrongKey.code());
        SmsFailure unregistered = assertThrows(SmsFailure.Rejected.class,
                () -> sender(FakeSolapi.API_KEY, FakeSolapi.API_SECRET, "0299999999", Clock.systemUTC(), Duration.ofSeconds(5))
                        .send("01012345678", "발신번호"));
        assertEquals("1062", unregistered.code());
        int asked = solapi.requests().size();

        SmsFailure badNumber = assertThrows(SmsFailure.Rejected.class, () -> sender().send("12-34", "번호"));
        assertEquals("bad_number", badNumber.code());
        assertFalse(badNumber.getMessage().contains("12-34"), "the number is masked: " + badNumber.getMessage());
        assertEquals(asked, solapi.requests().size(), "a number that cannot be one is not sent at all");
    }

    @Test
    void outages_rate_limits_and_timeouts_are_left_for_a_later_try() {
        solapi.fault(FakeSolapi.Fault.HTTP_503);
        assertEquals("http_503", assertThrows(SmsFailure.RetryLater.class, () -> sender().send("01012345678", "a")).code());
        solapi.fault(FakeSolapi.Fault.HTTP_429);
        assertEquals("http_429", assertThrows(SmsFailure.RetryLater.class, () -> sender().send("01012345678", "a")).code());
        solapi.fault(FakeSolapi.Fault.HANG);
        SolapiSmsSender impatient = sender(FakeSolapi.API_KEY, FakeSolapi.API_SECRET, FakeSolapi.SENDER, Clock.systemUTC(),
                Duration.ofMillis(300));
        assertEquals("timeout", assertThrows(SmsFailure.RetryLater.class, () -> impatient.send("01012345678", "a")).code());
        solapi.fault(FakeSolapi.Fault.NONE);

        SolapiSmsSender nowhere = new SolapiSmsSender(http, Json.newMapper(), URI.create("http://127.0.0.1:1"),
                FakeSolapi.API_KEY, FakeSolapi.API_SECRET, FakeSolapi.SENDER, Duration.ofSeconds(2), Clock.systemUTC());
        assertEquals("network", assertThrows(SmsFailure.RetryLater.class, () -> nowhere.send("01012345678", "a")).code());
    }

    @Test
    void international_and_dashed_numbers_become_the_bare_domestic_digits() {
        assertEquals("01012345678", SolapiSmsSender.recipient("+82 10-1234-5678"));
        assertEquals("01012345678", SolapiSmsSender.recipient("010 1234 5678"));
        assertEquals("0212345678", SolapiSmsSender.recipient("02-1234-5678"));
    }
}
