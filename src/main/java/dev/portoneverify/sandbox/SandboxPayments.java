package dev.portoneverify.sandbox;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The simulated PortOne's payments and pre-registrations, and the rules that change them (docs §3–§6).
 * Thread-safe: one lock over everything, which is plenty for a simulator. Payments are never deleted.
 * Every change goes to the {@link SandboxStore} before anyone sees it.
 */
final class SandboxPayments {
    static final String PAYMENT_NOT_FOUND = "존재하지 않는 결제정보입니다.";
    static final String NOTHING_TO_CANCEL = "취소할 결제건이 존재하지 않습니다.";
    static final String NO_CANCEL_TARGET = "취소할 결제건의 imp_uid 또는 merchant_uid를 지정해주셔야합니다.";
    static final Duration VBANK_VALIDITY = Duration.ofDays(3);
    static final String REVOKED_VBANK = "가상계좌 말소";

    /**
     * What the buyer asked for in the payment window. {@code impUid} null: a fresh one.
     * {@code declineReason} non-null: the approval failed (a declined card, or the shop's Confirm
     * Process said no) with that fail_reason.
     */
    record NewPayment(String impUid, String merchantUid, BigDecimal amount, String currency, String payMethod,
                      String name, String buyerName, String buyerTel, String customData, String declineReason,
                      boolean testChannel) {
        boolean declined() {
            return declineReason != null;
        }
    }

    /** A {@code POST /payments/prepare} registration; {@code currency} null means "not checked" (docs §5). */
    record Prepared(String merchantUid, BigDecimal amount, String currency) {}

    /**
     * A cancel request. {@code amount} null or 0 refunds the whole balance; {@code checksum} null skips the
     * balance check; {@code refundAccountGiven} says whether refund_holder/bank/account were all sent.
     */
    record CancelOrder(String impUid, String merchantUid, BigDecimal amount, BigDecimal checksum, String reason,
                       boolean refundAccountGiven) {}

    private final Clock clock;
    private final SecureRandom random;
    private final SandboxStore store;
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, SimulatedPayment> payments = new LinkedHashMap<>();
    private final Map<String, Prepared> prepared = new HashMap<>();
    private long sequence;

    /** Starts with what {@code contents} (the store's, from a previous run) holds, and writes every change to {@code store}. */
    SandboxPayments(Clock clock, SecureRandom random, SandboxStore store, SandboxStore.Contents contents) {
        this.clock = clock;
        this.random = random;
        this.store = store;
        for (SimulatedPayment p : contents.payments()) {
            payments.put(p.impUid, p);
            sequence = Math.max(sequence, p.sequence);
        }
        contents.prepared().forEach(r -> prepared.put(r.merchantUid(), r));
    }

    // ---- the buyer and the back office

    /** PortOne opens no payment window for an amount other than the pre-registered one. */
    void checkPrepared(String merchantUid, BigDecimal amount, String currency) {
        synchronized (lock) {
            Prepared p = prepared.get(merchantUid);
            if (p != null && (p.amount().compareTo(amount) != 0
                    || (p.currency() != null && !p.currency().equals(currency)))) {
                throw new SandboxRefusal("prepare_mismatch", "merchant_uid " + merchantUid + " was pre-registered for "
                        + p.amount().toPlainString() + (p.currency() == null ? "" : " " + p.currency())
                        + "; PortOne does not open the payment window for " + amount.toPlainString() + " " + currency);
            }
        }
    }

    /** An imp_uid for a payment about to be made (Confirm Process is asked about it before it exists). */
    String reserveImpUid() {
        synchronized (lock) {
            return newImpUid();
        }
    }

    /**
     * The buyer completes (or fails) the payment window. A card or bank transfer is paid at once; a
     * virtual account is issued ({@code ready}) and waits for {@link #deposit}.
     *
     * @throws SandboxRefusal {@code prepare_mismatch} when the merchant_uid was pre-registered with another
     *                        amount or currency: PortOne would not even open the window (docs §5)
     */
    PaymentSnapshot create(NewPayment n) {
        synchronized (lock) {
            checkPrepared(n.merchantUid(), n.amount(), n.currency());
            long now = now();
            String impUid = n.impUid() == null ? newImpUid() : n.impUid();
            if (payments.containsKey(impUid)) {
                throw new IllegalStateException(impUid + " exists already");
            }
            boolean vbank = n.payMethod().equals("vbank");
            // a declined window issued no account
            SimulatedPayment.VirtualAccount account = vbank && !n.declined() ? new SimulatedPayment.VirtualAccount("004", "KB국민은행",
                    digits(14), "(주)포트원샌드박스", now + VBANK_VALIDITY.toSeconds(), now) : null;
            SimulatedPayment payment = new SimulatedPayment(++sequence, impUid, n.merchantUid(), n.payMethod(),
                    "sandbox_" + hex(10), n.name(), n.amount(), n.currency(), n.testChannel(), n.buyerName(),
                    n.buyerTel(), n.customData(), now, SimulatedPayment.receiptUrlOf(impUid), account);
            if (n.declined()) {
                payment.status = "failed";
                payment.failedAt = now;
                payment.updatedAt = now;
                payment.failReason = n.declineReason();
            } else if (vbank) {
                payment.status = "ready";
            } else {
                markPaid(payment, now);
            }
            return commit(payment);
        }
    }

