package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.order.Order;
import dev.portoneverify.order.OrderStatus;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PaymentStatus;
import dev.portoneverify.portone.Vbank;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The rules as a pure function: each case names the state and PortOne's word, and checks the decision. */
class PaymentRulesTest {
    private static final Policy STRICT = new Policy(false, true);
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void paid_with_the_exact_amount_moves_a_pending_order_to_paid() {
        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null), payment("imp_1", PaymentStatus.PAID, "15000", "0"), STRICT, NOW);

        assertEquals(Verdict.PAID, d.verdict());
        assertEquals(Transition.TO_PAID, d.transition());
        assertFalse(d.refund());
    }

    @Test
    void paid_replaces_a_virtual_account_still_awaiting_deposit() {
        Decision d = PaymentRules.decide(order(OrderStatus.AWAITING_DEPOSIT, "imp_vbank"),
                payment("imp_card", PaymentStatus.PAID, "15000", "0"), STRICT, NOW);

        assertEquals(Transition.TO_PAID, d.transition());
    }

    @Test
    void amounts_compare_by_value_not_by_scale() {
        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null), payment("imp_1", PaymentStatus.PAID, "15000.000", "0"), STRICT, NOW);

        assertEquals(Verdict.PAID, d.verdict());
    }

    @Test
    void confirm_process_lets_a_payable_order_be_approved_only_for_its_exact_money() {
        Order pending = order(OrderStatus.PENDING, null);

        assertTrue(PaymentRules.refuseApproval(pending, new BigDecimal("15000.00"), "KRW").isEmpty());
        assertTrue(PaymentRules.refuseApproval(pending, new BigDecimal("15000"), null).isEmpty());
        assertEquals(Verdict.FORGERY, PaymentRules.refuseApproval(pending, new BigDecimal("14999"), "KRW").orElseThrow().verdict());
        assertEquals(Verdict.FORGERY, PaymentRules.refuseApproval(pending, new BigDecimal("15000"), "USD").orElseThrow().verdict());
        assertEquals(Verdict.UNKNOWN_ORDER, PaymentRules.refuseApproval(null, new BigDecimal("15000"), "KRW").orElseThrow().verdict());
        assertEquals(Verdict.PAID_BY_OTHER, PaymentRules.refuseApproval(order(OrderStatus.PAID, "imp_1"),
                new BigDecimal("15000"), "KRW").orElseThrow().verdict());
        assertEquals(Verdict.ORDER_CLOSED, PaymentRules.refuseApproval(order(OrderStatus.CANCELLED, null),
                new BigDecimal("15000"), "KRW").orElseThrow().verdict());
    }

    @Test
    void currencies_compare_as_exact_codes_in_confirm_process_as_in_every_other_check() {
        // callers upper-case what they read (ConfirmHandler); a lower-case code reaching the rules is not the order's
        assertEquals(Verdict.FORGERY, PaymentRules.refuseApproval(order(OrderStatus.PENDING, null),
                new BigDecimal("15000"), "krw").orElseThrow().verdict());
    }

    @Test
    void one_won_short_is_a_forgery_refunded_in_full() {
        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null), payment("imp_1", PaymentStatus.PAID, "14999", "0"), STRICT, NOW);

        assertEquals(Verdict.FORGERY, d.verdict());
        assertEquals(Transition.NONE, d.transition());
        assertTrue(d.refund());
        assertTrue(d.detail().contains("expected 15000 KRW, PortOne reports 14999 KRW"), d.detail());
    }

    @Test
    void a_forgery_already_partly_refunded_is_refunded_for_what_is_left_and_a_fully_refunded_one_not_at_all() {
        assertTrue(PaymentRules.decide(order(OrderStatus.PENDING, null),
                payment("imp_1", PaymentStatus.PAID, "100", "40"), STRICT, NOW).refund());
        assertFalse(PaymentRules.decide(order(OrderStatus.PENDING, null),
                payment("imp_1", PaymentStatus.PAID, "100", "100"), STRICT, NOW).refund());
    }

    @Test
    void a_paid_report_of_the_bound_payment_changes_nothing() {
        Decision d = PaymentRules.decide(order(OrderStatus.PAID, "imp_1"), payment("imp_1", PaymentStatus.PAID, "15000", "0"), STRICT, NOW);

        assertEquals(Verdict.PAID, d.verdict());
        assertEquals(Transition.NONE, d.transition());
    }

    @Test
    void another_paid_payment_for_a_paid_order_is_refunded() {
        Decision d = PaymentRules.decide(order(OrderStatus.PAID, "imp_1"), payment("imp_2", PaymentStatus.PAID, "15000", "0"), STRICT, NOW);

        assertEquals(Verdict.PAID_BY_OTHER, d.verdict());
        assertTrue(d.refund());
    }

    @Test
    void a_new_payment_for_a_cancelled_order_is_refunded() {
        Decision d = PaymentRules.decide(order(OrderStatus.CANCELLED, "imp_1"), payment("imp_2", PaymentStatus.PAID, "15000", "0"), STRICT, NOW);

        assertEquals(Verdict.ORDER_CLOSED, d.verdict());
        assertTrue(d.refund());
    }

    @Test
    void nothing_is_refunded_when_auto_cancel_is_off() {
        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null), payment("imp_1", PaymentStatus.PAID, "1", "0"),
                new Policy(false, false), NOW);

        assertEquals(Verdict.FORGERY, d.verdict());
        assertFalse(d.refund());
    }

    @Test
    void ready_with_a_virtual_account_waits_for_the_deposit_and_ready_without_one_is_not_paid() {
        Payment vbank = withVbank(payment("imp_1", PaymentStatus.READY, "15000", "0"));

        assertEquals(Transition.TO_AWAITING_DEPOSIT,
                PaymentRules.decide(order(OrderStatus.PENDING, null), vbank, STRICT, NOW).transition());
        assertEquals(Verdict.VBANK_ISSUED,
                PaymentRules.decide(order(OrderStatus.AWAITING_DEPOSIT, "imp_1"), vbank, STRICT, NOW).verdict());
        assertEquals(Transition.NONE,
                PaymentRules.decide(order(OrderStatus.AWAITING_DEPOSIT, "imp_1"), vbank, STRICT, NOW).transition());
        assertEquals(Verdict.NOT_PAID, PaymentRules.decide(order(OrderStatus.PENDING, null),
                payment("imp_1", PaymentStatus.READY, "15000", "0"), STRICT, NOW).verdict());
    }

    @Test
    void a_virtual_account_past_its_deadline_reopens_its_order_and_is_never_bound_again() {
        Payment expired = withVbank(payment("imp_1", PaymentStatus.READY, "15000", "0"), NOW.minusSeconds(1));

        Decision bound = PaymentRules.decide(order(OrderStatus.AWAITING_DEPOSIT, "imp_1"), expired, STRICT, NOW);
        Decision unbound = PaymentRules.decide(order(OrderStatus.PENDING, null), expired, STRICT, NOW);

        assertEquals(Transition.REOPENED, bound.transition());
        assertTrue(bound.detail().contains("expired"), bound.detail());
        assertEquals(Verdict.NOT_PAID, unbound.verdict());
        assertEquals(Transition.NONE, unbound.transition());
    }

    @Test
    void a_virtual_account_for_the_wrong_amount_is_a_forgery_with_nothing_to_refund() {
        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null),
                withVbank(payment("imp_1", PaymentStatus.READY, "1", "0")), STRICT, NOW);

        assertEquals(Verdict.FORGERY, d.verdict());
        assertFalse(d.refund());
    }

    @Test
    void a_failed_virtual_account_reopens_the_order_and_other_failures_change_nothing() {
        assertEquals(Transition.REOPENED, PaymentRules.decide(order(OrderStatus.AWAITING_DEPOSIT, "imp_1"),
                payment("imp_1", PaymentStatus.FAILED, "15000", "0"), STRICT, NOW).transition());
        assertEquals(Transition.NONE, PaymentRules.decide(order(OrderStatus.PENDING, null),
                payment("imp_1", PaymentStatus.FAILED, "15000", "0"), STRICT, NOW).transition());
    }

    @Test
    void only_a_full_cancel_of_the_bound_payment_cancels_the_order_and_a_partial_one_makes_it_partly_refunded() {
        assertEquals(Transition.TO_CANCELLED, PaymentRules.decide(order(OrderStatus.PAID, "imp_1"),
                payment("imp_1", PaymentStatus.CANCELLED, "15000", "15000"), STRICT, NOW).transition());
        Decision partial = PaymentRules.decide(order(OrderStatus.PAID, "imp_1"),
                payment("imp_1", PaymentStatus.CANCELLED, "15000", "5000"), STRICT, NOW);
        assertEquals(Verdict.PARTIALLY_CANCELLED, partial.verdict());
        assertEquals(Transition.TO_PARTIALLY_REFUNDED, partial.transition());
        Decision refundedDuplicate = PaymentRules.decide(order(OrderStatus.PAID, "imp_1"),
                payment("imp_2", PaymentStatus.CANCELLED, "15000", "15000"), STRICT, NOW);
        assertEquals(Transition.NONE, refundedDuplicate.transition());
        assertEquals(Verdict.PAID_BY_OTHER, refundedDuplicate.verdict());
        assertFalse(refundedDuplicate.refund());
    }

    @Test
    void a_refunded_forgery_reported_again_is_still_a_forgery_with_nothing_to_refund() {
        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null),
                payment("imp_9", PaymentStatus.CANCELLED, "99", "99"), STRICT, NOW);

        assertEquals(Verdict.FORGERY, d.verdict());
        assertFalse(d.refund());
        assertTrue(d.detail().contains("nothing left to refund"), d.detail());
    }

    @Test
    void a_pending_order_whose_payment_says_paid_with_most_of_it_refunded_is_partly_refunded_not_paid() {
        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null),
                payment("imp_1", PaymentStatus.PAID, "15000", "14000"), STRICT, NOW);

        assertEquals(Verdict.PARTIALLY_CANCELLED, d.verdict());
        assertEquals(Transition.TO_PARTIALLY_REFUNDED, d.transition());
        assertFalse(d.refund());
        assertTrue(d.detail().contains("1000 KRW held"), d.detail());
    }

    @Test
    void a_pending_order_whose_payment_says_cancelled_with_money_left_binds_it_as_partly_refunded() {
        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null),
                payment("imp_1", PaymentStatus.CANCELLED, "15000", "1000"), STRICT, NOW);

        assertEquals(Transition.TO_PARTIALLY_REFUNDED, d.transition());
        assertTrue(d.detail().contains("14000 KRW held"), d.detail());
    }

    @Test
    void a_deposit_partly_refunded_before_it_was_reported_leaves_the_order_partly_refunded_not_cancelled() {
        Decision d = PaymentRules.decide(order(OrderStatus.AWAITING_DEPOSIT, "imp_v"),
                deposited(withVbank(payment("imp_v", PaymentStatus.CANCELLED, "15000", "5000"))), STRICT, NOW);

        assertEquals(Transition.TO_PARTIALLY_REFUNDED, d.transition());
    }

    @Test
    void money_never_comes_back_so_an_older_report_does_not_undo_a_partial_refund() {
        Decision d = PaymentRules.decide(order(OrderStatus.PARTIALLY_REFUNDED, "imp_1"),
                payment("imp_1", PaymentStatus.PAID, "15000", "0"), STRICT, NOW);

        assertEquals(Transition.NONE, d.transition());
        assertTrue(d.detail().contains("stale report"), d.detail());
    }

    @Test
    void a_deposited_duplicate_account_waits_for_the_shop_instead_of_a_refund_portone_would_refuse() {
        Decision d = PaymentRules.decide(order(OrderStatus.PAID, "imp_card"),
                withVbank(payment("imp_v", PaymentStatus.PAID, "15000", "0")), STRICT, NOW);

        assertEquals(Verdict.PAID_BY_OTHER, d.verdict());
        assertTrue(d.refund());
        assertTrue(d.refundWaitsForShop());
    }

    @Test
    void a_card_that_pays_an_order_awaiting_a_deposit_closes_its_virtual_account_and_so_does_a_late_issued_one() {
        assertEquals("imp_v", PaymentRules.decide(order(OrderStatus.AWAITING_DEPOSIT, "imp_v"),
                payment("imp_card", PaymentStatus.PAID, "15000", "0"), STRICT, NOW).closeVbank());
        assertEquals("imp_v2", PaymentRules.decide(order(OrderStatus.PAID, "imp_card"),
                withVbank(payment("imp_v2", PaymentStatus.READY, "15000", "0")), STRICT, NOW).closeVbank());
        assertEquals("imp_v3", PaymentRules.decide(order(OrderStatus.PENDING, null),
                withVbank(payment("imp_v3", PaymentStatus.READY, "700", "0")), STRICT, NOW).closeVbank());
    }

    @Test
    void test_channel_payments_are_refused_unless_allowed() {
        Payment test = sandbox(payment("imp_1", PaymentStatus.PAID, "15000", "0"));

        assertEquals(Verdict.TEST_PAYMENT, PaymentRules.decide(order(OrderStatus.PENDING, null), test, STRICT, NOW).verdict());
        assertEquals(Verdict.PAID, PaymentRules.decide(order(OrderStatus.PENDING, null), test, new Policy(true, true), NOW).verdict());
    }

    @Test
    void unknown_statuses_are_never_paid() {
        Payment odd = new Payment("imp_1", "order_1", new BigDecimal("15000"), BigDecimal.ZERO, "KRW",
                PaymentStatus.UNRECOGNIZED, "partial_paid", false, "card", null, null, null, null, null, null, null, null, null);

        Decision d = PaymentRules.decide(order(OrderStatus.PENDING, null), odd, STRICT, NOW);

        assertEquals(Verdict.NOT_PAID, d.verdict());
        assertEquals(Transition.NONE, d.transition());
    }

    @Test
    void a_payment_without_an_order_is_unknown() {
        assertEquals(Verdict.UNKNOWN_ORDER,
                PaymentRules.decide(null, payment("imp_1", PaymentStatus.PAID, "15000", "0"), STRICT, NOW).verdict());
    }

    private static Order order(OrderStatus status, String impUid) {
        return new Order("order_1", 1, "책", new BigDecimal("15000"), "KRW", status, impUid, NOW, NOW);
    }

    private static Payment payment(String impUid, PaymentStatus status, String amount, String cancelled) {
        return new Payment(impUid, "order_1", new BigDecimal(amount), new BigDecimal(cancelled), "KRW", status,
                status.name().toLowerCase(), false, "card", "html5_inicis", "책", null, null, null, null, null, null, null);
    }

    private static Payment withVbank(Payment p) {
        return withVbank(p, NOW.plusSeconds(86_400));
    }

    private static Payment withVbank(Payment p, Instant deadline) {
        return new Payment(p.impUid(), p.merchantUid(), p.amount(), p.cancelAmount(), p.currency(), p.status(),
                p.rawStatus(), p.sandbox(), "vbank", p.pgProvider(), p.name(), p.paidAt(), p.failedAt(), p.cancelledAt(),
                p.failReason(), p.cancelReason(), new Vbank("004", "KB국민은행", "123", "상점", deadline, NOW), p.receiptUrl());
    }

    /** A virtual account that was paid into: PortOne keeps its paid_at after a cancel. */
    private static Payment deposited(Payment p) {
        return new Payment(p.impUid(), p.merchantUid(), p.amount(), p.cancelAmount(), p.currency(), p.status(),
                p.rawStatus(), p.sandbox(), p.payMethod(), p.pgProvider(), p.name(), NOW, p.failedAt(), p.cancelledAt(),
                p.failReason(), p.cancelReason(), p.vbank(), p.receiptUrl());
    }

    private static Payment sandbox(Payment p) {
        return new Payment(p.impUid(), p.merchantUid(), p.amount(), p.cancelAmount(), p.currency(), p.status(),
                p.rawStatus(), true, p.payMethod(), p.pgProvider(), p.name(), p.paidAt(), p.failedAt(), p.cancelledAt(),
                p.failReason(), p.cancelReason(), p.vbank(), p.receiptUrl());
    }
}
