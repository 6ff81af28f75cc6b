package dev.portoneverify.sandbox.v2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated V2 store's payments and pre-registrations, and the rules that change them. One lock over
 * everything, plenty for a simulator; payments are never deleted. Amounts are in the minor unit, as on
 * V2's wire. Every change answers the payment as it is afterwards and the webhook {@code type} it causes.
 */
final class V2Store {
    static final Duration VIRTUAL_ACCOUNT_VALIDITY = Duration.ofDays(3);
    private static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(3);
    private static final int MAX_IDEMPOTENCY_KEYS = 10_000;

    /** What the browser passed to {@code PortOne.requestPayment}, plus the sandbox's own switches. */
    record PaymentRequest(String paymentId, String storeId, String channelKey, String orderName, long totalAmount,
                          String currency, String payMethod, String phone, String customData, String bank,
                          boolean fail, boolean testChannel) {}

    /** A payment as it is now, and the webhook type its last change sends (null: none). */
    record Changed(ObjectNode payment, String event, String transactionId, String cancellationId) {}

    record Registration(long totalAmount, String currency) {}

    /** A finished request under an Idempotency-Key: a retry gets the same answer. */
    record Remembered(String fingerprint, int httpStatus, String body, Instant expires) {}

    private final Clock clock;
    private final SecureRandom random;
    private final ObjectMapper json;
    private final String storeId;
    private final String channelKey;
    private final Object lock = new Object();
    // guarded by lock
    private final Map<String, SimulatedV2Payment> payments = new LinkedHashMap<>();
    private final Map<String, Registration> registered = new HashMap<>();
    private final Map<String, Remembered> idempotency = new LinkedHashMap<>();

    V2Store(Clock clock, SecureRandom random, ObjectMapper json, String storeId, String channelKey) {
        this.clock = clock;
        this.random = random;
        this.json = json;
        this.storeId = storeId;
        this.channelKey = channelKey;
    }

    Optional<ObjectNode> get(String paymentId) {
        synchronized (lock) {
            return Optional.ofNullable(payments.get(paymentId)).map(p -> p.json(json, channelKey));
        }
    }

    List<ObjectNode> all() {
        synchronized (lock) {
            return payments.values().stream().map(p -> p.json(json, channelKey)).toList();
        }
    }

    /** {@code POST /payments/{paymentId}/pre-register}. */
    void preRegister(String paymentId, long totalAmount, String currency) {
        synchronized (lock) {
            SimulatedV2Payment p = payments.get(paymentId);
            if (p != null && p.paidAt != null) {
                throw new V2Refusal(409, "ALREADY_PAID", "결제가 이미 완료되었습니다.");
            }
            registered.put(paymentId, new Registration(totalAmount, currency));
        }
    }

    /**
     * The buyer completes (or fails) {@code PortOne.requestPayment}: a card or transfer is paid at once, a
     * virtual account is issued and waits for {@link #deposit}.
     */
    Changed pay(PaymentRequest r) {
        synchronized (lock) {
            if (!storeId.equals(r.storeId())) {
                throw new V2Refusal(400, "INVALID_REQUEST", "storeId " + r.storeId() + " is not this sandbox's store");
            }
            if (!channelKey.equals(r.channelKey())) {
                throw new V2Refusal(400, "INVALID_REQUEST", "channelKey is not this sandbox's channel");
            }
            Registration registration = registered.get(r.paymentId());
            if (registration != null && (registration.totalAmount() != r.totalAmount()
                    || !registration.currency().equals(r.currency()))) {
                throw new V2Refusal(400, "INVALID_REQUEST", "paymentId " + r.paymentId() + " was pre-registered for "
                        + registration.totalAmount() + " " + registration.currency() + ": the payment window refuses "
                        + r.totalAmount() + " " + r.currency());
            }
            SimulatedV2Payment existing = payments.get(r.paymentId());
            if (existing != null && existing.paidAt != null) {
                throw new V2Refusal(409, "ALREADY_PAID", "결제가 이미 완료되었습니다.");
            }
            if (existing != null && existing.status.equals("VIRTUAL_ACCOUNT_ISSUED")) {
                throw new V2Refusal(409, "INVALID_REQUEST", "a virtual account is already issued for this paymentId");
            }
            Instant now = clock.instant();
            SimulatedV2Payment p = new SimulatedV2Payment(r.paymentId(), storeId);
            p.transactionId = newId();
            p.orderName = r.orderName();
            p.total = r.totalAmount();
            p.currency = r.currency();
            p.payMethod = r.payMethod();
            p.testChannel = r.testChannel();
            p.customData = r.customData();
            p.phone = r.phone();
            p.requestedAt = now;
            String event;
            if (r.fail()) {
                p.failReason = "[sandbox] 카드사 승인이 거절되었습니다.";
                p.failedAt = now;
                p.moveTo("FAILED", now);
                event = "Transaction.Failed";
            } else if (r.payMethod().equals("VIRTUAL_ACCOUNT")) {
                p.account = new SimulatedV2Payment.Account(r.bank() == null ? "KOOKMIN" : r.bank(),
                        accountNumber(), "(주)샌드박스상점", now.plus(VIRTUAL_ACCOUNT_VALIDITY), now);
                p.moveTo("VIRTUAL_ACCOUNT_ISSUED", now);
                event = "Transaction.VirtualAccountIssued";
            } else {
                p.paidAt = now;
                p.moveTo("PAID", now);
                event = "Transaction.Paid";
            }
            payments.put(p.id, p);
            return changed(p, event, null);
        }
    }

