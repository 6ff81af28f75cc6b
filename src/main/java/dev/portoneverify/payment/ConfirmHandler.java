package dev.portoneverify.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.Money;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /payments/confirm}: PortOne's Confirm Process. Just before approving a payment,
 * PortOne asks whether to go on; only a 200 lets it charge the buyer. Any other answer fails the
 * payment, with our {@code {"reason": ...}} as its {@code fail_reason}.
 *
 * <p>PortOne gives up after 10 seconds and fails the payment, so the answer never waits for a
 * write: the order is read (one short query; WAL readers never wait for another process's writer),
 * the answer is sent, and the history row is written by a background writer.
 */
public final class ConfirmHandler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfirmHandler.class);

    private final OrderDao orders;
    private final Jdbi jdbi;
    private final ObjectMapper json;
    private final Clock clock;
    private final ExecutorService historyWriter = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "confirm-history");
        thread.setDaemon(true);
        return thread;
    });

    public ConfirmHandler(OrderDao orders, Jdbi jdbi, ObjectMapper json, Clock clock) {
        this.orders = orders;
        this.jdbi = jdbi;
        this.json = json;
        this.clock = clock;
    }

    public void handle(Context ctx) {
        String impUid;
        String merchantUid;
        BigDecimal amount;
        String currency;
        try {
            RequestBody body = RequestBody.jsonOrForm(ctx, json);
            impUid = body.text("imp_uid", 64);
            merchantUid = body.text("merchant_uid", 40);
            amount = amount(body.raw("amount"));
            // an ISO 4217 code, compared as PaymentRules compares every currency: upper case
            currency = upperCase(body.optionalText("currency", 3));
        } catch (ApiException e) {
            // PortOne shows the buyer only `reason`; the usual {status, message} would read "알 수 없음"
            ctx.status(400).json(Map.of("reason", "잘못된 요청입니다 (" + e.getMessage() + ")"));
            return;
        }

        RequestLog.note(ctx, RequestLog.IMP_UID, impUid);
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, merchantUid);
        Order order = orders.find(merchantUid).orElse(null);
        Optional<PaymentRules.Refusal> refusal = PaymentRules.refuseApproval(order, amount, currency);
        String outcome = refusal.isEmpty() ? "confirmed" : "confirm_refused";
        RequestLog.note(ctx, RequestLog.VERDICT, outcome);
        // a call about no order of ours leaves nothing behind but its request log line (issue 15)
        if (order != null) {
            record(HistoryEntry.of(impUid, merchantUid, Source.CONFIRM, outcome,
                    refusal.map(PaymentRules.Refusal::reason).orElse("approval allowed"), clock.instant())
                    .reported(null, amount, currency).expected(order));
        }
        if (refusal.isEmpty()) {
            ctx.status(200).json(Map.of("status", "confirmed"));
        } else {
            ctx.status(httpStatus(refusal.get().verdict())).json(Map.of("reason", refusal.get().reason()));
        }
    }

    /** The statuses {@link HttpAnswer} gives the same verdicts. */
    private static int httpStatus(Verdict verdict) {
        return switch (verdict) {
            case UNKNOWN_ORDER -> 404;
            case PAID_BY_OTHER, ORDER_CLOSED -> 409;
            default -> 400;
        };
    }

    private static String upperCase(String code) {
        return code == null ? null : code.toUpperCase(Locale.ROOT);
    }

    /** PortOne's format for this call is not documented: accept a JSON number or a decimal string (form). */
    private static BigDecimal amount(JsonNode value) {
        if (value != null && value.isNumber()) {
            return Money.sane("amount", value.decimalValue());
        }
        if (value != null && value.isTextual() && value.textValue().matches("-?[0-9]{1,15}(\\.[0-9]{1,6})?")) {
            return new BigDecimal(value.textValue());
        }
        throw ApiException.badRequest("amount must be a number");
    }

    /** One row per payment and outcome: PortOne's retries, or anyone repeating the call, add nothing. */
    private void record(HistoryEntry entry) {
        historyWriter.execute(() -> {
            try {
                jdbi.useHandle(handle -> {
                    HistoryDao history = handle.attach(HistoryDao.class);
                    if (!history.exists(entry.impUid(), entry.merchantUid(), entry.outcome())) {
                        history.insert(entry);
                    }
                });
            } catch (RuntimeException e) {
                log.error("could not record confirm call for {}: {}", entry.merchantUid(), e.toString());
            }
        });
    }

    @Override
    public void close() {
        historyWriter.shutdown();
    }
}
