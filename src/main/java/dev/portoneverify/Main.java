package dev.portoneverify;

import static io.javalin.apibuilder.ApiBuilder.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.admin.AdminDao;
import dev.portoneverify.admin.AdminGuard;
import dev.portoneverify.admin.AdminHandler;
import dev.portoneverify.checkout.CheckoutHandler;
import dev.portoneverify.checkout.V2CheckoutHandler;
import dev.portoneverify.concurrent.ContinuationPool;
import dev.portoneverify.db.Database;
import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.db.DatabaseSetupException;
import dev.portoneverify.ops.LiveStartCheck;
import dev.portoneverify.ops.health.HealthHandler;
import dev.portoneverify.ops.metrics.Metrics;
import dev.portoneverify.order.AmountRegistration;
import dev.portoneverify.order.AmountRegistrationFailedException;
import dev.portoneverify.order.MerchantUids;
import dev.portoneverify.order.OrderDao;
import dev.portoneverify.order.OrderHandler;
import dev.portoneverify.order.PaymentAttemptDao;
import dev.portoneverify.order.PaymentIds;
import dev.portoneverify.payment.CompleteHandler;
import dev.portoneverify.payment.ConfirmHandler;
import dev.portoneverify.payment.HistoryDao;
import dev.portoneverify.payment.PaymentDao;
import dev.portoneverify.payment.PaymentSync;
import dev.portoneverify.payment.Policy;
import dev.portoneverify.payment.PortOneRouter;
import dev.portoneverify.payment.Refunds;
import dev.portoneverify.payment.V2Reports;
import dev.portoneverify.payment.V2WebhookHandler;
import dev.portoneverify.payment.WebhookHandler;
import dev.portoneverify.payment.WebhookSourceFilter;
import dev.portoneverify.portone.PortOneClient;
import dev.portoneverify.portone.PortOneCredentials;
import dev.portoneverify.portone.PortOneException;
import dev.portoneverify.portone.PortOneObserver;
import dev.portoneverify.portone.v2.PortOneV2Client;
import dev.portoneverify.portone.v2.V2Credentials;
import dev.portoneverify.portone.v2.WebhookVerifier;
import dev.portoneverify.reconcile.LeaseDao;
import dev.portoneverify.reconcile.PositionDao;
import dev.portoneverify.reconcile.Reconciler;
import dev.portoneverify.sandbox.PortOneSandbox;
import dev.portoneverify.sandbox.SandboxMarkDao;
import dev.portoneverify.sandbox.SandboxStoreException;
import dev.portoneverify.sandbox.WebhookFormat;
import dev.portoneverify.sandbox.v2.PortOneV2Sandbox;
import dev.portoneverify.sms.LogSmsSender;
import dev.portoneverify.sms.SmsDispatcher;
import dev.portoneverify.sms.SmsOutboxDao;
import dev.portoneverify.sms.SmsSender;
import dev.portoneverify.sms.SmsSettings;
import dev.portoneverify.sms.SolapiSmsSender;
import dev.portoneverify.text.Secret;
import dev.portoneverify.tools.migrate.MigrateCommand;
import dev.portoneverify.tools.selftest.SelfTest;
import dev.portoneverify.user.BuyerAccess;
import dev.portoneverify.user.BuyerTokenDao;
import dev.portoneverify.user.UserDao;
import dev.portoneverify.user.UserHandler;
import dev.portoneverify.web.Json;
import io.javalin.util.JavalinBindException;
import java.lang.management.ManagementFactory;
import java.net.BindException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: reads the configuration and builds every object by hand. */
public final class Main {
    private static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

