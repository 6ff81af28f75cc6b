package dev.portoneverify.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portoneverify.testsupport.SandboxShop;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Money that moves after the sale, against the embedded sandbox, with every webhook lost: the shop
 * only allows webhooks from an address the sandbox does not send from, as when PortOne's single
 * delivery fails. What the browser did not report, only reconciliation can find.
 */
class MoneyAfterTheSaleTest {
    private static final String TOKEN = "test-admin-token-0123456789abcdef";
    private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + TOKEN);
    private static final Pattern REQUESTS = Pattern.compile(
            "^portone_verify_portone_request_duration_seconds_count\\{endpoint=\"(\\w+)\".*} ([0-9.E]+)$", Pattern.MULTILINE);

    private SandboxShop shop;

    @BeforeEach
    void start() {
        shop = SandboxShop.start(Map.of("ADMIN_TOKEN", TOKEN, "WEBHOOK_ALLOWED_IPS", "203.0.113.9"));
    }

    @AfterEach
    void stop() {
        shop.close();
    }

    @Test
    void a_refund_made_at_portone_after_the_sale_reaches_the_order_though_its_webhook_was_lost() {
        String order = shop.order("노트북 거치대", 15000);
        String card = pay(order, 15000, "card");
        assertEquals("success", complete(card, order).text("status"));
        shop.ok("/sandbox/payments/" + card + "/cancel", Map.of("amount", 5000, "reason", "부분 반품"));
        assertEquals("paid", orderView(order).get("status").asText(), "the cancel's webhook was not lost");

        shop.reconciler().runOnce();

        JsonNode partly = orderView(order);
        assertEquals("partially_refunded", partly.get("status").asText());
        assertEquals(5000, partly.get("refunded_amount").asInt());
        assertEquals(order, shop.get("/admin/orders?status=partially_refunded", AUTH).at("/orders/0/merchant_uid").asText());

        shop.ok("/sandbox/payments/" + card + "/cancel", Map.of("reason", "전액 환불"));
        shop.reconciler().runOnce();

        JsonNode cancelled = orderView(order);
        assertEquals("cancelled", cancelled.get("status").asText());
        assertEquals(15000, cancelled.get("refunded_amount").asInt());
        JsonNode changes = changes(order);
        assertEquals(3, changes.size(), changes.toString());
        assertTrue(changes.get(1).get("detail").asText().contains("partly refunded: 5000 KRW of 15000 KRW, 10000 KRW held"),
                changes.toString());
        assertEquals("reconciliation", changes.get(2).get("source").asText());
    }

    @Test
    void a_deposit_into_an_abandoned_virtual_account_waits_for_the_shop_who_refunds_that_payment_not_the_card() {
        String order = shop.order("기계식 키보드", 89000);
        String vbank = pay(order, 89000, "vbank");   // issued, never reported: the buyer chose to pay by card
        String card = pay(order, 89000, "card");
        assertEquals("success", complete(card, order).text("status"));
        shop.ok("/sandbox/payments/" + vbank + "/deposit", Map.of());   // and deposits anyway

        shop.reconciler().runOnce();

        JsonNode waiting = shop.get("/admin/refunds/waiting", AUTH);
        assertEquals(vbank, waiting.at("/0/imp_uid").asText());
        assertTrue(waiting.at("/0/reason").asText().contains("bank account the buyer names"), waiting.toString());
        assertEquals(0, shop.get("/admin/refunds/failed", AUTH).size());
        Map<String, Double> before = portoneRequests();
        shop.reconciler().runOnce();
        Map<String, Double> after = portoneRequests();
        assertEquals(before.getOrDefault("cancel", 0.0), after.getOrDefault("cancel", 0.0), "a refund that cannot succeed is retried");
        assertEquals(before.getOrDefault("getPayment", 0.0), after.getOrDefault("getPayment", 0.0));

        SandboxShop.Answer refund = shop.post("/admin/payments/" + vbank + "/refund", Map.of("reason", "중복 입금",
                "refund_holder", "홍길동", "refund_bank", "004", "refund_account", "12345678901"), AUTH);

        assertEquals(200, refund.status(), refund.body().toString());
        assertEquals(89000, shop.get("/sandbox/payments/" + vbank).get("cancel_amount").asInt());
        assertEquals(0, shop.get("/sandbox/payments/" + card).get("cancel_amount").asInt());
        JsonNode view = orderView(order);
        assertEquals("paid", view.get("status").asText());
        assertEquals(card, view.at("/payment/imp_uid").asText());
        assertEquals(0, shop.get("/admin/refunds/waiting", AUTH).size());
    }

    @Test
    void a_card_that_pays_an_order_awaiting_a_deposit_closes_its_virtual_account() {
        String order = shop.order("모니터", 250000);
        String vbank = pay(order, 250000, "vbank");
        assertEquals("vbankIssued", complete(vbank, order).text("status"));
        String card = pay(order, 250000, "card");

        assertEquals("success", complete(card, order).text("status"));

        assertEquals("failed", shop.get("/sandbox/payments/" + vbank).get("status").asText(), "the account is still open");
        assertTrue(shop.post("/sandbox/payments/" + vbank + "/deposit", Map.of()).status() >= 400);
        assertTrue(outcomes(order).contains("vbank_closed"), outcomes(order));
    }

    @Test
    void a_forged_virtual_account_is_closed_when_seen_and_one_deposited_unseen_waits_without_calls_to_portone() {
        String seen = shop.order("태블릿", 70000);
        String forged = pay(seen, 700, "vbank");
        assertEquals("forgery", complete(forged, seen).text("status"));
        assertEquals("failed", shop.get("/sandbox/payments/" + forged).get("status").asText());

        String unseen = shop.order("태블릿", 70000);
        String deposited = pay(unseen, 700, "vbank");
        shop.ok("/sandbox/payments/" + deposited + "/deposit", Map.of());
        shop.reconciler().runOnce();
        Map<String, Double> before = portoneRequests();
        shop.reconciler().runOnce();
        shop.reconciler().runOnce();

        assertEquals("pending", orderView(unseen).get("status").asText());
        assertEquals(deposited, shop.get("/admin/refunds/waiting", AUTH).at("/0/imp_uid").asText());
        Map<String, Double> after = portoneRequests();
        after.keySet().removeIf(endpoint -> endpoint.equals("listPayments"));
        after.forEach((endpoint, count) -> assertEquals(before.getOrDefault(endpoint, 0.0), count, endpoint));
    }

    @Test
    void a_payment_cancelled_in_part_before_anyone_reported_it_binds_its_order_as_partly_refunded() {
        String order = shop.order("USB-C 케이블", 15000);
        String card = pay(order, 15000, "card");
        shop.ok("/sandbox/payments/" + card + "/cancel", Map.of("amount", 1000));

        SandboxShop.Answer answer = complete(card, order);

        assertEquals("partially_cancelled", answer.text("status"));
        JsonNode view = orderView(order);
        assertEquals("partially_refunded", view.get("status").asText());
        assertEquals(1000, view.get("refunded_amount").asInt());
    }

    @Test
    void a_deposit_partly_refunded_before_the_shop_saw_it_leaves_the_order_partly_refunded_not_cancelled() {
        String order = shop.order("의자", 30000);
        String vbank = pay(order, 30000, "vbank");
        assertEquals("vbankIssued", complete(vbank, order).text("status"));
        shop.ok("/sandbox/payments/" + vbank + "/deposit", Map.of());
        shop.ok("/sandbox/payments/" + vbank + "/cancel", Map.of("amount", 5000));

        shop.reconciler().runOnce();

        JsonNode view = orderView(order);
        assertEquals("partially_refunded", view.get("status").asText());
        assertEquals(5000, view.get("refunded_amount").asInt());
    }

    @Test
    void junk_orders_cost_a_pass_nothing_and_a_payment_nobody_reported_is_found_in_the_first_pass() {
        long user = shop.ok("/users", Map.of("name", "봇", "phone", "010-0000-0000")).get("id").asLong();
        for (int i = 0; i < 510; i++) {
            shop.ok("/orders", Map.of("user_id", user, "name", "junk " + i, "amount", 1000 + i));
        }
        String order = shop.order("진짜 주문", 42000);
        pay(order, 42000, "card");   // the browser closed, the webhook was lost
        Map<String, Double> before = portoneRequests();

        Reconciler.Summary pass = shop.reconciler().runOnce();

        assertEquals("paid", orderView(order).get("status").asText());
        assertEquals(1, pass.changed());
        Map<String, Double> after = portoneRequests();
        // besides the server's first access token: one listing, whatever the number of orders
        after.remove("getToken");
        before.remove("getToken");
        double calls = after.values().stream().mapToDouble(Double::doubleValue).sum()
                - before.values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, calls, after.toString());
        assertEquals(1.0, after.get("listPayments"), after.toString());
    }

    // ---- helpers

    /** The buyer pays in the sandbox's window; answers the imp_uid. */
    private String pay(String order, long amount, String method) {
        return shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", amount, "pay_method", method))
                .get("imp_uid").asText();
    }

    private SandboxShop.Answer complete(String impUid, String order) {
        return shop.post("/payments/complete", Map.of("imp_uid", impUid, "merchant_uid", order));
    }

    private JsonNode orderView(String order) {
        return shop.get("/orders/" + order);
    }

    private JsonNode history(String order) {
        return shop.get("/admin/orders/" + order, AUTH).get("history");
    }

    /** The history rows that moved the order. */
    private JsonNode changes(String order) {
        ArrayNode changed = JsonNodeFactory.instance.arrayNode();
        history(order).forEach(row -> {
            if (row.get("order_changed").asBoolean()) {
                changed.add(row);
            }
        });
        return changed;
    }

    private String outcomes(String order) {
        return StreamSupport.stream(history(order).spliterator(), false).map(row -> row.get("outcome").asText()).toList()
                .toString();
    }

    /** PortOne requests so far by endpoint, as /metrics counts them. */
    private Map<String, Double> portoneRequests() {
        Map<String, Double> counts = new HashMap<>();
        Matcher m = REQUESTS.matcher(shop.text("/metrics"));
        while (m.find()) {
            counts.merge(m.group(1), Double.parseDouble(m.group(2)), Double::sum);
        }
        return counts;
    }
}
