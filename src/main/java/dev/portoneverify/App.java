package dev.portoneverify;

import static io.javalin.apibuilder.ApiBuilder.after;
import static io.javalin.apibuilder.ApiBuilder.before;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.admin.AdminGuard;
import dev.portoneverify.admin.AdminHandler;
import dev.portoneverify.checkout.CheckoutHandler;
import dev.portoneverify.checkout.V2CheckoutHandler;
import dev.portoneverify.db.Database;
import dev.portoneverify.limits.RateLimiter;
import dev.portoneverify.ops.health.HealthHandler;
import dev.portoneverify.order.AmountRegistrationFailedException;
import dev.portoneverify.order.OrderHandler;
import dev.portoneverify.payment.CompleteHandler;
import dev.portoneverify.payment.ConfirmHandler;
import dev.portoneverify.payment.RefundRefusedException;
import dev.portoneverify.payment.V2WebhookHandler;
import dev.portoneverify.payment.WebhookHandler;
import dev.portoneverify.payment.WebhookSourceFilter;
import dev.portoneverify.portone.PortOneApiException;
import dev.portoneverify.portone.PortOneAuthException;
import dev.portoneverify.portone.PortOneBadResponseException;
import dev.portoneverify.portone.PortOneNotFoundException;
import dev.portoneverify.portone.PortOneTimeoutException;
import dev.portoneverify.portone.PortOneUnavailableException;
import dev.portoneverify.text.LogSafe;
import dev.portoneverify.user.UserHandler;
import dev.portoneverify.web.ApiDocument;
import dev.portoneverify.web.ApiException;
import dev.portoneverify.web.BearerGuard;
import dev.portoneverify.web.BodyDeadlineHandler;
import dev.portoneverify.web.ConnectionCap;
import dev.portoneverify.web.HttpLimits;
import dev.portoneverify.web.JsonErrorHandler;
import dev.portoneverify.web.LoopbackOnly;
import dev.portoneverify.web.RequestLog;
import dev.portoneverify.web.SecurityHeaders;
import dev.portoneverify.web.StatusMessage;
import io.javalin.Javalin;
import io.javalin.apibuilder.EndpointGroup;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP application: one route table, and every exception mapped to an answer in one place. */
public final class App {
    private static final Logger log = LoggerFactory.getLogger(App.class);
    /** Every body we accept is a few hundred bytes; anything near this is not a real client. */
    static final long MAX_REQUEST_BYTES = 64 * 1024;

    private App() {}

    /** {@code sandbox} is null in live mode, so that nothing of the sandbox is reachable then. */
    public record Handlers(UserHandler users, OrderHandler orders, CompleteHandler complete, ConfirmHandler confirm,
                           WebhookHandler webhook, WebhookSourceFilter webhookSources, CheckoutHandler checkout,
                           HealthHandler health, Admin admin, EndpointGroup sandbox, V2 v2) {}

    /** PortOne V2's own endpoints; null when V2 is off, so that they do not exist. */
    public record V2(V2CheckoutHandler checkout, V2WebhookHandler webhook) {}

    /** The admin API; null when ADMIN_TOKEN is not set, so that it does not exist. */
    public record Admin(AdminGuard guard, AdminHandler handler) {}

