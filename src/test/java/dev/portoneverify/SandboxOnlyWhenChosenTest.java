package dev.portoneverify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.TestServer;
import java.util.Map;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;

/** Issue 15, item 5: the sandbox runs only when chosen, and its control endpoints only for this machine. */
class SandboxOnlyWhenChosenTest {

    @Test
    void a_mistyped_portone_variable_stops_start_up_with_one_line_naming_it_and_its_likely_meaning() {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of(
                "PORTONE_APIKEY", "imp_live_key", "PORTONE_API_SECRET", "secret")));
        assertTrue(e.getMessage().startsWith("PORTONE_APIKEY is not a setting"), e.getMessage());
        assertTrue(e.getMessage().contains("PORTONE_API_KEY"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("PORTONE_TIMEOUT", "3000")))
                .getMessage().contains("PORTONE_TIMEOUT_MS"));
        assertTrue(assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("PORTONE_API_SCRET", "x")))
                .getMessage().contains("PORTONE_API_SECRET"));
    }

    @Test
    void any_live_setting_at_all_means_live_mode_and_a_missing_key_is_an_error_not_a_sandbox() {
        for (String setting : new String[] {"PORTONE_API_SECRET", "PORTONE_API_URL", "PORTONE_MERCHANT_CODE", "PORTONE_PG"}) {
            String value = setting.endsWith("URL") ? "https://api.iamport.kr" : "x";
            ConfigException e = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of(setting, value)), setting);
            assertTrue(e.getMessage().contains("PORTONE_API_KEY is not set"), setting + ": " + e.getMessage());
        }
        // V2's settings (issue 20): a part of V2 without its secret, or the secret without its store, is an error too
        ConfigException storeAlone = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("PORTONE_STORE_ID", "x")));
        assertTrue(storeAlone.getMessage().contains("PORTONE_V2_API_SECRET is not"), storeAlone.getMessage());
        ConfigException secretAlone = assertThrows(ConfigException.class,
                () -> Config.fromEnv(Map.of("PORTONE_V2_API_SECRET", "x")));
        assertTrue(secretAlone.getMessage().contains("PORTONE_STORE_ID is not set"), secretAlone.getMessage());
    }

    @Test
    void the_sandbox_starts_with_no_portone_setting_or_when_asked_for_and_the_v2_names_are_known() {
        assertTrue(Config.fromEnv(Map.of()).sandbox());
        assertTrue(Config.fromEnv(Map.of("PORTONE_MODE", "sandbox", "PORTONE_API_KEY", "k", "PORTONE_API_SECRET", "s")).sandbox());
        assertFalse(Config.fromEnv(Map.of("PORTONE_API_KEY", "k", "PORTONE_API_SECRET", "s",
                "PORTONE_V2_API_SECRET", "v2-secret", "PORTONE_STORE_ID", "store-0000",
                "PORTONE_V2_API_URL", "https://api.portone.io", "PORTONE_V2_CHANNEL_KEY", "c",
                "PORTONE_V2_WEBHOOK_SECRET", "d2hzZWM=")).sandbox());
    }

    @Test
    void a_portone_url_with_a_password_is_refused_without_showing_it() {
        ConfigException refused = assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of("PORTONE_API_KEY", "k",
                "PORTONE_API_SECRET", "s", "PORTONE_API_URL", "https://proxy-user:hunter2@portone-proxy.example")));
        assertFalse(refused.getMessage().contains("hunter2"), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("PORTONE_API_URL=https://***@portone-proxy.example"), refused.getMessage());
    }

    @Test
    void the_sandbox_control_endpoints_answer_only_this_machine_unless_opened() {
        try (TestServer shop = TestServer.sandboxMode().started(); UnirestInstance http = Unirest.spawnInstance()) {
            String order = shop.order("x", 1000);
            String body = "{\"merchant_uid\":\"" + order + "\",\"amount\":1000}";
            // through a proxy, even one on this machine, a request is not this machine's
            HttpResponse<String> proxied = http.post(shop.url("/sandbox/payments")).header("Content-Type", "application/json")
                    .header("X-Forwarded-For", "203.0.113.7").body(body).asString();
            assertEquals(403, proxied.getStatus(), proxied.getBody());
            assertTrue(proxied.getBody().contains("SANDBOX_CONTROL_OPEN"));
            assertEquals("pending", shop.get("/orders/" + order).body().path("status").asText(), "nothing was paid");
            assertTrue(shop.post("/sandbox/payments", Map.of("merchant_uid", order, "amount", 1000,
                    "buyer_name", "가".repeat(40))).status() < 300, "a 40-character buyer name, as the page allows");
        }
        try (TestServer open = TestServer.sandboxMode(Map.of("SANDBOX_CONTROL_OPEN", "true")).started();
             UnirestInstance http = Unirest.spawnInstance()) {
            HttpResponse<String> proxied = http.get(open.url("/sandbox/payments")).header("X-Forwarded-For", "203.0.113.7")
                    .asString();
            assertEquals(200, proxied.getStatus(), proxied.getBody());
        }
    }
}
