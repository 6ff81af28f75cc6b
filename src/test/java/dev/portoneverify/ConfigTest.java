package dev.portoneverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.db.DatabaseSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    private static final Map<String, String> KEYS = Map.of("PORTONE_API_KEY", "key", "PORTONE_API_SECRET", "s3cr3t-value");

    @Test
    void defaults_are_port_7070_a_sqlite_file_under_data_and_the_real_portone() {
        Config config = Config.fromEnv(KEYS);

        assertEquals(7070, config.port());
        assertEquals("jdbc:sqlite:data/portone-verify.db", config.database().url());
        assertEquals("https://api.iamport.kr", config.portoneApiUrl().toString());
        assertEquals(Duration.ofSeconds(10), config.portoneTimeout());
        assertFalse(config.allowTestPayments());
        assertTrue(config.autoCancelForgeries());
        assertEquals(Duration.ofMinutes(5), config.reconcileInterval());
        assertEquals(Duration.ofDays(7), config.reconcileWindow());
        assertTrue(config.webhookAllowedIps().isEmpty());
        assertFalse(config.webhookTrustForwardedFor());
    }

    @Test
    void without_an_api_key_the_server_runs_the_sandbox_and_registers_no_amounts_by_default() {
        Config config = Config.fromEnv(Map.of());

        assertTrue(config.sandbox());
        assertFalse(config.prepareAmounts());
        assertTrue(Config.fromEnv(Map.of("PORTONE_MODE", "sandbox", "PORTONE_API_KEY", "k", "PORTONE_API_SECRET", "s")).sandbox());
    }

    @Test
    void with_keys_the_server_runs_live_and_registers_amounts_by_default() {
        Config config = Config.fromEnv(KEYS);

        assertFalse(config.sandbox());
        assertTrue(config.prepareAmounts());
    }

    @Test
    void a_missing_key_or_secret_in_live_mode_stops_start_up_naming_the_variable() {
        ConfigException noKey = assertThrows(ConfigException.class,
                () -> Config.fromEnv(Map.of("PORTONE_MODE", "live", "PORTONE_API_SECRET", "x")));
        ConfigException noSecret = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("PORTONE_API_KEY", "x")));

        assertTrue(noKey.getMessage().startsWith("PORTONE_API_KEY is not set"), noKey.getMessage());
        assertTrue(noSecret.getMessage().startsWith("PORTONE_API_SECRET is not set"), noSecret.getMessage());
    }

    @Test
    void malformed_values_stop_start_up_naming_the_variable() {
        assertRejected("PORT", "seventy", "PORT=seventy");
        assertRejected("PORT", "70000", "PORT=70000");
        assertRejected("PORTONE_ALLOW_TEST_PAYMENTS", "maybe", "PORTONE_ALLOW_TEST_PAYMENTS=maybe");
        assertRejected("AUTO_CANCEL_FORGERIES", "2", "AUTO_CANCEL_FORGERIES=2");
        assertRejected("PORTONE_API_URL", "ftp://x", "PORTONE_API_URL=ftp://x");
        assertRejected("DATABASE_URL", "postgres://db", "DATABASE_URL=postgres://db");
        assertRejected("WEBHOOK_ALLOWED_IPS", "portone.io", "WEBHOOK_ALLOWED_IPS entry 'portone.io'");
        assertRejected("RECONCILE_INTERVAL_SECONDS", "-1", "RECONCILE_INTERVAL_SECONDS=-1");
        assertRejected("PORTONE_MODE", "test", "PORTONE_MODE=test");
    }

    @Test
    void a_postgresql_url_with_its_login_and_pool_size_is_taken() {
        Map<String, String> env = new HashMap<>(KEYS);
        env.putAll(Map.of("DATABASE_URL", "jdbc:postgresql://db.internal:5432/shop", "DATABASE_USER", "shop",
                "DATABASE_PASSWORD", "pg-pa55word", "DATABASE_POOL_SIZE", "20"));

        DatabaseSettings database = Config.fromEnv(env).database();

        assertEquals(DatabaseSettings.Dialect.POSTGRESQL, database.dialect());
        assertEquals("shop", database.user());
        assertEquals("pg-pa55word", database.password());
        assertEquals(20, database.poolSize());
        assertRejected("DATABASE_POOL_SIZE", "0", "DATABASE_POOL_SIZE=0");
    }

    @Test
    void a_database_password_never_appears_in_the_printed_configuration_or_an_error() {
        Map<String, String> env = new HashMap<>(KEYS);
        env.putAll(Map.of("DATABASE_URL", "jdbc:postgresql://db:5432/shop?user=shop&password=url-pa55word",
                "DATABASE_PASSWORD", "env-pa55word"));
        String printed = Config.fromEnv(env).toString();
        env.put("DATABASE_URL", "postgres://shop:userinfo-pa55word@db/shop");
        String error = assertThrows(ConfigException.class, () -> Config.fromEnv(env)).getMessage();

        for (String secret : new String[] {"url-pa55word", "env-pa55word"}) {
            assertFalse(printed.contains(secret), printed);
        }
        assertTrue(printed.contains("password=***"), printed);
        assertFalse(error.contains("userinfo-pa55word"), error);
        assertEquals("jdbc:postgresql://u:***@db/x?user=u&password=***",
                DatabaseSettings.redact("jdbc:postgresql://u:p@db/x?user=u&password=p"));
    }

    @Test
    void the_secret_never_appears_in_the_printed_configuration() {
        assertFalse(Config.fromEnv(KEYS).toString().contains("s3cr3t-value"));
    }

    @Test
    void no_token_appears_in_the_printed_configuration() {
        Map<String, String> env = new HashMap<>(KEYS);
        env.putAll(Map.of("ADMIN_TOKEN", "admin-t0ken-0123456789abcdef", "METRICS_TOKEN", "metrics-t0ken-0123456789"));
        Config config = Config.fromEnv(env);
        String printed = config.toString();

        assertFalse(printed.contains("admin-t0ken") || printed.contains("metrics-t0ken"), printed);
        assertEquals("admin-t0ken-0123456789abcdef", config.adminToken().reveal());
    }

    @Test
    void solapi_needs_its_key_secret_and_a_korean_sender_number_and_the_log_stays_the_default() {
        assertEquals("log", Config.fromEnv(Map.of()).sms().provider());
        Map<String, String> solapi = Map.of("SMS_PROVIDER", "solapi", "SOLAPI_API_KEY", "NCSKEY",
                "SOLAPI_API_SECRET", "solapi-s3cr3t", "SMS_SENDER_NUMBER", "02-1234-5678");
        Config config = Config.fromEnv(solapi);
        assertTrue(config.sms().solapi());
        assertEquals("0212345678", config.sms().senderNumber());
        assertEquals("https://api.solapi.com", config.sms().solapiApiUrl().toString());
        assertFalse(config.toString().contains("solapi-s3cr3t"), config.toString());

        for (String missing : new String[] {"SOLAPI_API_KEY", "SOLAPI_API_SECRET", "SMS_SENDER_NUMBER"}) {
            Map<String, String> env = new HashMap<>(solapi);
            env.remove(missing);
            assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(env)).getMessage().startsWith(missing + " is not set"));
        }
        Map<String, String> badSender = new HashMap<>(solapi);
        badSender.put("SMS_SENDER_NUMBER", "12345");
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(badSender)).getMessage()
                .startsWith("SMS_SENDER_NUMBER=12345 is not a Korean phone number"));
        assertRejected("SMS_PROVIDER", "aligo", "SMS_PROVIDER=aligo is neither log nor solapi");
    }

    private static void assertRejected(String name, String value, String expectedStart) {
        Map<String, String> env = new HashMap<>(KEYS);
        env.put(name, value);
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(env));
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
