package dev.portoneverify.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import io.javalin.http.Context;

/** {@code POST /payments/complete}: the browser reports a payment it just made. */
public final class CompleteHandler {
    private final PaymentSync sync;
    private final ObjectMapper json;

    public CompleteHandler(PaymentSync sync, ObjectMapper json) {
        this.sync = sync;
        this.json = json;
    }

    public void handle(Context ctx) {
        RequestBody body = RequestBody.json(ctx, json);
        String impUid = body.text("imp_uid", 64);
        String merchantUid = body.text("merchant_uid", 40);
        RequestLog.note(ctx, RequestLog.IMP_UID, impUid);
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, merchantUid);

        // The payment always updates the order PortOne says it belongs to; the body's merchant_uid
        // only lets the browser learn that it reported someone else's payment.
        Outcome outcome = sync.sync(impUid, Source.BROWSER);
        Answers.Answer answer = outcome.merchantUid() != null && !outcome.merchantUid().equals(merchantUid)
                ? Answers.orderMismatch()
                : Answers.of(outcome);
        RequestLog.note(ctx, RequestLog.VERDICT, answer.body().status());
        ctx.status(answer.httpStatus()).json(answer.body());
    }
}