    /** The buyer pays into the virtual account; {@code not_awaiting_deposit} unless it is a ready vbank. */
    PaymentSnapshot deposit(String impUid) {
        synchronized (lock) {
            SimulatedPayment p = existing(impUid).copy();
            if (p.vbank == null || !p.status.equals("ready")) {
                throw new SandboxRefusal("not_awaiting_deposit",
                        impUid + " is a " + p.status + " " + p.payMethod + " payment, not a virtual account awaiting deposit");
            }
            markPaid(p, now());
            return commit(p);
        }
    }

    /**
     * The payment fails, as an expired virtual account or an abandoned window does. Only a {@code ready}
     * payment can fail: money that arrived leaves through a cancel, never by "failing".
     */
    PaymentSnapshot fail(String impUid, String reason) {
        synchronized (lock) {
            SimulatedPayment p = existing(impUid).copy();
            if (!p.status.equals("ready")) {
                throw new SandboxRefusal("not_ready", impUid + " is " + p.status + "; only a ready payment can fail");
            }
            p.status = "failed";
            p.failedAt = now();
            p.updatedAt = p.failedAt;
            p.failReason = reason;
            return commit(p);
        }
    }

    /**
     * A cancel, full or partial, by {@code POST /payments/cancel} or from the console (docs §6). Each one
     * appends a {@code cancel_history} entry, adds to {@code cancel_amount} and leaves {@code status}
     * "cancelled", also when a balance is left (§6.3).
     *
     * @throws SandboxRefusal with PortOne's Korean message; nothing changed
     */
    PaymentSnapshot cancel(CancelOrder c) {
        synchronized (lock) {
            SimulatedPayment found = cancelTarget(c);
            SimulatedPayment p = found == null ? null : found.copy();
            if (p == null || !(p.status.equals("paid") || p.status.equals("cancelled"))) {
                // unpaid and failed payments have nothing to refund; PortOne's wording is the same (simulator choice)
                throw new SandboxRefusal("cancel_refused", NOTHING_TO_CANCEL);
            }
            BigDecimal balance = p.balance();
            if (balance.signum() <= 0) {
                throw new SandboxRefusal("cancel_refused", "이미 전액취소된 주문입니다.");
            }
            if (c.checksum() != null && c.checksum().compareTo(balance) != 0) {
                throw new SandboxRefusal("cancel_refused", "[checksum] 취소가능잔액(" + balance.toPlainString()
                        + ")과 요청한 checksum(" + c.checksum().toPlainString() + ")이 일치하지 않습니다.");
            }
            BigDecimal refund = c.amount() == null || c.amount().signum() == 0 ? balance : c.amount();
            if (refund.signum() < 0) {
                throw new SandboxRefusal("cancel_refused", "취소 금액은 0보다 커야 합니다.");
            }
            if (refund.compareTo(balance) > 0) {
                throw new SandboxRefusal("cancel_refused",
                        "결제취소에 실패하였습니다.(requested cancel amount is bigger than cancelable amount)");
            }
            // Only paid or cancelled payments get here, so a virtual account was deposited into: that money goes
            // back by bank transfer, and PortOne needs the account to send it to (§6.1).
            if (p.vbank != null && !c.refundAccountGiven()) {
                throw new SandboxRefusal("cancel_refused",
                        "가상계좌 환불을 위해 refund_holder, refund_bank, refund_account 파라미터가 필요합니다.");
            }
            long now = now();
            // reason is a required string in cancel_history even when none was given
            String reason = c.reason() == null ? "" : c.reason();
            p.cancels.add(new SimulatedPayment.CancelEntry(p.pgTid, refund, now, reason, hex(12), p.receiptUrl));
            p.cancelAmount = p.cancelAmount.add(refund);
            p.status = "cancelled";
            p.cancelledAt = now;
            p.updatedAt = now;
            p.cancelReason = c.reason();
            return commit(p);
        }
    }

