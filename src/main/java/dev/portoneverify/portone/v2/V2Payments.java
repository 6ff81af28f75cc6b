package dev.portoneverify.portone.v2;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PaymentStatus;
import dev.portoneverify.portone.PortOneVersion;
import dev.portoneverify.portone.Vbank;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Turns a V2 {@code Payment} (a {@code oneOf} keyed by {@code status}) into the generation-neutral
 * {@link Payment} view. Only what the rules read is required; new fields, statuses and method types
 * (PortOne promises to add them) never fail the mapping: an unknown status becomes
 * {@link PaymentStatus#UNRECOGNIZED}, which no rule treats as paid.
 *
 * <p>Status mapping: {@code PAID} -> paid; {@code VIRTUAL_ACCOUNT_ISSUED} -> ready with the account;
 * {@code READY} and {@code PAY_PENDING} -> ready without an account (not paid);
 * {@code PARTIAL_CANCELLED} and {@code CANCELLED} -> cancelled, told apart by the amounts;
 * {@code FAILED} -> failed. Amounts are V2's int64 integers: {@code amount.total} and
 * {@code amount.cancelled}, in the currency's minor unit ({@link V2Money}).
 */
final class V2Payments {
    static final String VIRTUAL_ACCOUNT = "PaymentMethodVirtualAccount";

    private V2Payments() {}

    /** @throws IllegalArgumentException naming the field when a required one is missing or malformed */
    static Payment parse(JsonNode p) {
        if (p == null || !p.isObject()) {
            throw new IllegalArgumentException("a payment that is not a JSON object");
        }
        String status = text(p, "status", true);
        String id = text(p, "id", true);
        JsonNode amount = p.path("amount");
        long totalMinor = minor(amount, "total");
        long cancelledMinor = amount.has("cancelled") ? minor(amount, "cancelled") : 0;
        if (cancelledMinor > totalMinor) {
            throw new IllegalArgumentException("amount.cancelled above amount.total");
        }
        String currency = text(p, "currency", true);
        BigDecimal total = V2Money.fromMinor(totalMinor, currency);
        BigDecimal cancelled = V2Money.fromMinor(cancelledMinor, currency);
        JsonNode channel = p.path("channel");
        boolean test = "TEST".equals(channel.path("type").asText(null));
        JsonNode method = p.path("method");
        String methodType = method.path("type").asText(null);
        Vbank vbank = VIRTUAL_ACCOUNT.equals(methodType) ? vbank(method) : null;
        JsonNode failure = p.path("failure");
        String failReason = failure.isObject()
                ? firstText(failure.path("reason").asText(null), failure.path("pgMessage").asText(null)) : null;
        JsonNode cancellations = p.path("cancellations");
        String cancelReason = cancellations.isArray() && !cancellations.isEmpty()
                ? cancellations.get(cancellations.size() - 1).path("reason").asText(null) : null;
        return new Payment(id, null, total, cancelled, currency, status(status), status, test, payMethod(methodType),
                channel.path("pgProvider").asText(null), p.path("orderName").asText(null),
                time(p, "paidAt"), time(p, "failedAt"), time(p, "cancelledAt"), failReason, cancelReason, vbank,
                p.path("receiptUrl").asText(null), PortOneVersion.V2);
    }

    /** The store this payment belongs to; the client treats another store's payment as unknown. */
    static String storeId(JsonNode p) {
        return p.path("storeId").asText(null);
    }

    static PaymentStatus status(String v2) {
        return switch (v2) {
            case "PAID" -> PaymentStatus.PAID;
            case "VIRTUAL_ACCOUNT_ISSUED", "READY", "PAY_PENDING" -> PaymentStatus.READY;
            case "PARTIAL_CANCELLED", "CANCELLED" -> PaymentStatus.CANCELLED;
            case "FAILED" -> PaymentStatus.FAILED;
            default -> PaymentStatus.UNRECOGNIZED;
        };
    }

    /** V1's words where V1 has one ({@code card}, {@code vbank}, {@code trans}), else V2's type without its prefix. */
    private static String payMethod(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case VIRTUAL_ACCOUNT -> "vbank";
            case "PaymentMethodCard" -> "card";
            case "PaymentMethodTransfer" -> "trans";
            default -> type.startsWith("PaymentMethod") ? type.substring("PaymentMethod".length()).toLowerCase(Locale.ROOT) : type;
        };
    }

    private static Vbank vbank(JsonNode m) {
        String number = text(m, "accountNumber", true);
        String bank = m.path("bank").asText(null);
        return new Vbank(bank, Banks.koreanName(bank), number, m.path("remitteeName").asText(null),
                time(m, "expiredAt"), time(m, "issuedAt"));
    }

    private static long minor(JsonNode amount, String field) {
        JsonNode v = amount.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new IllegalArgumentException("amount." + field + " is not a non-negative int64");
        }
        return v.longValue();
    }

    private static String text(JsonNode p, String field, boolean required) {
        JsonNode v = p.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("no `" + field + "`");
            }
            return null;
        }
        if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > 200) {
            throw new IllegalArgumentException("`" + field + "` is not a short string");
        }
        return v.textValue();
    }

    /** RFC 3339, with an offset or Z; absent is null. */
    private static Instant time(JsonNode p, String field) {
        String v = text(p, field, false);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("`" + field + "` is not an RFC 3339 time");
        }
    }

    private static String firstText(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
