package dev.portoneverify.payment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.portone.v2.SignedWebhook;
import dev.portoneverify.portone.v2.V2Webhook;
import dev.portoneverify.portone.v2.WebhookSignatureException;
import dev.portoneverify.portone.v2.WebhookVerifier;
import dev.portoneverify.web.RequestLog;
import dev.portoneverify.web.StatusMessage;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /portone-webhook/v2}: a PortOne V2 webhook (Standard Webhooks). The signature is checked over
 * the raw body before anything else: a missing, malformed, stale or wrong one is a 400, with no PortOne call
 * and no write. A valid one is still only a hint: the payment is looked up at PortOne and verified like any
 * report. 200 for every decided outcome (a forgery included) and for types this server does not handle;
 * 5xx only when a resend would help (PortOne unreachable, mapped in App; a refund not carried out).
 */
public final class V2WebhookHandler {
    private static final Logger log = LoggerFactory.getLogger(V2WebhookHandler.class);

    private final WebhookVerifier verifier;
    private final V2Reports reports;
    private final String storeId;
    private final ObjectMapper json;
    private final VerificationObserver observer;

    public V2WebhookHandler(WebhookVerifier verifier, V2Reports reports, String storeId, ObjectMapper json,
                            VerificationObserver observer) {
        this.verifier = verifier;
        this.reports = reports;
        this.storeId = storeId;
        this.json = json;
        this.observer = observer;
    }

    public void handle(Context ctx) {
        observer.webhookReceived();
        byte[] body = ctx.bodyAsBytes();
        try {
            verifier.verify(new SignedWebhook(ctx.header("webhook-id"), ctx.header("webhook-timestamp"),
                    ctx.header("webhook-signature"), body));
        } catch (WebhookSignatureException e) {
            log.warn("V2 webhook refused: {}", e.getMessage());
            ctx.status(400).json(new StatusMessage("invalid_signature", e.getMessage()));
            return;
        }
        V2Webhook webhook;
        try {
            webhook = V2Webhook.parse(body, ctx.isFormUrlencoded(), json);
        } catch (IllegalArgumentException e) {
            ctx.status(400).json(new StatusMessage("invalid_request", e.getMessage()));
            return;
        }
        if (webhook.paymentId() == null) {
            ctx.status(200).json(new StatusMessage("ignored", "webhook type " + webhook.type() + " is not handled here"));
            return;
        }
        if (webhook.storeId() != null && !webhook.storeId().equals(storeId)) {
            ctx.status(200).json(new StatusMessage("ignored", "the webhook is about another store"));
            return;
        }
        RequestLog.note(ctx, RequestLog.IMP_UID, webhook.paymentId());
        SyncResult result = reports.verify(webhook.paymentId(), Source.WEBHOOK);
        RequestLog.note(ctx, RequestLog.MERCHANT_UID, result.merchantUid());
        RequestLog.note(ctx, RequestLog.VERDICT, result.verdict().wire());
        if (result.refund() == SyncResult.Refund.FAILED) {
            ctx.status(503).json(new StatusMessage("refund_failed", "refund not completed; send again"));
            return;
        }
        ctx.status(200).json(new StatusMessage(HttpAnswer.of(result).body().status(), "handled"));
    }
}
