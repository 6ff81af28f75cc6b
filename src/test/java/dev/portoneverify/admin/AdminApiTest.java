package dev.portoneverify.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import kong.unirest.core.Unirest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API under /admin, guarded by ADMIN_TOKEN. */
class AdminApiTest {
    private static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(Map.of("ADMIN_TOKEN", TOKEN));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Answer get(String path) {
        return server.get(path, AUTH);
    }

    private Answer post(String path, Object body) {
        return server.postJson(path, body, AUTH);
    }

    private String paidOrder(String impUid, long amount) {
        String order = server.createOrder(amount);
        server.portone.putPayment(FakePortOne.payment(impUid, order, amount, "paid"));
        server.complete(impUid, order);
        return order;
    }

    @Test
    void without_the_right_token_every_admin_endpoint_answers_401() {
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("Authorization", "Bearer nope"),
                Map.of("Authorization", TOKEN))) {
            Answer answer = server.get("/admin/orders", headers);
            assertEquals(401, answer.status());
            assertEquals("unauthorized", answer.text("status"));
        }
        assertEquals(401, server.postJson("/admin/orders/x/refund", Map.of("reason", "x")).status());
    }

    @Test
    void without_admin_token_there_is_no_admin_api() {
        try (TestServer plain = TestServer.start()) {
            assertEquals(404, plain.get("/admin/orders", AUTH).status());
        }
    }

    @Test
    void orders_are_listed_by_status_newest_first_in_pages() {
        List<String> paid = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            paid.add(paidOrder("imp_96000000000" + i, 1000 + i));
        }
        server.createOrder(500);

        Answer firstPage = get("/admin/orders?status=paid&size=2&page=1");
        Answer secondPage = get("/admin/orders?status=paid&size=2&page=2");
        Answer all = get("/admin/orders");

        assertEquals(3, firstPage.body().get("total").asInt());
        assertEquals(paid.get(2), firstPage.body().get("orders").get(0).get("merchant_uid").asText());
        assertEquals(2, firstPage.body().get("orders").size());
        assertEquals(paid.get(0), secondPage.body().get("orders").get(0).get("merchant_uid").asText());
        assertEquals(4, all.body().get("total").asInt());
        assertEquals(0, get("/admin/orders?from=" + Instant.now().plusSeconds(60)).body().get("total").asInt());
        assertEquals(400, get("/admin/orders?status=lost").status());
        assertEquals(400, get("/admin/orders?from=yesterday").status());
    }

    @Test
    void an_order_shows_its_payments_and_its_whole_history() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_961000000001", order, 15, "paid"));
        server.webhook("imp_961000000001", order, "paid");

        Answer detail = get("/admin/orders/" + order);

        assertEquals(200, detail.status());
        assertEquals("pending", detail.body().at("/order/status").asText());
        assertEquals("refunded", detail.body().at("/payments/0/refund_state").asText());
        JsonNode history = detail.body().get("history");
        assertEquals("forgery", history.get(0).get("outcome").asText());
        assertEquals("webhook", history.get(0).get("source").asText());
        assertEquals(15000, history.get(0).get("expected_amount").asInt());
        assertEquals(15, history.get(0).get("portone_amount").asInt());
        assertEquals("refunded", history.get(1).get("outcome").asText());
    }

    @Test
    void resync_asks_portone_now_and_applies_what_it_says() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_962000000001", order, 15000, "paid"));

        Answer synced = post("/admin/orders/" + order + "/sync", Map.of());

        assertEquals("paid", synced.body().at("/order/status").asText());
        assertEquals("admin", synced.body().at("/history/0/source").asText());
    }

    @Test
    void a_full_refund_cancels_the_order_with_checksum_and_reason() {
        String order = paidOrder("imp_963000000001", 15000);

        Answer refund = post("/admin/orders/" + order + "/refund", Map.of("reason", "고객 변심"));

        assertEquals(200, refund.status(), refund.raw());
        assertEquals("cancelled", refund.text("outcome"));
        assertEquals("cancelled", server.orderStatus(order));
        String cancel = server.portone.cancels().get(0).body();
        assertTrue(cancel.contains("\"checksum\":15000") && cancel.contains("고객 변심") && !cancel.contains("\"amount\""), cancel);
    }

    @Test
    void a_partial_refund_makes_the_order_partly_refunded_and_a_second_one_checks_the_new_balance() {
        String order = paidOrder("imp_964000000001", 15000);

        Answer first = post("/admin/orders/" + order + "/refund", Map.of("reason", "부분 환불", "amount", 5000));
        assertEquals("partially_refunded", server.orderStatus(order));
        assertEquals(5000, server.get("/orders/" + order).body().get("refunded_amount").asInt());
        Answer tooMuch = post("/admin/orders/" + order + "/refund", Map.of("reason", "너무 많이", "amount", 12000));
        Answer rest = post("/admin/orders/" + order + "/refund", Map.of("reason", "나머지"));

        assertEquals("partially_cancelled", first.text("outcome"));
        assertEquals(409, tooMuch.status());
        assertEquals("amount_too_large", tooMuch.text("status"));
        assertEquals("cancelled", rest.text("outcome"));
        assertTrue(server.portone.cancels().get(1).body().contains("\"checksum\":10000"));
        assertEquals("cancelled", server.orderStatus(order));
    }

    @Test
    void a_deposited_virtual_account_is_refunded_only_to_a_given_bank_account() {
        String order = server.createOrder(32000);
        Map<String, Object> vbank = FakePortOne.vbankReady("imp_965000000001", order, 32000);
        vbank.put("status", "paid");
        vbank.put("paid_at", Instant.now().getEpochSecond());
        server.portone.putPayment(vbank);
        server.complete("imp_965000000001", order);

        Answer missing = post("/admin/orders/" + order + "/refund", Map.of("reason", "품절"));
        Answer refunded = post("/admin/orders/" + order + "/refund", Map.of("reason", "품절",
                "refund_holder", "홍길동", "refund_bank", "004", "refund_account", "12345678901"));

        assertEquals(409, missing.status());
        assertEquals("refund_account_required", missing.text("status"));
        assertEquals(200, refunded.status(), refunded.raw());
        String cancel = server.portone.cancels().get(0).body();
        assertTrue(cancel.contains("\"refund_holder\":\"홍길동\"") && cancel.contains("\"refund_account\":\"12345678901\""), cancel);
    }

    @Test
    void an_order_without_a_payment_has_nothing_to_refund() {
        String order = server.createOrder(1000);

        Answer answer = post("/admin/orders/" + order + "/refund", Map.of("reason", "x"));

        assertEquals(409, answer.status());
        assertEquals("nothing_to_refund", answer.text("status"));
        assertEquals(404, post("/admin/orders/order_unknown/refund", Map.of("reason", "x")).status());
    }

    @Test
    void a_duplicate_is_refunded_by_its_own_imp_uid_and_the_order_keeps_its_payment() {
        try (TestServer manual = TestServer.start(Map.of("ADMIN_TOKEN", TOKEN, "AUTO_CANCEL_FORGERIES", "false"))) {
            String order = manual.createOrder(15000);
            manual.portone.putPayment(FakePortOne.payment("imp_968000000001", order, 15000, "paid"));
            manual.complete("imp_968000000001", order);
            manual.portone.putPayment(FakePortOne.payment("imp_968000000002", order, 15000, "paid"));
            assertEquals("already_paid", manual.complete("imp_968000000002", order).text("status"));

            Answer refund = manual.postJson("/admin/payments/imp_968000000002/refund", Map.of("reason", "중복 결제"), AUTH);

            assertEquals(200, refund.status(), refund.raw());
            assertEquals("paid", refund.body().at("/order/order/status").asText());
            assertEquals("imp_968000000001", refund.body().at("/order/order/imp_uid").asText());
            assertEquals(1, manual.portone.cancels().size());
            assertTrue(manual.portone.cancels().get(0).body().contains("\"imp_uid\":\"imp_968000000002\""));
            assertEquals(0, manual.get("/orders/" + order).body().get("refunded_amount").asInt());
        }
    }

    @Test
    void a_payment_never_reported_for_one_of_our_orders_cannot_be_refunded_by_payment() {
        server.portone.putPayment(FakePortOne.payment("imp_969000000001", "order_elsewhere", 15000, "paid"));

        Answer unknown = post("/admin/payments/imp_969000000001/refund", Map.of("reason", "x"));

        assertEquals(404, unknown.status());
        assertEquals("unknown_payment", unknown.text("status"));
        assertEquals(0, server.portone.cancels().size());
        assertEquals(400, post("/admin/payments/" + "i".repeat(65) + "/refund", Map.of("reason", "x")).status());
    }

    @Test
    void forgeries_and_failed_refunds_are_listed() {
        server.portone.refuseCancels(true);
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_966000000001", order, 10, "paid"));
        server.complete("imp_966000000001", order);

        Answer forgeries = get("/admin/forgeries");
        Answer failed = get("/admin/refunds/failed");

        assertEquals("imp_966000000001", forgeries.body().get(0).get("imp_uid").asText());
        assertEquals("imp_966000000001", failed.body().get(0).get("imp_uid").asText());
        assertEquals("failed", failed.body().get(0).get("refund_state").asText());
    }

    @Test
    void the_admin_page_itself_needs_no_token_but_its_api_does() {
        assertEquals(200, Unirest.get(server.url("/admin.html")).asString().getStatus());
        assertEquals(200, Unirest.get(server.url("/metrics")).asString().getStatus());
        assertEquals(401, server.get("/admin/orders").status());
    }

    @Test
    void a_forgery_reported_twice_is_listed_once_and_a_resync_retries_its_failed_refund() {
        server.portone.refuseCancels(true);
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_967000000001", order, 10, "paid"));
        server.webhook("imp_967000000001", order, "paid");
        server.complete("imp_967000000001", order);
        server.portone.refuseCancels(false);

        assertEquals(1, get("/admin/forgeries").body().size());
        post("/admin/orders/" + order + "/sync", Map.of());

        assertEquals(0, get("/admin/refunds/failed").body().size());
        assertEquals("cancelled", server.portone.payment("imp_967000000001").get("status"));
    }
}