    /**
     * {@code DELETE /vbanks/{imp_uid}}: the unpaid virtual account is closed, so no deposit can reach it. The
     * payment becomes {@code failed} (PortOne's console files a revoked account under failures, "계좌말소":
     * release note 2024-01-25); no money moved, so {@code cancel_amount} stays 0.
     *
     * @throws SandboxRefusal {@code unknown_payment}, {@code not_a_vbank} or {@code not_awaiting_deposit}
     */
    PaymentSnapshot revokeVbank(String impUid) {
        synchronized (lock) {
            SimulatedPayment p = existing(impUid).copy();
            if (p.vbank == null) {
                throw new SandboxRefusal("not_a_vbank", "가상계좌 결제건이 아닙니다.");
            }
            if (!p.status.equals("ready")) {
                throw new SandboxRefusal("not_awaiting_deposit", "입금대기(ready) 상태의 가상계좌가 아닙니다. (status: " + p.status + ")");
            }
            p.status = "failed";
            p.failedAt = now();
            p.updatedAt = p.failedAt;
            p.failReason = REVOKED_VBANK;
            return commit(p);
        }
    }

    /** Registers the expected amount; a second registration of a merchant_uid replaces the first (simulator choice). */
    Prepared prepare(Prepared registration) {
        synchronized (lock) {
            store.save(registration);
            prepared.put(registration.merchantUid(), registration);
            return registration;
        }
    }

    /** {@code PUT /payments/prepare}: changes an existing registration; empty when there is none (a 404). */
    Optional<Prepared> reprepare(Prepared registration) {
        synchronized (lock) {
            if (!prepared.containsKey(registration.merchantUid())) {
                return Optional.empty();
            }
            store.save(registration);
            prepared.put(registration.merchantUid(), registration);
            return Optional.of(registration);
        }
    }

    Optional<Prepared> prepared(String merchantUid) {
        synchronized (lock) {
            return Optional.ofNullable(prepared.get(merchantUid));
        }
    }

    // ---- lookups

    Optional<PaymentSnapshot> get(String impUid) {
        synchronized (lock) {
            SimulatedPayment p = payments.get(impUid);
            return p == null ? Optional.empty() : Optional.of(p.snapshot());
        }
    }

    /** The payments that {@code filter} accepts, in {@code order}; both run inside the lock. */
    List<PaymentSnapshot> list(Predicate<SimulatedPayment> filter, Comparator<SimulatedPayment> order) {
        synchronized (lock) {
            return payments.values().stream().filter(filter).sorted(order).map(SimulatedPayment::snapshot).toList();
        }
    }

    /** {@code GET /payments/{imp_uid}/balance}'s answer, or empty for an unknown payment. */
    Optional<Map<String, Object>> balance(String impUid) {
        synchronized (lock) {
            SimulatedPayment p = payments.get(impUid);
            return p == null ? Optional.empty() : Optional.of(PaymentBalance.of(p));
        }
    }

    List<PaymentSnapshot> all() {
        synchronized (lock) {
            List<PaymentSnapshot> all = new ArrayList<>();
            payments.values().forEach(p -> all.add(p.snapshot()));
            return all;
        }
    }

    // ---- inside the lock

    private SimulatedPayment existing(String impUid) {
        SimulatedPayment p = payments.get(impUid);
        if (p == null) {
            throw new SandboxRefusal("unknown_payment", PAYMENT_NOT_FOUND);
        }
        return p;
    }

    /** imp_uid wins when both are sent, even if it names nothing and the merchant_uid would match (§6.1). */
    private SimulatedPayment cancelTarget(CancelOrder c) {
        if (c.impUid() != null) {
            return payments.get(c.impUid());
        }
        if (c.merchantUid() != null) {
            return newest(c.merchantUid(), List.of("paid", "cancelled"));
        }
        throw new SandboxRefusal("cancel_refused", NO_CANCEL_TARGET);
    }

    /** Newest by started_at; {@code statuses} empty means any. */
    private SimulatedPayment newest(String merchantUid, List<String> statuses) {
        SimulatedPayment newest = null;
        for (SimulatedPayment p : payments.values()) {
            if (p.merchantUid.equals(merchantUid) && (statuses.isEmpty() || statuses.contains(p.status))
                    && (newest == null || p.isNewerThan(newest))) {
                newest = p;
            }
        }
        return newest;
    }

    /**
     * Stores the changed copy, and only then lets it replace the payment: a change the store refused
     * (a full disk, say) is no change at all.
     */
    private PaymentSnapshot commit(SimulatedPayment changed) {
        store.save(changed);
        payments.put(changed.impUid, changed);
        return changed.snapshot();
    }

    private void markPaid(SimulatedPayment p, long now) {
        p.status = "paid";
        p.paidAt = now;
        p.updatedAt = now;
        p.applyNum = p.payMethod.equals("card") ? digits(8) : null;
    }

    private String newImpUid() {
        String impUid;
        do {
            impUid = "imp_" + digits(12);
        } while (payments.containsKey(impUid));
        return impUid;
    }

    private String digits(int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }
}
