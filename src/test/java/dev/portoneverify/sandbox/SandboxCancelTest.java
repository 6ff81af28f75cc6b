package dev.portoneverify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.SandboxHarness.Answer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** POST /payments/cancel against docs/portone-v1-api.md §6: refusals are HTTP 200 with code 1 and change nothing. */
class SandboxCancelTest {
    @RegisterExtension
    final SandboxHarness h = new SandboxHarness();

    private static JsonNode paymentOf(Answer a) {
        assertEquals(200, a.status(), a.toString());
        assertEquals(0, a.body().get("code").intValue(), a.toString());
        return a.body().get("response");
    }

    private static void assertRefused(Answer a, String messageStart) {
        assertEquals(200, a.status(), a.toString());
        assertTrue(a.body().get("code").isInt());
        assertEquals(1, a.body().get("code").intValue(), a.toString());
        assertTrue(a.body().get("response").isNull());
        assertTrue(a.text("message").startsWith(messageStart), a.text("message"));
    }

    private JsonNode current(String impUid) {
        return paymentOf(h.getPayment(impUid));
    }

    @Test
    void a_cancel_without_amount_refunds_the_whole_balance_with_a_history_entry() {
        String impUid = h.payByCard("order_c1", 15000);
        h.clock.advance(Duration.ofMinutes(2));

        JsonNode p = paymentOf(h.cancel(Map.of("imp_uid", impUid, "reason", "고객 변심")));

        SandboxV1ContractTest.assertEveryFieldTyped(p);
        assertEquals("cancelled", p.get("status").asText());
        assertEquals(15000, p.get("cancel_amount").intValue());
        assertEquals(h.clock.instant().getEpochSecond(), p.get("cancelled_at").longValue());
        assertEquals("고객 변심", p.get("cancel_reason").asText());
        assertEquals(1, p.get("cancel_history").size());
        JsonNode entry = p.get("cancel_history").get(0);
        assertEquals(15000, entry.get("amount").intValue());
        assertEquals(p.get("pg_tid"), entry.get("pg_tid"));
        assertEquals(p.get("cancelled_at"), entry.get("cancelled_at"));
        assertEquals("고객 변심", entry.get("reason").asText());
        assertTrue(entry.get("cancellation_id").asText().length() > 0);
        assertTrue(entry.get("receipt_url").isTextual());
        assertEquals(1, p.get("cancel_receipt_urls").size());
        assertEquals(p, current(impUid), "GET shows the cancel");
    }

    @Test
    void amount_zero_sent_as_a_form_is_a_full_cancel() {
        String impUid = h.payByCard("order_c2", 8000);

        JsonNode p = paymentOf(h.v1Form("/payments/cancel", h.token(), Map.of("imp_uid", impUid, "amount", "0")));

        assertEquals(8000, p.get("cancel_amount").intValue());
        assertTrue(p.get("cancel_history").get(0).get("reason").isTextual(), "reason is a string even when none was sent");
    }

    @Test
    void partial_cancels_accumulate_and_leave_the_status_cancelled() {
        String impUid = h.payByCard("order_c3", 10000);

        JsonNode first = paymentOf(h.cancel(Map.of("imp_uid", impUid, "amount", 3000)));
        assertEquals("cancelled", first.get("status").asText());
        assertEquals(3000, first.get("cancel_amount").intValue());

        JsonNode second = paymentOf(h.cancel(Map.of("imp_uid", impUid, "amount", 2000, "checksum", 7000)));
        assertEquals(5000, second.get("cancel_amount").intValue());
        assertEquals(2, second.get("cancel_history").size());
        assertNotEquals(second.at("/cancel_history/0/cancellation_id"), second.at("/cancel_history/1/cancellation_id"));

        assertRefused(h.cancel(Map.of("imp_uid", impUid, "amount", 6000)), "결제취소에 실패하였습니다.");
        JsonNode rest = paymentOf(h.cancel(Map.of("imp_uid", impUid)));
        assertEquals(10000, rest.get("cancel_amount").intValue());
        assertEquals(3, rest.get("cancel_history").size());
        assertRefused(h.cancel(Map.of("imp_uid", impUid)), "이미 전액취소된");
    }

