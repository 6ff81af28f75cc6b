package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POST /payments/complete: every answer the browser can get, and what each leaves in the database. */
class CompletePaymentTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_paid_payment_with_the_order_amount_answers_success_and_marks_the_order_paid() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000001", order, 15000, "paid"));

        Answer answer = server.complete("imp_100000000001", order);

        assertEquals(200, answer.status());
        assertEquals("success", answer.text("status"));
        assertEquals("일반 결제 성공", answer.text("message"));
        Answer stored = server.get("/orders/" + order);
        assertEquals("paid", stored.text("status"));
        assertEquals("imp_100000000001", stored.body().path("payment").path("imp_uid").asText());
        assertEquals("card", stored.body().path("payment").path("pay_method").asText());
        assertTrue(stored.body().path("payment").hasNonNull("paid_at"));
    }

    @Test
    void an_amount_written_with_decimals_still_matches_exactly() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000002", order, new BigDecimal("15000.00"), "paid"));

        assertEquals("success", server.complete("imp_100000000002", order).text("status"));
    }

    @Test
    void a_forged_amount_answers_forgery_leaves_the_order_pending_and_refunds_in_full_with_checksum() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000003", order, 100, "paid"));

        Answer answer = server.complete("imp_100000000003", order);

        assertEquals(400, answer.status());
        assertEquals("forgery", answer.text("status"));
        assertEquals("위조된 결제시도", answer.text("message"));
        assertEquals("pending", server.orderStatus(order));
        List<FakePortOne.Recorded> cancels = server.portone.cancels();
        assertEquals(1, cancels.size());
        assertTrue(cancels.get(0).body().contains("\"checksum\":100"), cancels.get(0).body());
        assertTrue(cancels.get(0).body().contains("imp_100000000003"));
        assertEquals("cancelled", server.portone.payment("imp_100000000003").get("status"));
        List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forPayment("imp_100000000003");
        assertEquals(List.of("forgery", "refunded"), history.stream().map(HistoryEntry::outcome).toList());
        assertEquals(0, new BigDecimal("15000").compareTo(history.get(0).expectedAmount()));
        assertEquals(0, new BigDecimal("100").compareTo(history.get(0).portoneAmount()));
    }

    @Test
    void a_currency_mismatch_is_a_forgery_even_when_the_number_matches() {
        String order = server.createOrder(15000);
        Map<String, Object> payment = FakePortOne.payment("imp_100000000004", order, 15000, "paid");
        payment.put("currency", "USD");
        server.portone.putPayment(payment);

        Answer answer = server.complete("imp_100000000004", order);

        assertEquals("forgery", answer.text("status"));
        assertEquals("pending", server.orderStatus(order));
    }

    @Test
    void reporting_a_forgery_again_does_not_refund_twice() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000005", order, 100, "paid"));

        server.complete("imp_100000000005", order);
        Answer again = server.complete("imp_100000000005", order);

        assertEquals(1, server.portone.cancels().size());
        // PortOne now reports the refunded payment as cancelled: still a forgery, nothing left to refund
        assertEquals("forgery", again.text("status"));
        assertEquals("pending", server.orderStatus(order));
    }

    @Test
    void a_vbank_issued_for_the_right_amount_answers_vbank_issued_saves_the_account_and_sends_one_sms() throws Exception {
        long userId = server.createUser("김영희", "010-9876-5432");
        String order = server.createOrder(userId, Map.of("user_id", userId, "name", "책", "amount", 32000));
        server.portone.putPayment(FakePortOne.vbankReady("imp_100000000006", order, 32000));

        Answer answer = server.complete("imp_100000000006", order);

        assertEquals(200, answer.status());
        assertEquals("vbankIssued", answer.text("status"));
        assertEquals("가상계좌 발급 성공", answer.text("message"));
        assertEquals("awaiting_deposit", server.orderStatus(order));
        Answer user = server.get("/users/" + userId);
        assertEquals("12345678901234", user.text("vbank_num"));
        assertEquals("KB국민은행", user.text("vbank_name"));
        assertEquals("테스트상점", user.text("vbank_holder"));
        assertTrue(user.text("vbank_date").endsWith("Z"), user.raw());
        List<dev.portoneverify.testsupport.RecordingSmsSender.Sms> sms = server.sms.awaitSent(1);
        assertEquals(1, sms.size());
        assertEquals("010-9876-5432", sms.get(0).phone());
        assertTrue(sms.get(0).text().contains("12345678901234") && sms.get(0).text().contains("KB국민은행"), sms.get(0).text());
    }

    @Test
    void a_vbank_for_the_wrong_amount_is_a_forgery_and_nothing_is_refunded_because_nothing_was_paid() {
        String order = server.createOrder(32000);
        server.portone.putPayment(FakePortOne.vbankReady("imp_100000000007", order, 1));

        Answer answer = server.complete("imp_100000000007", order);

        assertEquals("forgery", answer.text("status"));
        assertEquals("pending", server.orderStatus(order));
        assertTrue(server.portone.cancels().isEmpty());
        assertTrue(server.sms.sent().isEmpty());
    }

    @Test
    void a_deposit_into_the_issued_vbank_marks_the_order_paid() {
        String order = server.createOrder(32000);
        Map<String, Object> payment = FakePortOne.vbankReady("imp_100000000008", order, 32000);
        server.portone.putPayment(payment);
        server.complete("imp_100000000008", order);

        payment.put("status", "paid");
        payment.put("paid_at", System.currentTimeMillis() / 1000);
        server.portone.putPayment(payment);
        Answer answer = server.webhook("imp_100000000008", order, "paid");

        assertEquals(200, answer.status());
        assertEquals("success", answer.text("status"));
        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_failed_payment_answers_failed_with_the_reason_and_leaves_the_order_payable() {
        String order = server.createOrder(15000);
        Map<String, Object> failed = FakePortOne.payment("imp_100000000009", order, 15000, "failed");
        failed.put("fail_reason", "카드 한도 초과");
        server.portone.putPayment(failed);

        Answer answer = server.complete("imp_100000000009", order);

        assertEquals(402, answer.status());
        assertEquals("failed", answer.text("status"));
        assertTrue(answer.text("message").contains("카드 한도 초과"));
        assertEquals("pending", server.orderStatus(order));

        server.portone.putPayment(FakePortOne.payment("imp_100000000010", order, 15000, "paid"));
        assertEquals("success", server.complete("imp_100000000010", order).text("status"));
    }

    @Test
    void a_payment_that_failed_and_later_became_paid_is_accepted() {
        String order = server.createOrder(15000);
        Map<String, Object> payment = FakePortOne.payment("imp_100000000011", order, 15000, "failed");
        server.portone.putPayment(payment);
        server.complete("imp_100000000011", order);

        server.portone.putPayment(FakePortOne.payment("imp_100000000011", order, 15000, "paid"));

        assertEquals("success", server.webhook("imp_100000000011", order, "paid").text("status"));
        assertEquals("paid", server.orderStatus(order));
    }

    @Test
    void a_cancelled_payment_answers_cancelled_and_changes_nothing() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000012", order, 15000, "cancelled"));

        Answer answer = server.complete("imp_100000000012", order);

        assertEquals(409, answer.status());
        assertEquals("cancelled", answer.text("status"));
        assertEquals("pending", server.orderStatus(order));
    }

    @Test
    void a_ready_payment_without_a_virtual_account_answers_not_paid() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000013", order, 15000, "ready"));

        Answer answer = server.complete("imp_100000000013", order);

        assertEquals(402, answer.status());
        assertEquals("not_paid", answer.text("status"));
        assertEquals("pending", server.orderStatus(order));
    }

    @Test
    void an_unrecognized_status_is_recorded_and_never_treated_as_paid() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000014", order, 15000, "pending_review"));

        Answer answer = server.complete("imp_100000000014", order);

        assertEquals("not_paid", answer.text("status"));
        assertEquals("pending", server.orderStatus(order));
        List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
        assertEquals("pending_review", history.get(0).portoneStatus());
    }

    @Test
    void a_payment_for_an_order_we_do_not_have_answers_unknown_order() {
        server.portone.putPayment(FakePortOne.payment("imp_100000000015", "order_not_ours", 15000, "paid"));

        Answer answer = server.complete("imp_100000000015", "order_not_ours");

        assertEquals(404, answer.status());
        assertEquals("unknown_order", answer.text("status"));
    }

    @Test
    void an_imp_uid_portone_does_not_know_answers_unknown_payment() {
        String order = server.createOrder(15000);

        Answer answer = server.complete("imp_999999999999", order);

        assertEquals(404, answer.status());
        assertEquals("unknown_payment", answer.text("status"));
        assertEquals("pending", server.orderStatus(order));
    }

    @Test
    void someone_elses_payment_reported_against_my_order_never_updates_my_order() {
        String cheap = server.createOrder(1000);
        String expensive = server.createOrder(1000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000016", cheap, 1000, "paid"));

        Answer answer = server.complete("imp_100000000016", expensive);

        assertEquals(400, answer.status());
        assertEquals("order_mismatch", answer.text("status"));
        assertEquals("pending", server.orderStatus(expensive));
        // the payment did pay its own order, and PortOne says so
        assertEquals("paid", server.orderStatus(cheap));
    }

    @Test
    void a_second_payment_for_an_already_paid_order_is_refunded_and_the_first_stays() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000017", order, 15000, "paid"));
        server.portone.putPayment(FakePortOne.payment("imp_100000000018", order, 15000, "paid"));
        server.complete("imp_100000000017", order);

        Answer answer = server.complete("imp_100000000018", order);

        assertEquals(409, answer.status());
        assertEquals("already_paid", answer.text("status"));
        assertEquals("imp_100000000017", server.get("/orders/" + order).body().path("payment").path("imp_uid").asText());
        assertEquals(1, server.portone.cancels().size());
        assertTrue(server.portone.cancels().get(0).body().contains("imp_100000000018"));
    }

    @Test
    void reporting_the_same_payment_again_answers_success_and_changes_nothing() {
        String order = server.createOrder(15000);
        server.portone.putPayment(FakePortOne.payment("imp_100000000019", order, 15000, "paid"));
        server.complete("imp_100000000019", order);
        String updatedAt = server.get("/orders/" + order).text("updated_at");

        Answer again = server.complete("imp_100000000019", order);

        assertEquals("success", again.text("status"));
        assertEquals(updatedAt, server.get("/orders/" + order).text("updated_at"));
        List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
        assertEquals(List.of(true, false), history.stream().map(HistoryEntry::orderChanged).toList());
        assertEquals(List.of("browser", "browser"), history.stream().map(HistoryEntry::source).toList());
    }

    @Test
    void a_full_cancel_of_the_paid_payment_cancels_the_order_and_a_partial_one_makes_it_partly_refunded() {
        String order = server.createOrder(15000);
        Map<String, Object> payment = FakePortOne.payment("imp_100000000020", order, 15000, "paid");
        server.portone.putPayment(payment);
        server.complete("imp_100000000020", order);

        payment.put("status", "cancelled");
        payment.put("cancel_amount", 5000);
        server.portone.putPayment(payment);
        assertEquals("partially_cancelled", server.webhook("imp_100000000020", order, "cancelled").text("status"));
        assertEquals("partially_refunded", server.orderStatus(order));
        assertEquals(5000, server.get("/orders/" + order).body().get("refunded_amount").asInt());

        payment.put("cancel_amount", 15000);
        server.portone.putPayment(payment);
        assertEquals("cancelled", server.webhook("imp_100000000020", order, "cancelled").text("status"));
        assertEquals("cancelled", server.orderStatus(order));
        assertEquals(15000, server.get("/orders/" + order).body().get("refunded_amount").asInt());
    }

    @Test
    void missing_or_mistyped_fields_answer_400_and_call_nobody() {
        for (String body : List.of("", "not json", "[]", "{}", "{\"imp_uid\":\"imp_1\"}",
                "{\"imp_uid\":123,\"merchant_uid\":\"o\"}", "{\"imp_uid\":\"\",\"merchant_uid\":\"o\"}",
                "{\"imp_uid\":\"imp_1\",\"merchant_uid\":{\"$gt\":\"\"}}")) {
            Answer answer = server.postRaw("/payments/complete", "application/json", body);
            assertEquals(400, answer.status(), body);
            assertEquals("invalid_request", answer.text("status"), body);
            assertTrue(answer.text("message") != null && !answer.text("message").isBlank(), body);
        }
        assertEquals(0, server.portone.requests().size());
    }

    @Test
    void nothing_about_the_payment_is_stored_before_portone_confirms_it() {
        String order = server.createOrder(15000);

        server.complete("imp_999999999998", order);

        assertTrue(server.get("/orders/" + order).body().get("payment").isNull());
    }
}
