package dev.portoneverify.testsupport;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local Solapi on 127.0.0.1 and a free port, {@code POST /messages/v4/send} only, enforcing what
 * Solapi documents (solapi/documents {@code authentication/api-key.md},
 * {@code api-reference/messages/sendSimpleMessage.md}, {@code api-reference/message-status-codes.md}):
 *
 * <ul>
 *   <li>{@code Authorization: HMAC-SHA256 apiKey=, date=, salt=, signature=} (keys case-insensitive, as the
 *       SDK sends {@code Apikey}); the signature is the hex HMAC-SHA256 of {@code date + salt} keyed with
 *       the secret; the salt 12 to 64 bytes. 403 {@code InvalidAPIKey}, {@code SignatureDoesNotMatch},
 *       {@code RequestTimeTooSkewed} (more than 15 minutes from this server's clock) and
 *       {@code DuplicatedSignature} (a signature seen in the last 15 minutes).</li>
 *   <li>The body is {@code {"message": {to, from, text, type?, ...}}} with only documented fields;
 *       anything else is 400 {@code ValidationError}. A sender number not registered answers status
 *       1062, an SMS over 90 EUC-KR bytes 1031, a recipient that is not digits only 1011, all in the
 *       documented send response; an accepted message 2000 {@code 정상 접수(이통사로 접수 예정) }.</li>
 * </ul>
 *
 * <p>Handlers only record and answer; assert on {@link #requests()} afterwards. Thread-safe.
 */
public final class FakeSolapi implements AutoCloseable {
    public static final String API_KEY = "NCSTESTKEY0000001";
    public static final String API_SECRET = "solapi-fake-secret-9d2e71";
    public static final String SENDER = "0212345678";
    private static final Duration WINDOW = Duration.ofMinutes(15);
    private static final Set<String> MESSAGE_FIELDS = Set.of("to", "from", "text", "type", "country", "subject",
            "imageId", "kakaoOptions", "customFields", "autoTypeDetect");
    private static final Set<String> TYPES = Set.of("SMS", "LMS", "MMS", "ATA", "CTA");

    /** What the next requests get instead of the normal answer. */
    public enum Fault { NONE, HTTP_503, HTTP_429, HANG }

    /** One request as it arrived, and what it was answered: {@code errorCode} or the message's {@code statusCode}. */
    public record Recorded(Map<String, String> headers, String body, int status, String answer) {
        public JsonNode message() {
            try {
                return Json.newMapper().readTree(body).path("message");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final ObjectMapper json = Json.newMapper();
    private final Clock clock;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> signaturesSeen = new ConcurrentHashMap<>();
    private final Set<String> registeredSenders = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Fault fault = Fault.NONE;
    private final Javalin app;

    private FakeSolapi(Clock clock) {
        this.clock = clock;
        registeredSenders.add(SENDER);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.post("/messages/v4/send", this::send);
        });
        app.start("127.0.0.1", 0);
    }

    public static FakeSolapi start() {
        return new FakeSolapi(Clock.systemUTC());
    }

    /** With a clock of the test's, to judge the date window against. */
    public static FakeSolapi start(Clock clock) {
        return new FakeSolapi(clock);
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + app.port());
    }

    public List<Recorded> requests() {
        return List.copyOf(requests);
    }

    /** Every later request gets {@code fault} until it is set back to NONE. */
    public void fault(Fault fault) {
        this.fault = fault;
    }

    public void unregisterSender(String number) {
        registeredSenders.remove(number);
    }

    private void send(Context ctx) throws Exception {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(ctx.headerMap());
        String body = ctx.body();
        Fault now = fault;
        if (now == Fault.HANG) {
            closing.await(30, TimeUnit.SECONDS);
        }
        if (now == Fault.HTTP_503 || now == Fault.HTTP_429) {
            int status = now == Fault.HTTP_503 ? 503 : 429;
            answer(ctx, headers, body, status, error(status == 503 ? "InternalError" : "TooManyRequests", "scripted"));
            return;
        }
        String refusal = authorizationRefusal(headers.get("Authorization"));
        if (refusal != null) {
            answer(ctx, headers, body, 403, error(refusal, refusal));
            return;
        }
        JsonNode request;
        try {
            request = json.readTree(body);
        } catch (Exception e) {
            answer(ctx, headers, body, 400, error("ValidationError", "body is not JSON"));
            return;
        }
        String invalid = invalid(request);
        if (invalid != null) {
            answer(ctx, headers, body, 400, error("ValidationError", invalid));
            return;
        }
        JsonNode message = request.get("message");
        String type = message.path("type").asText("SMS").toUpperCase(Locale.ROOT);
        String to = message.get("to").asText();
        String statusCode;
        String statusMessage;
        if (!to.matches("[0-9]{8,15}")) {
            statusCode = "1011";
            statusMessage = "Format Error";
        } else if (!registeredSenders.contains(message.get("from").asText())) {
            statusCode = "1062";
            statusMessage = "발신번호 미등록";
        } else if (type.equals("SMS") && eucKrBytes(message.get("text").asText()) > 90) {
            statusCode = "1031";
            statusMessage = "SMS는 90byte LMS, MMS는 2000byte ATA, CTA는 한/영포함 1000자 CTI는 한/영포함 400자까지 사용 가능 합니다.";
        } else {
            statusCode = "2000";
            statusMessage = "정상 접수(이통사로 접수 예정) ";
        }
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("groupId", "G4V" + System.nanoTime());
        sent.put("to", to);
        sent.put("from", message.get("from").asText());
        sent.put("type", type);
        sent.put("statusMessage", statusMessage);
        sent.put("country", "82");
        sent.put("messageId", "M4V" + System.nanoTime());
        sent.put("statusCode", statusCode);
        sent.put("accountId", "12925149");
        answer(ctx, headers, body, 200, sent);
    }

    /** Null when the header is valid and fresh; else the documented error code. */
    private String authorizationRefusal(String header) {
        if (header == null || !header.regionMatches(true, 0, "HMAC-SHA256 ", 0, 12)) {
            return "InvalidAPIKey";
        }
        Map<String, String> parts = new HashMap<>();
        for (String part : header.substring(12).split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
            }
        }
        if (!API_KEY.equals(parts.get("apikey"))) {
            return "InvalidAPIKey";
        }
        String date = parts.get("date");
        String salt = parts.get("salt");
        String signature = parts.get("signature");
        if (date == null || salt == null || signature == null || salt.getBytes(UTF_8).length < 12
                || salt.getBytes(UTF_8).length > 64 || !signature.equalsIgnoreCase(sign(date + salt))) {
            return "SignatureDoesNotMatch";
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(date).toInstant();
        } catch (DateTimeParseException e) {
            return "SignatureDoesNotMatch";
        }
        Instant now = clock.instant();
        if (Duration.between(at, now).abs().compareTo(WINDOW) > 0) {
            return "RequestTimeTooSkewed";
        }
        signaturesSeen.values().removeIf(seen -> seen.isBefore(now.minus(WINDOW)));
        if (signaturesSeen.putIfAbsent(signature.toLowerCase(Locale.ROOT), now) != null) {
            return "DuplicatedSignature";
        }
        return null;
    }

    /** Null when the body has the documented shape; else what is wrong with it. */
    private static String invalid(JsonNode request) {
        if (!request.isObject() || !request.path("message").isObject()) {
            return "message is required";
        }
        var names = request.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!Set.of("message", "agent", "allowDuplicates").contains(name)) {
                return "unknown field " + name;
            }
        }
        JsonNode message = request.get("message");
        var fields = message.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (!MESSAGE_FIELDS.contains(field)) {
                return "unknown field message." + field;
            }
        }
        for (String required : List.of("to", "from", "text")) {
            if (!message.path(required).isTextual() || message.get(required).asText().isEmpty()) {
                return "message." + required + " must be a string";
            }
        }
        if (message.has("type") && !TYPES.contains(message.get("type").asText().toUpperCase(Locale.ROOT))) {
            return "message.type must be one of " + TYPES;
        }
        return null;
    }

    private static int eucKrBytes(String text) {
        return text.codePoints().map(c -> c < 0x80 ? 1 : 2).sum();
    }

    private static String sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(API_SECRET.getBytes(UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(data.getBytes(UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> error(String code, String message) {
        return Map.of("errorCode", code, "errorMessage", message);
    }

    private void answer(Context ctx, Map<String, String> headers, String body, int status, Map<String, Object> answer) {
        String code = String.valueOf(answer.containsKey("errorCode") ? answer.get("errorCode") : answer.get("statusCode"));
        requests.add(new Recorded(headers, body, status, code));
        ctx.status(status).json(answer);
    }

    @Override
    public void close() {
        closing.countDown();
        app.stop();
    }
}