    /** The buyer deposits into the virtual account. */
    Changed deposit(String paymentId) {
        synchronized (lock) {
            SimulatedV2Payment p = existing(paymentId);
            if (!p.status.equals("VIRTUAL_ACCOUNT_ISSUED")) {
                throw new V2Refusal(409, "PAYMENT_NOT_WAITING_FOR_DEPOSIT", "결제가 입금 대기 상태가 아닙니다.");
            }
            Instant now = clock.instant();
            p.paidAt = now;
            p.moveTo("PAID", now);
            return changed(p, "Transaction.Paid", null);
        }
    }

    /** An unpaid payment fails, e.g. a virtual account whose deadline passed. */
    Changed fail(String paymentId, String reason) {
        synchronized (lock) {
            SimulatedV2Payment p = existing(paymentId);
            if (p.paidAt != null || p.status.equals("FAILED")) {
                throw new V2Refusal(409, "INVALID_REQUEST", "only an unpaid payment can fail; this one is " + p.status);
            }
            Instant now = clock.instant();
            p.failReason = reason;
            p.failedAt = now;
            p.moveTo("FAILED", now);
            return changed(p, "Transaction.Failed", null);
        }
    }

    /**
     * {@code POST /payments/{paymentId}/cancel}, or the console's cancel. {@code amount} null cancels the whole
     * balance; {@code currentCancellableAmount} non-null must equal the balance.
     */
    Changed cancel(String paymentId, Long amount, Long currentCancellableAmount, String reason, boolean refundAccountGiven) {
        synchronized (lock) {
            SimulatedV2Payment p = existing(paymentId);
            if (p.status.equals("CANCELLED")) {
                throw new V2Refusal(409, "PAYMENT_ALREADY_CANCELLED", "이미 취소된 결제입니다.");
            }
            if (!p.status.equals("PAID") && !p.status.equals("PARTIAL_CANCELLED")) {
                throw new V2Refusal(409, "PAYMENT_NOT_PAID", "결제가 완료되지 않았습니다.");
            }
            long balance = p.cancellable();
            if (currentCancellableAmount != null && currentCancellableAmount != balance) {
                throw new V2Refusal(409, "CANCELLABLE_AMOUNT_CONSISTENCY_BROKEN",
                        "취소 가능 잔액 검증에 실패했습니다. (현재 " + balance + ")");
            }
            long cancel = amount == null ? balance : amount;
            if (cancel <= 0) {
                throw new V2Refusal(400, "INVALID_REQUEST", "amount must be positive");
            }
            if (cancel > balance) {
                throw new V2Refusal(409, "CANCEL_AMOUNT_EXCEEDS_CANCELLABLE_AMOUNT", "취소 금액이 취소 가능 금액을 초과합니다.");
            }
            if ("VIRTUAL_ACCOUNT".equals(p.payMethod) && !refundAccountGiven) {
                throw new V2Refusal(400, "INVALID_REQUEST", "가상계좌 결제의 환불에는 refundAccount가 필요합니다.");
            }
            Instant now = clock.instant();
            SimulatedV2Payment.Cancellation c = new SimulatedV2Payment.Cancellation(newId(), cancel, reason, now);
            p.cancellations.add(c);
            p.cancelledAt = now;
            boolean full = p.cancelled() == p.total;
            p.moveTo(full ? "CANCELLED" : "PARTIAL_CANCELLED", now);
            Changed changed = changed(p, full ? "Transaction.Cancelled" : "Transaction.PartialCancelled", c.id());
            changed.payment().set("cancellation", SimulatedV2Payment.cancellation(json, c));
            return changed;
        }
    }

    /** The answer remembered for this key, if the same request already finished within three hours. */
    Optional<Remembered> remembered(String key, String fingerprint) {
        synchronized (lock) {
            Remembered r = idempotency.get(key);
            if (r == null || r.expires().isBefore(clock.instant())) {
                return Optional.empty();
            }
            if (!r.fingerprint().equals(fingerprint)) {
                throw new V2Refusal(409, "IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used for another request");
            }
            return Optional.of(r);
        }
    }

    void remember(String key, String fingerprint, int httpStatus, String body) {
        synchronized (lock) {
            idempotency.put(key, new Remembered(fingerprint, httpStatus, body, clock.instant().plus(IDEMPOTENCY_WINDOW)));
            if (idempotency.size() > MAX_IDEMPOTENCY_KEYS) {
                idempotency.remove(idempotency.keySet().iterator().next());
            }
        }
    }

    /** The store lock, held around a whole idempotent request so a concurrent retry waits for the first. */
    Object lock() {
        return lock;
    }

    private SimulatedV2Payment existing(String paymentId) {
        SimulatedV2Payment p = payments.get(paymentId);
        if (p == null) {
            throw new V2Refusal(404, "PAYMENT_NOT_FOUND", "결제 건이 존재하지 않습니다.");
        }
        return p;
    }

    private Changed changed(SimulatedV2Payment p, String event, String cancellationId) {
        return new Changed(p.json(json, channelKey), event, p.transactionId, cancellationId);
    }

    private String newId() {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private String accountNumber() {
        return String.format("%03d-%06d-%02d-%03d", random.nextInt(1000), random.nextInt(1_000_000),
                random.nextInt(100), random.nextInt(1000));
    }
}
