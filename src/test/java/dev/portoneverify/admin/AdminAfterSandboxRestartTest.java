package dev.portoneverify.admin;

import static dev.portoneverify.testsupport.SandboxShop.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.testsupport.SandboxShop;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Old sandbox orders after a restart: the sandbox keeps its payments, so the admin can still refund and
 * re-sync them; a sandbox that forgot them (SANDBOX_DATABASE=memory) is reported as such, never as "paid".
 */
class AdminAfterSandboxRestartTest {
    private static final String TOKEN = "admin-token-0123456789abcdef";
    private SandboxShop shop;

    @AfterEach
    void stop() {
        shop.close();
    }

    private record Paid(String order, String impUid) {}

    private Paid paidOrder() throws InterruptedException {
        String order = shop.order("노트북 거치대", 15000);
        String impUid = shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 15000)).get("imp_uid").asText();
        eventually(() -> shop.get("/orders/" + order).get("status").asText(), "paid");
        return new Paid(order, impUid);
    }

    @Test
    void a_sandbox_order_paid_before_a_restart_is_re_synced_and_refunded_after_it() throws InterruptedException {
        shop = SandboxShop.start(Map.of("ADMIN_TOKEN", TOKEN));
        String order = paidOrder().order();

        shop = shop.restarted();

        SandboxShop.Answer synced = shop.admin("POST", "/admin/orders/" + order + "/sync", TOKEN, null);
        assertEquals(200, synced.status(), synced.body().toString());
        assertTrue(synced.body().get("known_to_portone").booleanValue(), synced.body().toString());
        assertEquals("paid", synced.body().at("/order/status").asText());

        SandboxShop.Answer refunded = shop.admin("POST", "/admin/orders/" + order + "/refund", TOKEN,
                Map.of("reason", "재시작 후 환불"));
        assertEquals(200, refunded.status(), refunded.body().toString());
        eventually(() -> shop.get("/orders/" + order).get("status").asText(), "cancelled");
    }

    @Test
    void a_re_sync_of_a_payment_the_sandbox_forgot_says_portone_does_not_know_it_and_records_that() throws InterruptedException {
        shop = SandboxShop.start(Map.of("ADMIN_TOKEN", TOKEN, "SANDBOX_DATABASE", "memory"));
        Paid paid = paidOrder();
        String order = paid.order();
        String impUid = paid.impUid();

        shop = shop.restarted();

        SandboxShop.Answer synced = shop.admin("POST", "/admin/orders/" + order + "/sync", TOKEN, null);
        assertEquals(200, synced.status(), synced.body().toString());
        JsonNode body = synced.body();
        assertEquals(false, body.get("known_to_portone").booleanValue(), body.toString());
        assertTrue(body.get("message").asText().contains("PortOne knows no payment " + impUid), body.toString());
        JsonNode last = body.get("history").get(body.get("history").size() - 1);
        assertEquals("unknown_payment", last.get("outcome").asText(), body.get("history").toString());
        assertEquals("admin", last.get("source").asText());
        assertEquals(order, last.get("merchant_uid").asText());
        assertEquals(impUid, last.get("imp_uid").asText());

        SandboxShop.Answer detail = shop.admin("GET", "/admin/orders/" + order, TOKEN, null);
        assertEquals("unknown_payment", detail.body().at("/history").get(detail.body().get("history").size() - 1)
                .get("outcome").asText(), "the order's history keeps it");
    }
}
