package dev.portoneverify.ops.metrics;

import dev.portoneverify.payment.Source;
import dev.portoneverify.payment.Verdict;
import dev.portoneverify.payment.VerificationObserver;
import dev.portoneverify.portone.PortOneException;
import dev.portoneverify.portone.PortOneExchange;
import dev.portoneverify.portone.PortOneObserver;
import dev.portoneverify.portone.PortOneVersion;
import dev.portoneverify.sms.SmsObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The server's Prometheus metrics, in one registry per server (never the library's global one, so
 * that two servers in one JVM, as in tests, keep their own counts). It observes the PortOne client,
 * the verification path and the SMS dispatcher through their observer interfaces.
 */
public final class Metrics implements PortOneObserver, VerificationObserver, SmsObserver {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    private final Counter verifications = Counter.builder()
            .name("portone_verify_verifications_total")
            .help("Verifications by who reported the payment (browser, webhook, reconciliation) and outcome")
            .labelNames("source", "outcome").register(registry);
    private final Counter verificationsByVersion = Counter.builder()
            .name("portone_verify_verifications_by_version_total")
            .help("Verifications by PortOne generation (v1, v2) and outcome")
            .labelNames("portone_version", "outcome").register(registry);
    private final Counter forgeries = Counter.builder()
            .name("portone_verify_forgeries_total")
            .help("Payments whose amount or currency differed from their order's").register(registry);
    private final Counter refunds = Counter.builder()
            .name("portone_verify_refunds_total")
            .help("Refunds of forged or duplicate payments, by result (refunded, failed)")
            .labelNames("result").register(registry);
    private final Counter webhooks = Counter.builder()
            .name("portone_verify_webhooks_received_total")
            .help("Webhook requests received").register(registry);
    private final Histogram portoneRequests = Histogram.builder()
            .name("portone_verify_portone_request_duration_seconds")
            .help("PortOne API requests by endpoint and result")
            .classicUpperBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .labelNames("endpoint", "result").register(registry);
    private final Counter tokenRefreshes = Counter.builder()
            .name("portone_verify_portone_token_refreshes_total")
            .help("Access tokens fetched from PortOne").register(registry);
    private final Counter smsDeliveries = Counter.builder()
            .name("portone_verify_sms_deliveries_total")
            .help("SMS delivery attempts by result (delivered, failed: retried later, rejected: refused for good)")
            .labelNames("result").register(registry);

    /** The suppliers are read at each scrape, so the gauges are never stale. */
    public Metrics(IntSupplier unsentSms, IntSupplier waitingTransactions) {
        GaugeWithCallback.builder()
                .name("portone_verify_sms_outbox_depth")
                .help("SMS messages in the outbox not yet sent")
                .callback(callback -> callback.call(unsentSms.getAsInt()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("portone_verify_transactions_waiting")
                .help("Verification transactions queued for SQLite's writer (group commit); 0 on PostgreSQL")
                .callback(callback -> callback.call(waitingTransactions.getAsInt()))
                .register(registry);
    }

    /** The Prometheus text exposition format. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public String contentType() {
        return writer.getContentType();
    }

    @Override
    public void verified(Source source, Verdict verdict) {
        verified(source, verdict, PortOneVersion.V1);
    }

    @Override
    public void verified(Source source, Verdict verdict, PortOneVersion version) {
        verifications.labelValues(source.wire(), verdict.wire()).inc();
        verificationsByVersion.labelValues(version.wire(), verdict.wire()).inc();
        if (verdict == Verdict.FORGERY) {
            forgeries.inc();
        }
    }

    @Override
    public void refunded(boolean succeeded) {
        refunds.labelValues(succeeded ? "refunded" : "failed").inc();
    }

    @Override
    public void webhookReceived() {
        webhooks.inc();
    }

    /**
     * The {@code result} label the PortOne clients give a failed request, for anything else that names a
     * PortOne failure (GET /health): dashboards and alerts match these words, so there is one list.
     */
    public static String resultOf(PortOneException e) {
        return PortOneExchange.result(e);
    }

    @Override
    public void requested(String endpoint, String result, Duration took) {
        portoneRequests.labelValues(endpoint, result).observe(took.toNanos() / 1e9);
    }

    @Override
    public void tokenFetched() {
        tokenRefreshes.inc();
    }

    @Override
    public void delivered() {
        smsDeliveries.labelValues("delivered").inc();
    }

    @Override
    public void failed() {
        smsDeliveries.labelValues("failed").inc();
    }

    @Override
    public void rejected() {
        smsDeliveries.labelValues("rejected").inc();
    }
}
