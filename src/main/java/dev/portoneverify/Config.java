package dev.portoneverify;

import dev.portoneverify.db.DatabaseSettings;
import dev.portoneverify.limits.RateLimits;
import dev.portoneverify.sandbox.PortOneSandbox;
import dev.portoneverify.sms.SmsSettings;
import dev.portoneverify.sms.SolapiSmsSender;
import dev.portoneverify.text.Secret;
import dev.portoneverify.web.HttpLimits;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything the server is told by its environment. The only class that reads environment
 * variables. Every secret and token is a {@link Secret}, so the record prints without them.
 */
public record Config(
        int port,
        DatabaseSettings database,
        boolean sandbox,
        URI portoneApiUrl,
        String portoneApiKey,
        Secret portoneApiSecret,
        Duration portoneTimeout,
        boolean allowTestPayments,
        boolean autoCancelForgeries,
        Duration reconcileInterval,
        Duration reconcileWindow,
        List<String> webhookAllowedIps,
        boolean webhookTrustForwardedFor,
        boolean prepareAmounts,
        boolean confirmProcess,
        String merchantCode,
        String pg,
        int sandboxPort,
        boolean sandboxFormWebhooks,
        Secret adminToken,
        String sandboxHost,
        String sandboxApiKey,
        Secret sandboxApiSecret,
        Path sandboxDatabase,
        URI sandboxWebhookUrl,
        boolean allowLiveOnSandboxDatabase,
        Hardening hardening,
        PortOneV2 portoneV2,
        SmsSettings sms) {

    /**
     * What issue 15 added against hostile traffic: client time limits and the connection cap, the
     * per-source rate limits, the token for /metrics (null: open) and whether the sandbox's control
     * endpoints answer other hosts than this one.
     */
    public record Hardening(HttpLimits http, RateLimits rates, Secret metricsToken, boolean sandboxControlOpen) {}

    /**
     * Every PORTONE_* variable the server knows. Any other stops start-up: a mistyped PORTONE_APIKEY
     * once left the key unset, which started the sandbox, open on every interface (issue 15). The
     * V2 names are reserved for the V2 API (issue 20); they count as live settings already.
     */
    static final List<String> PORTONE_VARIABLES = List.of(
            "PORTONE_MODE", "PORTONE_API_URL", "PORTONE_API_KEY", "PORTONE_API_SECRET", "PORTONE_TIMEOUT_MS",
            "PORTONE_ALLOW_TEST_PAYMENTS", "PORTONE_MERCHANT_CODE", "PORTONE_PG",
            "PORTONE_V2_API_SECRET", "PORTONE_V2_API_URL", "PORTONE_STORE_ID", "PORTONE_V2_WEBHOOK_SECRET",
            "PORTONE_V2_CHANNEL_KEY");
    /** Settings that only make sense against the real PortOne: any one of them means live mode. */
    private static final List<String> LIVE_SETTINGS = List.of(
            "PORTONE_API_URL", "PORTONE_API_KEY", "PORTONE_API_SECRET", "PORTONE_MERCHANT_CODE", "PORTONE_PG",
            "PORTONE_V2_API_SECRET", "PORTONE_V2_API_URL", "PORTONE_STORE_ID", "PORTONE_V2_WEBHOOK_SECRET",
            "PORTONE_V2_CHANNEL_KEY");

    /**
     * PortOne V2 in live mode (null when PORTONE_V2_API_SECRET is unset, and in the sandbox, which brings
     * its own test values). {@code webhookSecrets}: one, or two while the console rotates them.
     */
    public record PortOneV2(Secret apiSecret, URI apiUrl, String storeId, List<Secret> webhookSecrets, String channelKey) {}

    /** V1 is on in the sandbox, and in live mode when its key is set; a V2 secret alone means V2 only. */
    public boolean v1Enabled() {
        return sandbox || portoneApiKey != null;
    }

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");
    public static final String DEFAULT_DATABASE_URL = "jdbc:sqlite:data/portone-verify.db";
    /** Sandbox mode's own default: test orders never land in the file a shop later goes live on. */
    public static final String DEFAULT_SANDBOX_DATABASE_URL = "jdbc:sqlite:data/portone-verify-sandbox.db";
    /** The simulator's memory (its payments, registrations and token), apart from the shop's database. */
    public static final String DEFAULT_SANDBOX_STATE = "data/portone-v1-sandbox.db";

    public static Config fromEnv(Map<String, String> env) {
        refuseUnknownPortoneVariables(env);
        boolean sandbox = sandboxMode(env);
        PortOneV2 v2 = sandbox ? null : portoneV2(env);
        // live V1 needs its key pair, unless V2 alone is configured
        boolean v1 = !sandbox && (value(env, "PORTONE_API_KEY") != null || value(env, "PORTONE_API_SECRET") != null
                || v2 == null);
        return new Config(
                intIn(env, "PORT", 7070, 0, 65535),
                database(env, sandbox),
                sandbox,
                httpUrl(env, "PORTONE_API_URL", "https://api.iamport.kr"),
                v1 ? required(env, "PORTONE_API_KEY") : null,
                v1 ? Secret.of(required(env, "PORTONE_API_SECRET")) : null,
                Duration.ofMillis(intIn(env, "PORTONE_TIMEOUT_MS", 10_000, 100, 120_000)),
                bool(env, "PORTONE_ALLOW_TEST_PAYMENTS", false),
                bool(env, "AUTO_CANCEL_FORGERIES", true),
                Duration.ofSeconds(intIn(env, "RECONCILE_INTERVAL_SECONDS", 300, 0, 86_400)),
                Duration.ofHours(intIn(env, "RECONCILE_WINDOW_HOURS", 168, 1, 24 * 90)),
                ipList(env, "WEBHOOK_ALLOWED_IPS"),
                bool(env, "WEBHOOK_TRUST_FORWARDED_FOR", false),
                // in the sandbox, off by default so that a tampered amount reaches the shop and the
                // after-the-fact forgery check can be watched; turn it on to watch PortOne refuse it
                bool(env, "PREPARE_AMOUNTS", !sandbox),
                bool(env, "CONFIRM_PROCESS", false),
                value(env, "PORTONE_MERCHANT_CODE"),
                value(env, "PORTONE_PG"),
                intIn(env, "SANDBOX_PORT", PortOneSandbox.Settings.DEFAULT_PORT, 0, 65535),
                formWebhooks(env),
                adminToken(env),
                sandboxHost(env),
                orDefault(value(env, "SANDBOX_API_KEY"), PortOneSandbox.Settings.TEST_API_KEY),
                Secret.of(orDefault(value(env, "SANDBOX_API_SECRET"), PortOneSandbox.Settings.TEST_API_SECRET)),
                sandboxState(env),
                value(env, "SANDBOX_WEBHOOK_URL") == null ? null : httpUrl(env, "SANDBOX_WEBHOOK_URL", null),
                bool(env, "ALLOW_LIVE_ON_SANDBOX_DATABASE", false),
                hardening(env),
                v2,
                sms(env));
    }

    /** The sandbox's settings; {@code serveControl} for the standalone command. */
    public PortOneSandbox.Settings sandboxSettings() {
        return new PortOneSandbox.Settings(sandboxHost, sandboxPort, sandboxApiKey, sandboxApiSecret.reveal(), sandboxDatabase,
                false);
    }

    /** Loopback unless told: a sandbox has no real secret, so nobody else should reach it by accident. */
    private static String sandboxHost(Map<String, String> env) {
        String host = value(env, "SANDBOX_HOST");
        if (host == null) {
            return PortOneSandbox.Settings.LOOPBACK;
        }
        if (!IP_LITERAL.matcher(host).matches()) {
            throw new ConfigException("SANDBOX_HOST=" + host + " is not an IP address such as 127.0.0.1 or 0.0.0.0");
        }
        return host;
    }

    /** A file path, or {@code memory} for a sandbox that forgets everything when it stops. */
    private static Path sandboxState(Map<String, String> env) {
        String v = orDefault(value(env, "SANDBOX_DATABASE"), DEFAULT_SANDBOX_STATE);
        if (v.equalsIgnoreCase("memory")) {
            return null;
        }
        try {
            return Path.of(v);
        } catch (InvalidPathException e) {
            throw new ConfigException("SANDBOX_DATABASE=" + v + " is not a file path (or `memory`)");
        }
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    /** SMS_PROVIDER: log (the default) or solapi, which needs its key, secret and a registered sender number. */
    private static SmsSettings sms(Map<String, String> env) {
        String provider = value(env, "SMS_PROVIDER");
        if (provider == null || provider.equalsIgnoreCase(SmsSettings.LOG)) {
            return SmsSettings.log();
        }
        if (!provider.equalsIgnoreCase(SmsSettings.SOLAPI)) {
            throw new ConfigException("SMS_PROVIDER=" + provider + " is neither log nor solapi");
        }
        String why = " is not set: SMS_PROVIDER=solapi needs it (Solapi console > API Key 관리)";
        String key = value(env, "SOLAPI_API_KEY");
        String secret = value(env, "SOLAPI_API_SECRET");
        if (key == null || secret == null) {
            throw new ConfigException((key == null ? "SOLAPI_API_KEY" : "SOLAPI_API_SECRET") + why);
        }
        String sender = value(env, "SMS_SENDER_NUMBER");
        if (sender == null) {
            throw new ConfigException("SMS_SENDER_NUMBER is not set: SMS_PROVIDER=solapi needs the sender number "
                    + "registered in Solapi's console (발신번호 등록), e.g. 0212345678");
        }
        String digits = sender.replaceAll("[-\\s]", "");
        if (!digits.matches("0[0-9]{7,11}|1[0-9]{7}")) {
            throw new ConfigException("SMS_SENDER_NUMBER=" + sender + " is not a Korean phone number such as 02-1234-5678 or 1588-1234");
        }
        return new SmsSettings(SmsSettings.SOLAPI, httpUrl(env, "SOLAPI_API_URL", SolapiSmsSender.DEFAULT_API_URL.toString()),
                key, Secret.of(secret), digits);
    }

    private static Hardening hardening(Map<String, String> env) {
        HttpLimits http = new HttpLimits(
                Duration.ofMillis(intIn(env, "HTTP_IDLE_TIMEOUT_MS", HttpLimits.DEFAULT_IDLE_TIMEOUT_MS, 1_000, 600_000)),
                Duration.ofMillis(intIn(env, "REQUEST_BODY_TIMEOUT_MS", HttpLimits.DEFAULT_BODY_TIMEOUT_MS, 100, 600_000)),
                intIn(env, "REQUEST_MIN_BYTES_PER_SECOND", HttpLimits.DEFAULT_MIN_BODY_RATE, 0, 1_000_000),
                intIn(env, "MAX_CONNECTIONS", HttpLimits.DEFAULT_MAX_CONNECTIONS, 1, 1_000_000));
        RateLimits rates = new RateLimits(
                intIn(env, "LIMIT_UNKNOWN_REPORTS_PER_MINUTE", RateLimits.DEFAULT_UNKNOWN_REPORTS, 0, 1_000_000),
                intIn(env, "LIMIT_ORDERS_PER_MINUTE", RateLimits.DEFAULT_ORDERS, 0, 1_000_000),
                intIn(env, "LIMIT_HEALTH_PER_MINUTE", RateLimits.DEFAULT_HEALTH, 0, 1_000_000),
                bool(env, "LIMITS_TRUST_FORWARDED_FOR", false));
        String metricsToken = value(env, "METRICS_TOKEN");
        if (metricsToken != null && metricsToken.length() < 16) {
            throw new ConfigException("METRICS_TOKEN is shorter than 16 characters; use e.g. `openssl rand -hex 16`");
        }
        return new Hardening(http, rates, Secret.of(metricsToken), bool(env, "SANDBOX_CONTROL_OPEN", false));
    }

    private static void refuseUnknownPortoneVariables(Map<String, String> env) {
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            if (name.toUpperCase(Locale.ROOT).startsWith("PORTONE") && !PORTONE_VARIABLES.contains(name)) {
                throw new ConfigException(name + " is not a setting portone-verify knows; did you mean "
                        + likelyMeant(name) + "? (unset it, or fix its name)");
            }
        }
    }

    /** The known name closest to {@code name}, ignoring case and underscores (PORTONE_APIKEY: PORTONE_API_KEY). */
    private static String likelyMeant(String name) {
        String plain = name.toUpperCase(Locale.ROOT).replace("_", "").replace("-", "");
        String best = PORTONE_VARIABLES.get(0);
        int bestDistance = Integer.MAX_VALUE;
        for (String known : PORTONE_VARIABLES) {
            int d = distance(plain, known.replace("_", ""));
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Levenshtein distance; the names are short. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** {@code url} without the user and password it may carry (https://user:secret@host): for logs. */
    public static String redactUrl(URI url) {
        if (url.getRawUserInfo() == null) {
            return url.toString();
        }
        return url.toString().replace(url.getRawUserInfo() + "@", "***@");
    }

    private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]{1,500}");
    private static final Pattern STORE_ID = Pattern.compile("store-[0-9a-fA-F-]{1,64}");

    /** PORTONE_V2_*: on when the API secret is set; then the store id and the webhook secret are required. */
    private static PortOneV2 portoneV2(Map<String, String> env) {
        String secret = value(env, "PORTONE_V2_API_SECRET");
        if (secret == null) {
            for (String name : List.of("PORTONE_STORE_ID", "PORTONE_V2_WEBHOOK_SECRET", "PORTONE_V2_CHANNEL_KEY",
                    "PORTONE_V2_API_URL")) {
                if (value(env, name) != null) {
                    throw new ConfigException(name + " is set but PORTONE_V2_API_SECRET is not: V2 is turned on by its API "
                            + "secret (PortOne console > 결제 연동 > 연동 정보 > V2 API)");
                }
            }
            return null;
        }
        if (!PRINTABLE.matcher(secret).matches()) {
            throw new ConfigException("PORTONE_V2_API_SECRET is not a V2 API secret (printable characters without spaces)");
        }
        String storeId = value(env, "PORTONE_STORE_ID");
        if (storeId == null) {
            throw new ConfigException("PORTONE_STORE_ID is not set: V2 needs the store id (store-...) from PortOne's console");
        }
        if (!STORE_ID.matcher(storeId).matches()) {
            throw new ConfigException("PORTONE_STORE_ID=" + storeId + " is not a store id such as store-4ef2b4b4-...");
        }
        String webhookSecrets = value(env, "PORTONE_V2_WEBHOOK_SECRET");
        if (webhookSecrets == null) {
            throw new ConfigException("PORTONE_V2_WEBHOOK_SECRET is not set: V2 webhooks are verified with the console's "
                    + "webhook secret (whsec_...); two, separated by a comma, during a rotation");
        }
        List<Secret> secrets = new ArrayList<>();
        for (String part : webhookSecrets.split(",", -1)) {
            String s = part.trim();
            if (!webhookSecret(s)) {
                throw new ConfigException("PORTONE_V2_WEBHOOK_SECRET holds a value that is not a webhook secret "
                        + "(base64, optionally prefixed with whsec_)");
            }
            secrets.add(Secret.of(s));
        }
        if (secrets.size() > 2) {
            throw new ConfigException("PORTONE_V2_WEBHOOK_SECRET holds " + secrets.size()
                    + " secrets; PortOne keeps at most two at once (during a rotation)");
        }
        String channelKey = value(env, "PORTONE_V2_CHANNEL_KEY");
        if (channelKey != null && !PRINTABLE.matcher(channelKey).matches()) {
            throw new ConfigException("PORTONE_V2_CHANNEL_KEY is not a channel key (channel-key-...)");
        }
        return new PortOneV2(Secret.of(secret), httpUrl(env, "PORTONE_V2_API_URL", "https://api.portone.io"), storeId,
                List.copyOf(secrets), channelKey);
    }

    private static boolean webhookSecret(String s) {
        String base64 = s.startsWith("whsec_") ? s.substring("whsec_".length()) : s;
        try {
            return !base64.isEmpty() && java.util.Base64.getDecoder().decode(base64).length > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** PortOne's console lets the shop choose JSON or form-encoded webhooks; the sandbox can send either. */
    private static boolean formWebhooks(Map<String, String> env) {
        String format = value(env, "SANDBOX_WEBHOOK_FORMAT");
        if (format == null || format.equalsIgnoreCase("json")) {
            return false;
        }
        if (format.equalsIgnoreCase("form")) {
            return true;
        }
        throw new ConfigException("SANDBOX_WEBHOOK_FORMAT=" + format + " is neither json nor form");
    }

    /** Unset: no admin API at all. Set: long enough that guessing it is hopeless. */
    private static Secret adminToken(Map<String, String> env) {
        String token = value(env, "ADMIN_TOKEN");
        if (token != null && token.length() < 24) {
            throw new ConfigException("ADMIN_TOKEN is shorter than 24 characters; use e.g. `openssl rand -hex 24`");
        }
        return Secret.of(token);
    }

    /**
     * The embedded sandbox runs when asked for, or when no live PortOne setting is present at all: a
     * newcomer can try everything without a PortOne account. PORTONE_MODE=live turns a missing key
     * into an error.
     */
    private static boolean sandboxMode(Map<String, String> env) {
        String mode = value(env, "PORTONE_MODE");
        if (mode == null) {
            // any live setting at all means live: a key set without its secret is an error, not a sandbox
            return LIVE_SETTINGS.stream().allMatch(name -> value(env, name) == null);
        }
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "sandbox" -> true;
            case "live" -> false;
            default -> throw new ConfigException("PORTONE_MODE=" + mode + " is neither live nor sandbox");
        };
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String required(Map<String, String> env, String name) {
        String v = value(env, name);
        if (v == null) {
            throw new ConfigException(name + " is not set: live mode needs your PortOne REST API key and secret "
                    + "(PortOne console > 상점·계정 관리 > 내 식별코드·API Keys), or PORTONE_V2_API_SECRET for V2 alone; "
                    + "leave every PORTONE_* setting unset (or set PORTONE_MODE=sandbox) to run the sandbox");
        }
        return v;
    }

    private static int intIn(Map<String, String> env, String name, int fallback, int min, int max) {
        String v = value(env, name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new ConfigException(name + "=" + v + " is not a whole number from " + min + " to " + max);
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        String v = value(env, name);
        if (v == null) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name + "=" + v + " is not a boolean (use true or false)");
        };
    }

    /** Literal IP addresses only: a host name would need a DNS lookup per request and can change. */
    private static List<String> ipList(Map<String, String> env, String name) {
        String v = value(env, name);
        if (v == null) {
            return List.of();
        }
        List<String> ips = new ArrayList<>();
        for (String part : v.split(",")) {
            String ip = part.trim();
            if (ip.isEmpty()) {
                continue;
            }
            if (!IP_LITERAL.matcher(ip).matches()) {
                throw new ConfigException(name + " entry '" + ip + "' is not an IP address such as 52.78.100.19");
            }
            try {
                ips.add(InetAddress.getByName(ip).getHostAddress());
            } catch (UnknownHostException e) {
                throw new ConfigException(name + " entry '" + ip + "' is not an IP address such as 52.78.100.19");
            }
        }
        return List.copyOf(ips);
    }

    private static URI httpUrl(Map<String, String> env, String name, String fallback) {
        String v = value(env, name);
        String raw = v == null ? fallback : v;
        try {
            URI uri = new URI(raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                if (uri.getRawUserInfo() != null) {
                    // the JDK's HttpClient never sends a URL's user and password, so they would only sit in
                    // the configuration (and in whatever prints it)
                    throw new ConfigException(name + "=" + redactUrl(uri) + " carries a user and password, which are "
                            + "never sent; give the URL without them");
                }
                return uri;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw new ConfigException(name + "=" + (raw.contains("@") ? "(a URL with '@')" : raw)
                + " is not an http(s) URL such as " + fallback);
    }

    private static DatabaseSettings database(Map<String, String> env, boolean sandbox) {
        String url = value(env, "DATABASE_URL");
        return database(env, "DATABASE_URL", url != null ? url : sandbox ? DEFAULT_SANDBOX_DATABASE_URL : DEFAULT_DATABASE_URL);
    }

    /**
     * The database at {@code url} (named {@code name} in errors), with DATABASE_USER, DATABASE_PASSWORD
     * and DATABASE_POOL_SIZE from {@code env}; only PostgreSQL uses them.
     */
    public static DatabaseSettings database(Map<String, String> env, String name, String url) {
        DatabaseSettings.Dialect dialect = DatabaseSettings.dialectOf(url);
        if (dialect == null || url.endsWith(":")) {
            throw new ConfigException(name + "=" + DatabaseSettings.redact(url) + " is neither a SQLite JDBC URL such as "
                    + DEFAULT_DATABASE_URL + " nor a PostgreSQL one such as jdbc:postgresql://db.example:5432/shop");
        }
        return new DatabaseSettings(url, value(env, "DATABASE_USER"), value(env, "DATABASE_PASSWORD"),
                intIn(env, "DATABASE_POOL_SIZE", 10, 1, 200));
    }
}
