package dev.portoneverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.text.Secret;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PORTONE_V2_* settings: names fixed by issue 20; a missing or malformed one stops start-up with one line. */
class V2ConfigTest {
    private static final String WEBHOOK_SECRET = "whsec_c2VjcmV0LWZvci10ZXN0cy1vbmx5LTAxMjM0NTY3";
    private static final Map<String, String> V2 = Map.of(
            "PORTONE_V2_API_SECRET", "v2-api-secret-value",
            "PORTONE_STORE_ID", "store-4ef2b4b4-9ac1-4fbb-a1a0-0123456789ab",
            "PORTONE_V2_WEBHOOK_SECRET", WEBHOOK_SECRET,
            "PORTONE_V2_CHANNEL_KEY", "channel-key-1234");

    @Test
    void a_v2_secret_alone_means_live_v2_with_v1_off_and_the_default_api_url() {
        Config config = Config.fromEnv(V2);
        assertFalse(config.sandbox());
        assertFalse(config.v1Enabled());
        assertEquals("https://api.portone.io", config.portoneV2().apiUrl().toString());
        assertEquals(List.of(Secret.of(WEBHOOK_SECRET)), config.portoneV2().webhookSecrets());
        assertEquals("channel-key-1234", config.portoneV2().channelKey());
        assertFalse(config.toString().contains("v2-api-secret-value"), config.toString());
        assertFalse(config.toString().contains(WEBHOOK_SECRET), config.toString());
    }

    @Test
    void v1_and_v2_together_are_both_on_and_neither_means_the_sandbox_simulating_both() {
        Map<String, String> both = new HashMap<>(V2);
        both.putAll(Map.of("PORTONE_API_KEY", "key", "PORTONE_API_SECRET", "secret"));
        Config config = Config.fromEnv(both);
        assertTrue(config.v1Enabled());
        assertEquals("store-4ef2b4b4-9ac1-4fbb-a1a0-0123456789ab", config.portoneV2().storeId());

        Config sandbox = Config.fromEnv(Map.of());
        assertTrue(sandbox.sandbox());
        assertTrue(sandbox.v1Enabled());
        assertNull(sandbox.portoneV2(), "the sandbox brings its own V2 test values");
    }

    @Test
    void two_webhook_secrets_separated_by_a_comma_are_a_rotation_and_three_are_refused() {
        Map<String, String> env = new HashMap<>(V2);
        env.put("PORTONE_V2_WEBHOOK_SECRET", WEBHOOK_SECRET + ", c2Vjb25kLXNlY3JldA==");
        assertEquals(2, Config.fromEnv(env).portoneV2().webhookSecrets().size());
        env.put("PORTONE_V2_WEBHOOK_SECRET", WEBHOOK_SECRET + "," + WEBHOOK_SECRET + "," + WEBHOOK_SECRET);
        assertOneLine(env, "at most two");
    }

    @Test
    void missing_or_malformed_v2_settings_stop_start_up_with_one_line() {
        assertOneLine(without("PORTONE_STORE_ID"), "PORTONE_STORE_ID is not set");
        assertOneLine(without("PORTONE_V2_WEBHOOK_SECRET"), "PORTONE_V2_WEBHOOK_SECRET is not set");
        assertOneLine(with("PORTONE_STORE_ID", "my shop"), "PORTONE_STORE_ID=my shop is not a store id");
        assertOneLine(with("PORTONE_V2_WEBHOOK_SECRET", "whsec_not base64!"), "not a webhook secret");
        assertOneLine(with("PORTONE_V2_WEBHOOK_SECRET", "whsec_"), "not a webhook secret");
        assertOneLine(with("PORTONE_V2_WEBHOOK_SECRET", WEBHOOK_SECRET + ","), "not a webhook secret");
        assertOneLine(with("PORTONE_V2_API_SECRET", "two words"), "PORTONE_V2_API_SECRET is not a V2 API secret");
        assertOneLine(with("PORTONE_V2_API_URL", "ftp://api.portone.io"), "PORTONE_V2_API_URL=ftp://api.portone.io");
        assertOneLine(Map.of("PORTONE_API_KEY", "k", "PORTONE_API_SECRET", "s", "PORTONE_STORE_ID", "store-1"),
                "PORTONE_V2_API_SECRET is not");
        assertOneLine(Map.of("PORTONE_MODE", "live"), "PORTONE_API_KEY is not set");
    }

    private static void assertOneLine(Map<String, String> env, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(env));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertFalse(e.getMessage().contains("v2-api-secret-value"), e.getMessage());
    }

    private static Map<String, String> without(String name) {
        Map<String, String> env = new HashMap<>(V2);
        env.remove(name);
        return env;
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = new HashMap<>(V2);
        env.put(name, value);
        return env;
    }
}
