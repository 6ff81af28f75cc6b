package dev.portoneverify.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.web.RequestBody;
import dev.portoneverify.web.RequestLog;
import dev.portoneverify.web.StatusMessage;
import io.javalin.http.Context;

/**
 * {@code POST /portone-webhook}: PortOne says something happened to a payment. V1 webhooks are
 * unsigned, so only the imp_uid is used, and PortOne is asked what really happened.
 *
 * <p>PortOne resends (when the shop enabled resends) only on a network error or a 5xx, so the
 * answer is 200 for every decided outcome, a forgery included, and 5xx only when a resend would
 * help: PortOne unreachable (mapped in App) or a refund that PortOne did not carry out.
 */
public final class WebhookHandler {
    private final PaymentSync sync;
    private final ObjectMapper json;
    private final VerificationObserver observer;

    public WebhookHandler(PaymentSync sync, ObjectMapper json, VerificationObserver observer) {
        this.sync = sync;
        this.json = json;
        this.observer = observer;
    }

    public void handle(Context ctx) {
        observer.webhookReceived();
        String impUid = RequestBody.jsonOrForm(ctx, json).text("imp_uid", 64);
        RequestLog.note(ctx, RequestLog.IMP_UID, impUid);
        SyncResult result = sync.sync(impUid, Source.WEBHOOK);
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, result.merchantUid());
        RequestLog.note(ctx, RequestLog.VERDICT, result.verdict().wire());
        if (result.refund() == SyncResult.Refund.FAILED) {
            ctx.status(503).json(new StatusMessage("refund_failed", "refund not completed; send again"));
            return;
        }
        ctx.status(200).json(new StatusMessage(HttpAnswer.of(result).body().status(), "handled"));
    }
}