    @Test
    void a_checksum_other_than_the_balance_is_refused_and_changes_nothing() {
        String impUid = h.payByCard("order_c4", 10000);
        paymentOf(h.cancel(Map.of("imp_uid", impUid, "amount", 4000)));

        // a shop that missed the first partial cancel still believes 10000 is left
        assertRefused(h.cancel(Map.of("imp_uid", impUid, "amount", 10000, "checksum", 10000)), "[checksum]");
        assertEquals(4000, current(impUid).get("cancel_amount").intValue());

        assertEquals(10000, paymentOf(h.cancel(Map.of("imp_uid", impUid, "checksum", 6000))).get("cancel_amount").intValue());
    }

    @Test
    void imp_uid_wins_over_merchant_uid_even_when_it_names_nothing() {
        String a = h.payByCard("order_ca", 1000);
        String b = h.payByCard("order_cb", 2000);

        JsonNode cancelled = paymentOf(h.cancel(Map.of("imp_uid", a, "merchant_uid", "order_cb")));
        assertEquals(a, cancelled.get("imp_uid").asText());
        assertEquals("paid", current(b).get("status").asText());

        assertRefused(h.cancel(Map.of("imp_uid", "imp_000000000000", "merchant_uid", "order_cb")),
                "취소할 결제건이 존재하지 않습니다.");
        assertEquals("paid", current(b).get("status").asText());
    }

    @Test
    void merchant_uid_alone_cancels_that_orders_paid_payment() {
        h.created(h.control("POST", "/payments", Map.of("merchant_uid", "order_c5", "amount", 1000, "fail", true)));
        String paid = h.payByCard("order_c5", 1000);

        assertEquals(paid, paymentOf(h.cancel(Map.of("merchant_uid", "order_c5"))).get("imp_uid").asText());
    }

    @Test
    void a_cancel_without_any_id_or_for_an_unpaid_payment_is_refused() {
        assertRefused(h.cancel(Map.of("amount", 1000)), "취소할 결제건의 imp_uid 또는 merchant_uid를");
        String failed = h.created(h.control("POST", "/payments", Map.of("merchant_uid", "order_c6", "amount", 1000,
                "fail", true)));
        assertRefused(h.cancel(Map.of("imp_uid", failed)), "취소할 결제건이 존재하지 않습니다.");
        String ready = h.issueVbank("order_c7", 1000);
        assertRefused(h.cancel(Map.of("imp_uid", ready)), "취소할 결제건이 존재하지 않습니다.");
        assertEquals("ready", current(ready).get("status").asText());
    }

    @Test
    void a_deposited_virtual_account_is_refunded_only_with_refund_holder_bank_and_account() {
        String impUid = h.issueVbank("order_c8", 30000);
        assertEquals(200, h.control("POST", "/payments/" + impUid + "/deposit", null).status());

        assertRefused(h.cancel(Map.of("imp_uid", impUid, "refund_holder", "홍길동", "refund_bank", "004")),
                "가상계좌 환불");
        assertEquals("paid", current(impUid).get("status").asText());

        Map<String, Object> withAccount = new LinkedHashMap<>();
        withAccount.put("imp_uid", impUid);
        withAccount.put("refund_holder", "홍길동");
        withAccount.put("refund_bank", "004");
        withAccount.put("refund_account", "12345678901234");
        JsonNode p = paymentOf(h.cancel(withAccount));
        assertEquals(30000, p.get("cancel_amount").intValue());
    }

    @Test
    void a_test_channel_payment_can_be_cancelled_by_its_imp_uid() {
        String impUid = h.created(h.control("POST", "/payments", Map.of("merchant_uid", "order_c9", "amount", 1000,
                "test_channel", true)));

        assertEquals("cancelled", paymentOf(h.cancel(Map.of("imp_uid", impUid))).get("status").asText());
    }

    @Test
    void fractional_amounts_stay_exact_numbers() {
        String impUid = h.created(h.control("POST", "/payments", Map.of("merchant_uid", "order_usd", "amount",
                new BigDecimal("14.20"), "currency", "USD")));

        JsonNode p = paymentOf(h.cancel(Map.of("imp_uid", impUid, "amount", new BigDecimal("4.1"))));

        assertEquals(0, p.get("amount").decimalValue().compareTo(new BigDecimal("14.2")));
        assertEquals(0, p.get("cancel_amount").decimalValue().compareTo(new BigDecimal("4.1")));
        assertEquals("USD", p.get("currency").asText());
    }
}
