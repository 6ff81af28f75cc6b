package dev.portoneverify.sms;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends SMS and LMS through Solapi (formerly CoolSMS), {@code POST /messages/v4/send}, signed with
 * Solapi's HMAC-SHA256 API-key scheme: the signature is HMAC-SHA256 over {@code date + salt} keyed with
 * the API secret, so the secret itself never leaves this process. Solapi refuses a date more than 15
 * minutes off its clock and a signature used before, so every request gets a fresh random salt.
 *
 * <p>Each failure is classed for the outbox ({@link SmsFailure}): the network, a timeout, 5xx, 429, a
 * low balance and a duplicated signature may go through later; a bad recipient, an unregistered
 * sender number, rejected credentials and a refused body never will.
 *
 * @see <a href="https://docs.solapi.com/authentication/api-key">Solapi API key authentication</a>
 */
public final class SolapiSmsSender implements SmsSender {
    private static final Logger log = LoggerFactory.getLogger(SolapiSmsSender.class);
    public static final URI DEFAULT_API_URL = URI.create("https://api.solapi.com");
    /** A Solapi answer is a few hundred bytes; anything far bigger is not Solapi. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    /** statusCode of a message Solapi accepted (2000), or already passed on to or delivered by a carrier. */
    private static final Set<String> ACCEPTED = Set.of("2000", "3000", "4000");
    /** Solapi's own status codes that another try can fix: its server errors, and a balance topped up later. */
    private static final Set<String> RETRYABLE_STATUS = Set.of("1024", "1030", "2024", "2230");
    /** 403 error codes that a fresh signature or a corrected clock fixes; InvalidAPIKey and SignatureDoesNotMatch do not. */
    private static final Set<String> RETRYABLE_AUTH = Set.of("DuplicatedSignature", "RequestTimeTooSkewed");

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI sendUrl;
    private final String apiKey;
    private final SecretKeySpec secret;
    private final String senderNumber;
    private final Duration timeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** {@code senderNumber}: digits only, registered in Solapi's console (발신번호 등록). */
    public SolapiSmsSender(HttpClient http, ObjectMapper json, URI apiUrl, String apiKey, String apiSecret,
                           String senderNumber, Duration timeout, Clock clock) {
        this.http = http;
        this.json = json;
        this.sendUrl = URI.create(apiUrl.toString().replaceAll("/+$", "") + "/messages/v4/send");
        this.apiKey = apiKey;
        this.secret = new SecretKeySpec(apiSecret.getBytes(UTF_8), "HmacSHA256");
        this.senderNumber = senderNumber;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public void send(String phone, String text) {
        String to = recipient(phone);
        if (SmsLength.bytes(text) > SmsLength.LMS_BYTES) {
            throw new SmsFailure.Rejected("too_long", "the message is " + SmsLength.bytes(text)
                    + " bytes, more than an LMS holds (" + SmsLength.LMS_BYTES + ")");
        }
        HttpRequest request = HttpRequest.newBuilder(sendUrl)
                .timeout(timeout)
                .header("Authorization", authorization())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(BodyPublishers.ofString(body(to, text), UTF_8))
                .build();
        HttpResponse<InputStream> response;
        String answer;
        try {
            response = http.send(request, BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                answer = new String(in.readNBytes(MAX_ANSWER_BYTES), UTF_8);
            }
        } catch (HttpTimeoutException e) {
            throw new SmsFailure.RetryLater("timeout", "Solapi gave no answer within " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new SmsFailure.RetryLater("network", "Solapi could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsFailure.RetryLater("interrupted", "interrupted while calling Solapi", e);
        }
        classify(response.statusCode(), parseOrNull(answer));
    }

    /**
     * Solapi wants the bare digits ({@code 01012345678}); a number that cannot be a Korean phone number
     * is refused here rather than spent on a request that Solapi refuses.
     */
    static String recipient(String phone) {
        String digits = phone.replaceAll("[^0-9]", "");
        if (digits.startsWith("82") && digits.length() >= 11) {
            digits = "0" + digits.substring(2); // +82 10-1234-5678, the international form
        }
        if (!digits.matches("0[0-9]{8,10}")) {
            throw new SmsFailure.Rejected("bad_number", "the recipient " + Phones.mask(phone) + " is not a Korean phone number");
        }
        return digits;
    }

    /** The documented body; SMS up to 90 EUC-KR bytes, else LMS. AlimTalk would add {@code kakaoOptions} here. */
    private String body(String to, String text) {
        ObjectNode message = json.createObjectNode()
                .put("to", to)
                .put("from", senderNumber)
                .put("text", text)
                .put("type", SmsLength.fitsSms(text) ? "SMS" : "LMS");
        ObjectNode body = json.createObjectNode();
        body.set("message", message);
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a Solapi request body", e);
        }
    }

    /** {@code HMAC-SHA256 apiKey=..., date=..., salt=..., signature=...}, new for every request. */
    String authorization() {
        String date = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        byte[] saltBytes = new byte[16];
        random.nextBytes(saltBytes);
        String salt = HexFormat.of().formatHex(saltBytes);
        return "HMAC-SHA256 apiKey=" + apiKey + ", date=" + date + ", salt=" + salt + ", signature=" + sign(date + salt);
    }

    private String sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    private static void classify(int status, JsonNode answer) {
        String errorCode = answer == null ? null : answer.path("errorCode").asText(null);
        String said = answer == null ? "" : ": " + errorCode + " " + answer.path("errorMessage").asText("");
        if (status >= 500) {
            throw new SmsFailure.RetryLater("http_" + status, "Solapi answered HTTP " + status + said, null);
        }
        if (status == 429) {
            throw new SmsFailure.RetryLater("http_429", "Solapi is rate limiting" + said, null);
        }
        if (status == 401 || status == 403) {
            if (errorCode != null && RETRYABLE_AUTH.contains(errorCode)) {
                if (errorCode.equals("RequestTimeTooSkewed")) {
                    log.error("Solapi refused our clock as more than 15 minutes off its own: check this machine's time (NTP)");
                }
                throw new SmsFailure.RetryLater(errorCode, "Solapi answered HTTP " + status + said, null);
            }
            throw new SmsFailure.Rejected(errorCode == null ? "http_" + status : errorCode,
                    "Solapi refused our credentials (SOLAPI_API_KEY, SOLAPI_API_SECRET), HTTP " + status + said);
        }
        if (status < 200 || status > 299) {
            throw new SmsFailure.Rejected(errorCode == null ? "http_" + status : errorCode,
                    "Solapi refused the message, HTTP " + status + said);
        }
        String statusCode = answer == null ? null : answer.path("statusCode").asText(null);
        if (statusCode == null) {
            throw new SmsFailure.RetryLater("bad_response", "Solapi answered HTTP " + status + " without a statusCode", null);
        }
        if (ACCEPTED.contains(statusCode)) {
            return;
        }
        String message = "Solapi did not accept the message: " + statusCode + " " + answer.path("statusMessage").asText("");
        if (RETRYABLE_STATUS.contains(statusCode)) {
            throw new SmsFailure.RetryLater(statusCode, message, null);
        }
        throw new SmsFailure.Rejected(statusCode, message);
    }

    private JsonNode parseOrNull(String body) {
        try {
            JsonNode node = json.readTree(body);
            return node == null || !node.isObject() ? null : node;
        } catch (JsonProcessingException e) {
            return null; // the parser's message would quote the body
        }
    }
}
