package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /portone-webhook: the body is a hint, PortOne's answer is the truth. */
class WebhookTest {
    @RegisterExtension
    final TestServer server = TestServer.live();

    @Test
    void a_json_webhook_for_a_paid_payment_marks_the_order_paid() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_300000000001", order, 15000);

        Answer answer = server.webhook("imp_300000000001", order, "paid");

        assertEquals(200, answer.status());
        assertEquals("paid", server.orderStatus(order));
        assertEquals("webhook", server.db().onDemand(HistoryDao.class).forOrder(order).get(0).source());
    }

    @Test
    void a_form_encoded_webhook_with_unknown_fields_is_handled_the_same_way() {
        String order = server.createOrder(15000);
        server.portone.pay("imp_300000000002", order, 15000);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("imp_uid", "imp_300000000002");
        fields.put("merchant_uid", order);
        fields.put("status", "paid");
        fields.put("cancellation_id", "");
        fields.put("something_new", "42");

        Answer answer = server.postForm("/portone-webhook", fields);

        assertEquals(200, answer.status(), answer.raw());
        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void the_status_in_the_webhook_body_is_ignored_in_favour_of_portone() {
        String order = server.createOrder(15000);
        // a card window opened and not finished: the sandbox pays cards at once, so its answer is edited
        server.portone.pay("imp_300000000003", order, 15000);
        server.portone.rewritePayment("imp_300000000003", p -> p.put("status", "ready").put("paid_at", 0).putNull("apply_num"));

        Answer answer = server.webhook("imp_300000000003", order, "paid");

        assertEquals(200, answer.status());
        assertEquals("not_paid", answer.text("status"));
        assertEquals("pending", server.orderStatus(order));
    }

    @Test
    void the_merchant_uid_in_the_webhook_body_never_selects_the_order() {
        String victim = server.createOrder(15000);
        String attacker = server.createOrder(15000);
        server.portone.pay("imp_300000000004", attacker, 15000);

        server.webhook("imp_300000000004", victim, "paid");

        assertEquals("pending", server.orderStatus(victim));
        assertEquals("paid", server.orderStatus(attacker));
    }

    @Test
    void a_forgery_is_answered_200_so_portone_does_not_resend_it() {
        String order = server.createOrder(15000);
        server.portone.payTampered("imp_300000000005", order, 15, null);

        Answer answer = server.webhook("imp_300000000005", order, "paid");

        assertEquals(200, answer.status());
        assertEquals("forgery", answer.text("status"));
        assertEquals(1, server.portone.cancels().size());
    }

    @Test
    void a_webhook_for_a_payment_portone_does_not_know_is_ignored_with_200() {
        Answer answer = server.webhook("imp_399999999999", "order_x", "paid");

        assertEquals(200, answer.status());
        assertEquals("unknown_payment", answer.text("status"));
    }

    @Test
    void duplicate_vbank_webhooks_save_the_account_once_and_send_one_sms() throws Exception {
        String order = server.createOrder(50000);
        server.portone.issueVbank("imp_300000000006", order, 50000);

        for (int i = 0; i < 3; i++) {
            assertEquals(200, server.webhook("imp_300000000006", order, "ready").status());
        }
        server.complete("imp_300000000006", order);

        server.sms.awaitSent(1);
        Thread.sleep(200);
        assertEquals(1, server.sms.sent().size());
        assertEquals(1, server.rows("sms_outbox"));
        List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
        assertEquals(4, history.size());
        assertEquals(1, history.stream().filter(HistoryEntry::orderChanged).count());
    }

    @Test
    void a_webhook_without_imp_uid_answers_400() {
        Answer json = server.postRaw("/portone-webhook", "application/json", "{\"merchant_uid\":\"o\",\"status\":\"paid\"}");
        Answer form = server.postForm("/portone-webhook", Map.of("status", "paid"));

        assertEquals(400, json.status());
        assertEquals(400, form.status());
        assertTrue(server.portone.requests().isEmpty());
    }
}
