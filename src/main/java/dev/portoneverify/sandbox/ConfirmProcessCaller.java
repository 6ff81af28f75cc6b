package dev.portoneverify.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PortOne's Confirm Process, as the sandbox plays it: just before approving, POST {@code imp_uid},
 * {@code merchant_uid} and {@code amount} to the shop's {@code confirm_url}. Only a 200 lets the
 * payment through; anything else (or no answer within 10 seconds) fails it with PortOne's
 * {@code fail_reason} format, quoting the shop's {@code {"reason": ...}} (docs §5).
 */
final class ConfirmProcessCaller {
    private static final Logger log = LoggerFactory.getLogger(ConfirmProcessCaller.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String UNKNOWN = "알 수 없음";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json;

    ConfirmProcessCaller(ObjectMapper json) {
        this.json = json;
    }

    /** Null when the shop allows the approval, otherwise the fail_reason PortOne would record. */
    String ask(URI confirmUrl, String impUid, String merchantUid, BigDecimal amount) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("imp_uid", impUid);
        body.put("merchant_uid", merchantUid);
        body.put("amount", amount);
        String reason;
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(confirmUrl).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                return null;
            }
            reason = reasonIn(answer.body());
            log.info("sandbox Confirm Process: {} answered HTTP {} for {}: {}", confirmUrl, answer.statusCode(), impUid, reason);
        } catch (IOException e) {
            reason = UNKNOWN;
            log.info("sandbox Confirm Process: {} did not answer for {}: {}", confirmUrl, impUid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reason = UNKNOWN;
        }
        return "고객사 요청에 의해 결제를 중단합니다. (상세사유 : " + reason + ")";
    }

    private String reasonIn(String body) {
        try {
            JsonNode reason = json.readTree(body).get("reason");
            return reason != null && reason.isTextual() && !reason.asText().isBlank() ? reason.asText() : UNKNOWN;
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return UNKNOWN;
        }
    }
}