    public static Javalin create(ObjectMapper json, Handlers handlers, Config.Hardening hardening) {
        RateLimiter limits = new RateLimiter(hardening.rates());
        ApiDocument apiDocument = ApiDocument.load();
        HttpLimits http = hardening.http();
        return Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(json, false));
            config.startup.showJavalinBanner = false;
            // A verification holds no request thread while PortOne answers (issue 17): its handler returns
            // a future (ctx.future) over HttpClient.sendAsync, its transaction is queued for the database's
            // own threads, and the answer is written when both are done. Jetty's pool of 250 threads on
            // Java 17 would otherwise cap a flash sale at 250 / 0.2 s = 1,250 verifications/s with PortOne
            // at 200 ms, whatever the CPU could do (issue 5 thought the CPU ran out first; at 200 ms it does
            // not). Virtual threads where the JVM has them (21+) serve everything else; on 17 Javalin
            // ignores this.
            config.concurrency.useVirtualThreads = true;
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler());
                // bodies are read without holding a thread, then handed over whole (issue 15); twice
                // the app's limit, so that Javalin's own 413 answers everything in between
                server.setHandler(new BodyDeadlineHandler(2 * MAX_REQUEST_BYTES, http.bodyTimeout(), http.minBodyRate()));
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle event) {
                        limitConnections(server, http);
                    }
                });
            });
            // the checkout page: plain HTML and JavaScript, no build step
            config.staticFiles.add("/public", Location.CLASSPATH);
            RequestLog requestLog = new RequestLog();
            config.requestLogger.http(requestLog::log);
            config.routes.apiBuilder(() -> {
                before(requestLog::assignId);
                before(SecurityHeaders::apply);
                before(App::rejectUndecodablePath);
                before("health", limits::admitHealth);
                get("health", handlers.health()::health);
                if (hardening.metricsToken() != null) {
                    before("metrics", new BearerGuard(hardening.metricsToken().reveal(), "METRICS_TOKEN")::check);
                }
                get("metrics", handlers.health()::metrics);
                before("users", limits::admitCreation);
                before("orders", limits::admitCreation);
                // each V2 checkout writes a paymentId row (and may pre-register it at PortOne)
                before("orders/{merchantUid}/checkout", limits::admitCreation);
                // not payments/confirm: a refusal there fails a buyer's payment, so PortOne's calls are
                // never refused; it costs no PortOne call, and writes at most a row per payment and outcome
                for (String report : List.of("payments/complete", "portone-webhook")) {
                    before(report, limits::admitReport);
                    after(report, limits::chargeReport);
                }
                path("users", () -> {
                    post(handlers.users()::create);
                    get("{id}", handlers.users()::get);
                });
                path("orders", () -> {
                    post(handlers.orders()::create);
                    get("{merchantUid}", handlers.orders()::get);
                    if (handlers.v2() != null) {
                        post("{merchantUid}/checkout", handlers.v2().checkout()::checkout);
                    }
                });
                post("payments/complete", handlers.complete()::handle);
                post("payments/confirm", handlers.confirm()::handle);
                before("portone-webhook", handlers.webhookSources()::check);
                post("portone-webhook", handlers.webhook()::handle);
                if (handlers.v2() != null) {
                    // signed: the signature, not the caller's address, is what counts (WEBHOOK_ALLOWED_IPS is V1's),
                    // and without the secret no caller can make it ask PortOne anything, so no report limit either
                    post("portone-webhook/v2", handlers.v2().webhook()::handle);
                }
                get("checkout/config", handlers.checkout()::config);
                // this table's own description (OpenApiDocumentTest keeps the two in step)
                get("openapi.json", apiDocument::serve);
                if (handlers.admin() != null) {
                    AdminHandler admin = handlers.admin().handler();
                    path("admin", () -> {
                        // "/admin/*": the API only; the page's files (/admin.html, /admin.js) hold no data
                        before("/*", handlers.admin().guard()::check);
                        get("orders", admin::list);
                        get("orders/{merchantUid}", admin::detail);
                        post("orders/{merchantUid}/sync", admin::sync);
                        post("orders/{merchantUid}/refund", admin::refund);
                        get("forgeries", admin::forgeries);
                        post("payments/{impUid}/refund", admin::refundPayment);
                        get("refunds/failed", admin::failedRefunds);
                        get("sms/failed", admin::failedSms);
                        get("refunds/waiting", admin::waitingRefunds);
                    });
                }
                if (handlers.sandbox() != null) {
                    if (!hardening.sandboxControlOpen()) {
                        before("sandbox/*", LoopbackOnly::check);
                    }
                    path("sandbox", handlers.sandbox());
                }
            });
            mapExceptions(config.routes, handlers.health());
        });
    }

    /**
     * Idle connections close after {@code idleTimeout}, and at most {@code maxConnections} are open:
     * each costs a file handle, and the database needs some too (issue 15). Jetty's per-connection cache
     * of header lines is off: it keeps about 100 KB on the heap for every open connection (a trie of 1,024
     * entries), so 1,000 buyers' keep-alive connections held 100 MB of a 256 MB heap and the GC took 28%
     * of the server's CPU in a flash sale (issue 17, bench/README.md); the common headers stay cached in
     * Jetty's shared table.
     */
    private static void limitConnections(Server server, HttpLimits http) {
        for (Connector connector : server.getConnectors()) {
            if (connector instanceof ServerConnector serverConnector
                    && serverConnector.getConnectionFactory(ConnectionCap.PROTOCOL) == null) {
                serverConnector.setIdleTimeout(http.idleTimeout().toMillis());
                HttpConnectionFactory h1 = serverConnector.getConnectionFactory(HttpConnectionFactory.class);
                if (h1 != null) {
                    h1.getHttpConfiguration().setHeaderCacheSize(0);
                    serverConnector.addConnectionFactory(new ConnectionCap(h1, http.maxConnections()));
                    serverConnector.setDefaultProtocol(ConnectionCap.PROTOCOL);
                }
            }
        }
    }

    private static void mapExceptions(RoutesConfig routes, HealthHandler health) {
        routes.exception(ApiException.class, (e, ctx) -> answer(ctx, e.httpStatus(), e.status(), e.getMessage()));
        // Javalin's own refusals: no such endpoint, body too large, ...
        routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, e.getStatus(), switch (e.getStatus()) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "body_too_large";
            default -> "http_" + e.getStatus();
        }, e.getMessage()));

        routes.exception(RefundRefusedException.class, (e, ctx) -> answer(ctx, e.status().startsWith("unknown_") ? 404 : 409,
                e.status(), e.getMessage()));
        routes.exception(AmountRegistrationFailedException.class, (e, ctx) -> portoneFailed(ctx, e, 502,
                "prepare_failed", "PortOne did not register the order amount; the order was not created"));

        // PortOne could not tell us what happened: nothing was stored, and asking again later helps.
        routes.exception(PortOneTimeoutException.class, (e, ctx) -> portoneFailed(ctx, e, 504, "portone_timeout",
                "PortOne did not answer in time; try again"));
        routes.exception(PortOneUnavailableException.class, (e, ctx) -> portoneFailed(ctx, e, 503,
                "portone_unavailable", "PortOne cannot be reached; try again"));
        routes.exception(PortOneAuthException.class, (e, ctx) -> portoneFailed(ctx, e, 502, "portone_auth",
                "PortOne rejected this shop's API credentials"));
        routes.exception(PortOneApiException.class, (e, ctx) -> portoneFailed(ctx, e, 502, "portone_error",
                "PortOne answered with an error"));
        routes.exception(PortOneBadResponseException.class, (e, ctx) -> portoneFailed(ctx, e, 502, "portone_error",
                "PortOne's answer could not be read"));
        routes.exception(PortOneNotFoundException.class, (e, ctx) -> portoneFailed(ctx, e, 502, "portone_error",
                "PortOne answered with an error"));

        // The database could not be reached (PostgreSQL down, the network cut, every pooled connection
        // busy for 10 s): nothing was committed, and asking again helps. (Should the line break during
        // the commit itself, the change either happened or not; a repeated report settles it either way.)
        // A full disk, an I/O error or a file turned read-only: the same, and /health says so (issue 15).
        routes.exception(Exception.class, (e, ctx) -> {
            if (Database.cannotStore(e)) {
                health.storageFailed();
                log.error("{} {}: the database cannot store anything: {}", ctx.method(), ctx.path(), rootMessage(e));
                answer(ctx, 503, "database_unavailable", "the database cannot store anything now (disk full or I/O error); try again");
            } else if (e instanceof JdbiException && Database.isUnreachable(e)) {
                log.error("{} {}: the database is unreachable: {}", ctx.method(), ctx.path(), e.getMessage());
                answer(ctx, 503, "database_unavailable", "the database cannot be reached; try again");
            } else {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                answer(ctx, 500, "internal_error", "internal error; see the server log");
            }
        });
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** Javalin would fail on such a path while reading its parameters, with a 500. */
    private static void rejectUndecodablePath(Context ctx) {
        try {
            URLDecoder.decode(ctx.path(), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("the URL path is not validly percent-encoded");
        }
    }

    private static void portoneFailed(Context ctx, RuntimeException e, int status, String code, String message) {
        // exception messages from the PortOne client never carry secrets or tokens
        log.warn("{} {}: {}", ctx.method(), ctx.path(), LogSafe.of(e.getMessage()));
        answer(ctx, status, code, message);
    }

    private static void answer(Context ctx, int httpStatus, String status, String message) {
        ctx.status(httpStatus).json(new StatusMessage(status, message));
    }
}
