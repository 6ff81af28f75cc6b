package dev.portoneverify.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import io.javalin.http.Context;

/**
 * {@code POST /payments/complete}: the browser reports a payment it just made, {@code {imp_uid, merchant_uid}}
 * from PortOne V1 or {@code {paymentId}} from V2. Both answer with the same {@code {status, message}}.
 */
public final class CompleteHandler {
    private final PaymentSync sync;
    private final V2Reports v2;
    private final ObjectMapper json;

    /** @param v2 null when PortOne V2 is off: then {@code {paymentId}} is refused */
    public CompleteHandler(PaymentSync sync, V2Reports v2, ObjectMapper json) {
        this.sync = sync;
        this.v2 = v2;
        this.json = json;
    }

    public void handle(Context ctx) {
        RequestBody body = RequestBody.json(ctx, json);
        if (body.raw("paymentId") != null) {
            completeV2(ctx, body);
            return;
        }
        String impUid = body.text("imp_uid", 64);
        String merchantUid = body.text("merchant_uid", 40);
        RequestLog.note(ctx, RequestLog.IMP_UID, impUid);
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, merchantUid);

        // The payment always updates the order PortOne says it belongs to; the body's merchant_uid
        // only lets the browser learn that it reported someone else's payment.
        SyncResult result = sync.sync(impUid, Source.BROWSER);
        HttpAnswer answer = result.merchantUid() != null && !result.merchantUid().equals(merchantUid)
                ? HttpAnswer.orderMismatch()
                : HttpAnswer.of(result);
        RequestLog.note(ctx, RequestLog.VERDICT, answer.body().status());
        ctx.status(answer.httpStatus()).json(answer.body());
    }

    /** The order is the one the paymentId was issued for; the body names nothing else that counts. */
    private void completeV2(Context ctx, RequestBody body) {
        if (v2 == null) {
            throw ApiException.badRequest("paymentId is a PortOne V2 report, and PortOne V2 is not configured here");
        }
        if (body.raw("imp_uid") != null) {
            throw ApiException.badRequest("send either {paymentId} (V2) or {imp_uid, merchant_uid} (V1), not both");
        }
        String paymentId = body.text("paymentId", 64);
        RequestLog.note(ctx, RequestLog.IMP_UID, paymentId);
        SyncResult result = v2.verify(paymentId, Source.BROWSER);
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, result.merchantUid());
        HttpAnswer answer = HttpAnswer.of(result);
        RequestLog.note(ctx, RequestLog.VERDICT, answer.body().status());
        ctx.status(answer.httpStatus()).json(answer.body());
    }
}
