package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WEBHOOK_ALLOWED_IPS and WEBHOOK_TRUST_FORWARDED_FOR. */
class WebhookSourceTest {
    private static final Map<String, String> BODY = Map.of("imp_uid", "imp_700000000001", "status", "paid");

    @Test
    void without_an_allowlist_any_source_may_call_the_webhook() {
        try (TestServer server = TestServer.start()) {
            assertEquals(200, server.postJson("/portone-webhook", BODY).status());
        }
    }

    @Test
    void a_source_outside_the_allowlist_gets_403_and_portone_is_not_asked() {
        try (TestServer server = TestServer.start(Map.of("WEBHOOK_ALLOWED_IPS", "52.78.100.19,52.78.48.223"))) {
            TestServer.Answer answer = server.postJson("/portone-webhook", BODY);

            assertEquals(403, answer.status());
            assertEquals("forbidden", answer.text("status"));
            assertTrue(server.portone.requests().isEmpty());
        }
    }

    @Test
    void a_listed_source_is_let_through() {
        try (TestServer server = TestServer.start(Map.of("WEBHOOK_ALLOWED_IPS", "52.78.100.19, 127.0.0.1, ::1"))) {
            String order = server.createOrder(15000);
            server.portone.pay("imp_700000000002", order, 15000);

            assertEquals(200, server.webhook("imp_700000000002", order, "paid").status());
            assertEquals("paid", server.orderStatus(order));
        }
    }

    @Test
    void x_forwarded_for_is_ignored_unless_trusted() {
        Map<String, String> forged = Map.of("X-Forwarded-For", "52.78.100.19");
        try (TestServer server = TestServer.start(Map.of("WEBHOOK_ALLOWED_IPS", "52.78.100.19"))) {
            assertEquals(403, server.postJson("/portone-webhook", BODY, forged).status());
        }
    }

    @Test
    void behind_a_trusted_proxy_the_address_it_appended_is_checked() {
        try (TestServer server = TestServer.start(Map.of("WEBHOOK_ALLOWED_IPS", "52.78.100.19",
                "WEBHOOK_TRUST_FORWARDED_FOR", "true"))) {
            // the caller can write anything at the front; the proxy appends the real address last
            assertEquals(200, server.postJson("/portone-webhook", BODY,
                    Map.of("X-Forwarded-For", "10.9.9.9, 52.78.100.19")).status());
            assertEquals(403, server.postJson("/portone-webhook", BODY,
                    Map.of("X-Forwarded-For", "52.78.100.19, 203.0.113.7")).status());
        }
    }
}