    static {
        // HttpClient.sendAsync hands every answer to CompletableFuture's default pool, and on a JVM that
        // sees fewer than 3 cores that "pool" starts a new thread for each task: one thread created per
        // PortOne call (issue 17). Two common-pool threads instead; before anything initialises the pool.
        if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
            System.setProperty(COMMON_POOL_PARALLELISM, Integer.toString(Math.max(2,
                    Runtime.getRuntime().availableProcessors() - 1)));
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("migrate-db")) {
            System.exit(MigrateCommand.run(args, migrationDatabases(System.getenv()), System.out, System.err));
        }
        if (args.length == 1 && args[0].equals("self-test")) {
            System.exit(SelfTest.run(System.out, Main::startOnLoopback));
        }
        if (args.length > 0 && args[0].equals("sandbox")) {
            sandboxAlone(Arrays.copyOfRange(args, 1, args.length), System.getenv());
            return;
        }
        if (args.length > 1 || (args.length == 1 && !args[0].equals("reconcile"))) {
            System.err.println("usage: java -jar portone-verify.jar [reconcile | sandbox [--webhook-url <url>] | self-test"
                    + " | migrate-db --to <jdbc url>]");
            System.exit(2);
        }
        Config config;
        Server assembled;
        Clock clock = Clock.tickMillis(ZoneOffset.UTC);
        List<String> warnings;
        try {
            config = Config.fromEnv(System.getenv());
            // before the database is touched: wrong keys stop the start with nothing but one line
            warnings = config.sandbox() || !config.v1Enabled() || args.length > 0 ? List.of() : checkLiveStart(config, clock);
            assembled = build(config, smsSender(config, clock), clock);
        } catch (ConfigException | DatabaseSetupException | SandboxStoreException e) {
            exit2(e.getMessage());
            return;
        } catch (RuntimeException e) {
            // only the sandbox listens while the server is built
            exit2IfPortInUse(e, "the sandbox's port (SANDBOX_PORT, " + sandboxPortOf(System.getenv()) + ")");
            throw e;
        }
        if (args.length == 1) {
            // one reconciliation pass, then exit: for cron, or after the server was down a while
            Reconciler.Summary summary = assembled.reconciler().runOnce();
            System.exit(summary.failed() == 0 ? 0 : 1);
        }
        Server server;
        try {
            server = assembled.start(config.port());
        } catch (RuntimeException e) {
            exit2IfPortInUse(e, "port " + config.port() + " (PORT)");
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopped("portone-verify", server::stop), "shutdown"));
        if (server.sandbox() != null) {
            log.info("SANDBOX MODE: no PortOne setting is present, so payments go to the embedded PortOne simulators, "
                    + "V1 and V2; no real money moves. Try http://localhost:{}/ or the walkthrough in README.md", server.port());
            log.info("{}; any PortOne V1 client can use it", server.sandbox().describe());
            log.info("{}; webhooks signed to /portone-webhook/v2", server.sandboxV2().describe());
        }
        for (String warning : warnings) {
            log.warn("{}", warning);
        }
        log.info("portone-verify listening on http://localhost:{} (PortOne V1 API {}, V2 API {}, database {}, test payments {}, "
                        + "auto-cancel forgeries {}, prepare amounts {}, SMS {})", server.port(),
                server.sandbox() != null ? server.sandbox().apiUrl()
                        : config.v1Enabled() ? Config.redactUrl(config.portoneApiUrl()) : "off",
                server.sandboxV2() != null ? server.sandboxV2().apiUrl()
                        : config.portoneV2() != null ? Config.redactUrl(config.portoneV2().apiUrl()) : "off",
                config.database().redactedUrl(),
                config.allowTestPayments() ? "allowed" : "refused", config.autoCancelForgeries() ? "on" : "off",
                config.prepareAmounts() ? "on" : "off", config.sms().provider());
    }

    /** The shop's SMS provider: the log unless SMS_PROVIDER says otherwise. */
    public static SmsSender smsSender(Config config, Clock clock) {
        SmsSettings sms = config.sms();
        if (!sms.solapi()) {
            return new LogSmsSender();
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return new SolapiSmsSender(http, Json.newMapper(), sms.solapiApiUrl(), sms.solapiApiKey(), sms.solapiApiSecret().reveal(),
                sms.senderNumber(), Duration.ofSeconds(10), clock);
    }

    /**
     * Live mode asks PortOne for a token once, before anything else exists (docs/configuration.md, "A live start
     * checks itself"): throws when PortOne rejects the keys, else returns the warnings to log once listening.
     */
    private static List<String> checkLiveStart(Config config, Clock clock) {
        List<String> warnings = new ArrayList<>(LiveStartCheck.settings(config.merchantCode()));
        Optional<String> refused = LiveStartCheck.credentials(startCheckClient(config, clock), warnings);
        if (refused.isPresent()) {
            throw new ConfigException(refused.get());
        }
        return warnings;
    }

    /**
     * The start check's client is made the one way every V1 client is ({@link #portOneV1}), but is an
     * instance of its own: it runs before the database exists, so before the metrics the server's
     * client reports to, and its token is not worth keeping for a server that may not start.
     */
    private static PortOneClient startCheckClient(Config config, Clock clock) {
        return portOneV1(config, portOneHttp(config), Json.newMapper(), null, clock, PortOneObserver.NONE);
    }

    /**
     * The one place a PortOne V1 client is made: against the embedded sandbox when there is one, else
     * against PORTONE_API_URL with the shop's keys.
     */
    private static PortOneClient portOneV1(Config config, HttpClient http, ObjectMapper json, PortOneSandbox sandbox,
                                           Clock clock, PortOneObserver observer) {
        return sandbox == null
                ? new PortOneClient(http, json, config.portoneApiUrl(),
                        new PortOneCredentials(config.portoneApiKey(), config.portoneApiSecret().reveal()),
                        config.portoneTimeout(), config.allowTestPayments(), clock, observer)
                : new PortOneClient(http, json, sandbox.apiUrl(), new PortOneCredentials(sandbox.apiKey(), sandbox.apiSecret()),
                        config.portoneTimeout(), config.allowTestPayments(), clock, observer);
    }

    /** The HTTP client both PortOne generations share. */
    private static HttpClient portOneHttp(Config config) {
        return HttpClient.newBuilder()
                .connectTimeout(min(config.portoneTimeout(), Duration.ofSeconds(5)))
                // Finish each exchange on the client's selector thread instead of handing it to a
                // pooled thread that then wakes the caller: one context switch less per PortOne call,
                // which is most of a call's cost on a small VM (issue 5). Our body handlers never block.
                .executor(Runnable::run)
                .build();
    }

    /** Builds the whole server from a configuration; tests call this too, with their own SMS sender. */
    public static Server build(Config config, SmsSender smsSender, Clock clock) {
        ObjectMapper json = Json.newMapper();
        Database database = Database.open(config.database());
        Jdbi jdbi = database.jdbi();
        SandboxMarkDao marks = jdbi.onDemand(SandboxMarkDao.class);
        if (config.sandbox()) {
            marks.markSandbox(clock.instant());
        } else if (!config.allowLiveOnSandboxDatabase() && marks.holdsSandboxOrders()) {
            database.close();
            throw new ConfigException("the database " + config.database().redactedUrl() + " holds orders made in sandbox"
                    + " mode, which the real PortOne has never seen; start live on a fresh database (DATABASE_URL), or set"
                    + " ALLOW_LIVE_ON_SANDBOX_DATABASE=true to use it anyway");
        }
        PortOneSandbox sandbox;
        try {
            sandbox = config.sandbox() ? PortOneSandbox.start(config.sandboxSettings(), clock) : null;
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        if (sandbox != null && config.sandboxFormWebhooks()) {
            sandbox.webhookFormat(WebhookFormat.FORM);
        }
        // the sandbox simulates both generations; V2's API gets a port of its own, its paths being V1's
        PortOneV2Sandbox sandboxV2 = config.sandbox() ? PortOneV2Sandbox.start(0, clock) : null;
        HttpClient http = portOneHttp(config);
        SmsOutboxDao outbox = jdbi.onDemand(SmsOutboxDao.class);
        Metrics metrics = new Metrics(outbox::unsentCount, database.transactions()::waiting);
        PortOneClient portone = config.v1Enabled() ? portOneV1(config, http, json, sandbox, clock, metrics) : null;
        Config.PortOneV2 v2 = sandboxV2 == null ? config.portoneV2()
                : new Config.PortOneV2(Secret.of(PortOneV2Sandbox.API_SECRET), sandboxV2.apiUrl(), PortOneV2Sandbox.STORE_ID,
                        List.of(Secret.of(PortOneV2Sandbox.WEBHOOK_SECRET)), PortOneV2Sandbox.CHANNEL_KEY);
        PortOneV2Client portoneV2 = v2 == null ? null : new PortOneV2Client(http, json, v2.apiUrl(),
                new V2Credentials(v2.apiSecret().reveal(), v2.storeId()), config.portoneTimeout(), metrics);
        PaymentAttemptDao attempts = jdbi.onDemand(PaymentAttemptDao.class);
        // the core holds ids only; the router sends each to its generation's client
        PortOneRouter router = new PortOneRouter(portone, portoneV2, attempts);

        SmsDispatcher sms = new SmsDispatcher(outbox, smsSender, clock, metrics);
        // a refund call still unanswered after this long was cut short by a crash; a V2 refund may spend
        // four calls: a lookup, the cancel, its one retry, the lookup after
        Duration refundCallLimit = config.portoneTimeout().multipliedBy(4);
        // where verifications go on once PortOne or the database answered: no thread waits for either (issue 17)
        ContinuationPool continuation = ContinuationPool.perCore("verification");
        PaymentSync sync = new PaymentSync(router, database.transactions(), sms,
                new Policy(config.allowTestPayments(), config.autoCancelForgeries()), clock, refundCallLimit, metrics,
                continuation);
        V2Reports v2Reports = portoneV2 == null ? null : new V2Reports(router, sync, clock, metrics);
        UserDao users = jdbi.onDemand(UserDao.class);
        OrderDao orders = jdbi.onDemand(OrderDao.class);

        ConfirmHandler confirm = new ConfirmHandler(orders, jdbi, json, clock);
        Reconciler reconciler = new Reconciler(orders, jdbi.onDemand(PaymentDao.class), jdbi.onDemand(LeaseDao.class),
                jdbi.onDemand(PositionDao.class), portone, sync, clock, config.reconcileWindow(), refundCallLimit,
                v2Reports == null ? null : new Reconciler.V2Attempts(attempts, v2Reports));
        App.Admin admin = config.adminToken() == null ? null : new App.Admin(new AdminGuard(config.adminToken().reveal()),
                new AdminHandler(jdbi.onDemand(AdminDao.class), orders, jdbi.onDemand(HistoryDao.class), reconciler,
                        new Refunds(router, sync, orders, jdbi.onDemand(PaymentDao.class), jdbi, clock), json, outbox));
        BuyerTokenDao buyerTokens = jdbi.onDemand(BuyerTokenDao.class);
        BuyerAccess buyers = new BuyerAccess(buyerTokens,
                config.adminToken() == null ? null : config.adminToken().reveal());
        App.V2 v2Handlers = portoneV2 == null ? null : new App.V2(
                new V2CheckoutHandler(orders, attempts, new PaymentIds(), preRegistration(config, portoneV2),
                        v2.storeId(), v2.channelKey(), buyers, clock),
                new V2WebhookHandler(new WebhookVerifier(v2.webhookSecrets().stream().map(Secret::reveal).toList(), clock), v2Reports, v2.storeId(), json,
                        metrics));
        App.Handlers handlers = new App.Handlers(
                new UserHandler(users, buyerTokens, buyers, json, clock),
                new OrderHandler(orders, users, buyers, new MerchantUids(), amountRegistration(config, portone), json,
                        clock),
                new CompleteHandler(sync, v2Reports, json),
                confirm,
                new WebhookHandler(sync, json, metrics),
                new WebhookSourceFilter(config.webhookAllowedIps(), config.webhookTrustForwardedFor()),
                new CheckoutHandler(config.sandbox(), config.merchantCode(), config.pg(), config.confirmProcess(),
                        portone != null, portoneV2 != null),
                new HealthHandler(jdbi, portone, metrics),
                admin,
                sandbox == null ? null : () -> {
                    sandbox.controlRoutes().addEndpoints();
                    path("v2", sandboxV2.controlRoutes());
                },
                v2Handlers);
        // in this order: the confirm handler's pending history writes still need the database, and what
        // follows the database's last commits still needs the continuation's threads
        List<AutoCloseable> closeOnStop = sandbox == null ? List.of(confirm, database, continuation)
                : List.of(confirm, sandbox, sandboxV2, database, continuation);
        return new Server(App.create(json, handlers, config.hardening()), sms, reconciler, config.reconcileInterval(), sandbox,
                sandboxV2, closeOnStop);
    }

    /**
     * {@code java -jar portone-verify.jar sandbox [--webhook-url URL]}: the PortOne V1 simulator alone, with its
     * control API under {@code /sandbox} on its own port, for a shop whose verification server is another
     * program. Webhooks go to {@code --webhook-url} or SANDBOX_WEBHOOK_URL, or nowhere. Runs until stopped.
     */
    private static void sandboxAlone(String[] args, Map<String, String> environment) {
        if (!(args.length == 0 || (args.length == 2 && args[0].equals("--webhook-url")))) {
            System.err.println("usage: java -jar portone-verify.jar sandbox [--webhook-url <url>]");
            System.exit(2);
        }
        Map<String, String> env = new HashMap<>(environment);
        // whatever else the environment says, this command is the sandbox; a URL given here wins over the env's
        env.put("PORTONE_MODE", "sandbox");
        if (args.length == 2) {
            env.put("SANDBOX_WEBHOOK_URL", args[1]);
        }
        PortOneSandbox sandbox;
        Config config;
        try {
            config = Config.fromEnv(env);
            sandbox = PortOneSandbox.start(config.sandboxSettings().servingControl(), Clock.tickMillis(ZoneOffset.UTC));
        } catch (ConfigException | SandboxStoreException e) {
            exit2(e.getMessage());
            return;
        } catch (RuntimeException e) {
            exit2IfPortInUse(e, "the sandbox's port (SANDBOX_PORT, " + sandboxPortOf(env) + ")");
            throw e;
        }
        sandbox.webhookUrl(config.sandboxWebhookUrl());
        if (config.sandboxFormWebhooks()) {
            sandbox.webhookFormat(WebhookFormat.FORM);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopped("portone-verify sandbox", sandbox::close), "shutdown"));
        log.info("{}; control API at {}/sandbox/payments; webhooks to {}", sandbox.describe(), sandbox.apiUrl(),
                config.sandboxWebhookUrl() == null ? "nowhere (give --webhook-url)" : config.sandboxWebhookUrl());
    }

    /** One line on stderr and exit code 2: what every refusal to start looks like. */
    static void exit2(String message) {
        System.err.println("portone-verify cannot start: " + message);
        System.exit(2);
    }

    /** A port someone else holds is the user's to fix, not a stack trace: one line and exit code 2. */
    static void exit2IfPortInUse(RuntimeException e, String which) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || t instanceof JavalinBindException) {
                exit2(which + " is already in use: stop what listens there, or choose another port");
            }
        }
    }

    private static String sandboxPortOf(Map<String, String> env) {
        String port = env.get("SANDBOX_PORT");
        return port == null || port.isBlank() ? String.valueOf(PortOneSandbox.Settings.DEFAULT_PORT) : port.strip();
    }

    /** The self-test's throwaway server: only this machine can reach it. */
    public static SelfTest.Started startOnLoopback(Map<String, String> environment) {
        Server server = build(Config.fromEnv(environment), new LogSmsSender(), Clock.tickMillis(ZoneOffset.UTC));
        try {
            server.start("127.0.0.1", 0);
        } catch (RuntimeException e) {
            server.stop();
            throw e;
        }
        return new SelfTest.Started() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }

    /** migrate-db's two databases, read from the shop's settings as the server reads them. */
    public static MigrateCommand.Databases migrationDatabases(Map<String, String> env) {
        return new MigrateCommand.Databases() {
            @Override
            public DatabaseSettings source() {
                return Config.fromEnv(env).database();
            }

            @Override
            public DatabaseSettings target(String option, String url) {
                return Config.database(env, option, url);
            }
        };
    }

    /** V2's pre-register, for each paymentId POST /orders/{merchant_uid}/checkout issues. */
    private static AmountRegistration preRegistration(Config config, PortOneV2Client portone) {
        if (!config.prepareAmounts()) {
            return AmountRegistration.OFF;
        }
        return (paymentId, amount, currency) -> {
            try {
                portone.preRegister(paymentId, amount, currency);
            } catch (PortOneException e) {
                throw new AmountRegistrationFailedException(e.getMessage(), e);
            }
        };
    }

    private static AmountRegistration amountRegistration(Config config, PortOneClient portone) {
        if (!config.prepareAmounts() || portone == null) {
            return AmountRegistration.OFF;
        }
        return (merchantUid, amount, currency) -> {
            try {
                portone.prepare(merchantUid, amount, currency);
            } catch (PortOneException e) {
                throw new AmountRegistrationFailedException(e.getMessage(), e);
            }
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * Runs in the shutdown hook (SIGTERM, Ctrl-C, System.exit): a log then ends with a line saying the
     * process stopped on purpose, and after how long, instead of just breaking off.
     */
    private static void stopped(String what, Runnable stop) {
        stop.run();
        log.info("{} stopped after {} s", what, ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    }
}
