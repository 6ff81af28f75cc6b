package dev.portoneverify.payment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.order.OrderStatus;
import dev.portoneverify.web.Money;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
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
            currency = body.optionalText("currency", 3);
        } catch (ApiException e) {
            // PortOne shows the buyer only `reason`; the usual {status, message} would read "알 수 없음"
            ctx.status(400).json(Map.of("reason", "잘못된 요청입니다 (" + e.getMessage() + ")"));
            return;
        }

        RequestLog.note(ctx, RequestLog.IMP_UID, impUid);
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, merchantUid);
        Order order = orders.find(merchantUid).orElse(null);
        Refusal refusal = check(order, amount, currency);
        RequestLog.note(ctx, RequestLog.VERDICT, refusal == null ? "confirmed" : "confirm_refused");
        // a call about no order of ours leaves nothing behind but its request log line (issue 15)
        if (order != null) {
            record(new HistoryEntry(0, impUid, merchantUid, Source.CONFIRM.wire(), null, amount, currency,
                order == null ? null : order.amount(), order == null ? null : order.currency(),
                refusal == null ? "confirmed" : "confirm_refused", false,
                refusal == null ? "approval allowed" : refusal.reason(), clock.instant()));
        }
        if (refusal == null) {
            ctx.status(200).json(Map.of("status", "confirmed"));
        } else {
            ctx.status(refusal.httpStatus()).json(Map.of("reason", refusal.reason()));
        }
    }

    record Refusal(int httpStatus, String reason) {}

    /** Null when PortOne may approve: the order exists, is still payable, and the money matches exactly. */
    static Refusal check(Order order, BigDecimal amount, String currency) {
        if (order == null) {
            return new Refusal(404, "주문을 찾을 수 없습니다 (unknown order)");
        }
        if (order.status() != OrderStatus.PENDING && order.status() != OrderStatus.AWAITING_DEPOSIT) {
            return new Refusal(409, "결제할 수 없는 주문입니다 (order is " + order.status().wire() + ")");
        }
        if (amount.compareTo(order.amount()) != 0) {
            // the order's amount only: what was sent is never repeated (issue 15)
            return new Refusal(400, "결제 금액이 주문 금액과 다릅니다 (order " + order.amount().toPlainString()
                    + " " + order.currency() + ")");
        }
        if (currency != null && !currency.equalsIgnoreCase(order.currency())) {
            return new Refusal(400, "결제 통화가 주문 통화와 다릅니다 (order " + order.currency() + ")");
        }
        return null;
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
