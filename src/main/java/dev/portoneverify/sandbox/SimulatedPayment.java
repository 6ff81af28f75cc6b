package dev.portoneverify.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One payment as PortOne keeps it. Mutable, and only touched by {@link SandboxPayments} under its lock;
 * everything else sees {@link #snapshot()}s.
 */
final class SimulatedPayment {
    /** One {@code cancel_history} entry (docs §3.1: all but {@code receipt_url} required). */
    record CancelEntry(String pgTid, BigDecimal amount, long cancelledAt, String reason, String cancellationId,
                       String receiptUrl) {}

    // fixed at creation
    final long sequence;
    final String impUid;
    final String merchantUid;
    final String payMethod;
    final String pgTid;
    final String name;
    final BigDecimal amount;
    final String currency;
    final boolean sandbox;
    final String buyerName;
    final String buyerTel;
    final String customData;
    final long startedAt;
    final String receiptUrl;
    final VirtualAccount vbank;

    // changed by the business rules; timestamps are UNIX seconds, 0 when it did not happen (docs §9.5)
    String status;
    String applyNum;
    BigDecimal cancelAmount = BigDecimal.ZERO;
    long paidAt;
    long failedAt;
    long cancelledAt;
    /** The last status change, for the {@code updated} sort orders; PortOne serves no field for it. */
    long updatedAt;
    String failReason;
    String cancelReason;
    final List<CancelEntry> cancels = new ArrayList<>();

    /** The virtual account of a vbank payment. */
    record VirtualAccount(String code, String name, String num, String holder, long date, long issuedAt) {}

    SimulatedPayment(long sequence, String impUid, String merchantUid, String payMethod, String pgTid, String name,
                     BigDecimal amount, String currency, boolean sandbox, String buyerName, String buyerTel,
                     String customData, long startedAt, String receiptUrl, VirtualAccount vbank) {
        this.sequence = sequence;
        this.impUid = impUid;
        this.merchantUid = merchantUid;
        this.payMethod = payMethod;
        this.pgTid = pgTid;
        this.name = name;
        this.amount = amount;
        this.currency = currency;
        this.sandbox = sandbox;
        this.buyerName = buyerName;
        this.buyerTel = buyerTel;
        this.customData = customData;
        this.startedAt = startedAt;
        this.receiptUrl = receiptUrl;
        this.vbank = vbank;
        this.updatedAt = startedAt;
    }

    /**
     * A payment as {@link #snapshot()} served it, read back from the sandbox's store: the wire object holds
     * every field the rules use, and only {@code sequence} and {@code updatedAt} are kept beside it.
     */
    static SimulatedPayment fromWire(JsonNode w, long sequence, long updatedAt) {
        VirtualAccount vbank = w.path("vbank_num").isTextual()
                ? new VirtualAccount(text(w, "vbank_code"), text(w, "vbank_name"), text(w, "vbank_num"),
                        text(w, "vbank_holder"), w.path("vbank_date").longValue(), w.path("vbank_issued_at").longValue())
                : null;
        String impUid = text(w, "imp_uid");
        SimulatedPayment p = new SimulatedPayment(sequence, impUid, text(w, "merchant_uid"), text(w, "pay_method"),
                text(w, "pg_tid"), text(w, "name"), w.path("amount").decimalValue(), text(w, "currency"),
                w.path("sandbox").booleanValue(), text(w, "buyer_name"), text(w, "buyer_tel"), text(w, "custom_data"),
                w.path("started_at").longValue(), receiptUrlOf(impUid), vbank);
        p.status = text(w, "status");
        p.applyNum = text(w, "apply_num");
        p.cancelAmount = w.path("cancel_amount").decimalValue();
        p.paidAt = w.path("paid_at").longValue();
        p.failedAt = w.path("failed_at").longValue();
        p.cancelledAt = w.path("cancelled_at").longValue();
        p.updatedAt = updatedAt;
        p.failReason = text(w, "fail_reason");
        p.cancelReason = text(w, "cancel_reason");
        for (JsonNode c : w.path("cancel_history")) {
            p.cancels.add(new CancelEntry(text(c, "pg_tid"), c.path("amount").decimalValue(), c.path("cancelled_at").longValue(),
                    text(c, "reason"), text(c, "cancellation_id"), text(c, "receipt_url")));
        }
        return p;
    }

    /** A copy to change: the original stays as it was until the change is stored. */
    SimulatedPayment copy() {
        SimulatedPayment c = new SimulatedPayment(sequence, impUid, merchantUid, payMethod, pgTid, name, amount, currency,
                sandbox, buyerName, buyerTel, customData, startedAt, receiptUrl, vbank);
        c.status = status;
        c.applyNum = applyNum;
        c.cancelAmount = cancelAmount;
        c.paidAt = paidAt;
        c.failedAt = failedAt;
        c.cancelledAt = cancelledAt;
        c.updatedAt = updatedAt;
        c.failReason = failReason;
        c.cancelReason = cancelReason;
        c.cancels.addAll(cancels);
        return c;
    }

    static String receiptUrlOf(String impUid) {
        return "https://sandbox.invalid/receipts/" + impUid;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.textValue() : null;
    }

    BigDecimal balance() {
        return amount.subtract(cancelAmount);
    }

    /**
     * The time the status lists filter on ({@code from}/{@code to}): that of the payment's final status,
     * as the OpenAPI's {@code GET /payments/status} says (ready: started, paid: paid, and so on).
     */
    long statusTime() {
        return switch (status) {
            case "paid" -> paidAt;
            case "cancelled" -> cancelledAt;
            case "failed" -> failedAt;
            default -> startedAt;
        };
    }

    /** PortOne's ordering for "newest": started_at, then creation order within the same second. */
    boolean isNewerThan(SimulatedPayment other) {
        return startedAt != other.startedAt ? startedAt > other.startedAt : sequence > other.sequence;
    }

    PaymentSnapshot snapshot() {
        String lastCancellation = cancels.isEmpty() ? null : cancels.get(cancels.size() - 1).cancellationId();
        return new PaymentSnapshot(impUid, merchantUid, status, sandbox, lastCancellation, toWire());
    }

    /**
     * Every field of docs §3.1 in the real JSON types: strings or null, integer UNIX seconds with 0 for
     * "never", numbers for amounts, booleans, {@code custom_data} as a string, arrays for the histories.
     */
    private Map<String, Object> toWire() {
        boolean card = payMethod.equals("card");
        boolean trans = payMethod.equals("trans");
        boolean paidOnce = paidAt != 0;
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("imp_uid", impUid);
        p.put("merchant_uid", merchantUid);
        p.put("pay_method", payMethod);
        p.put("channel", "pc");
        p.put("pg_provider", "html5_inicis");
        p.put("emb_pg_provider", null);
        p.put("pg_tid", pgTid);
        p.put("pg_id", "INIpayTest");
        p.put("sandbox", sandbox);
        p.put("escrow", false);
        p.put("apply_num", applyNum);
        p.put("bank_code", trans ? "004" : null);
        p.put("bank_name", trans ? "KB국민은행" : null);
        p.put("card_code", card ? "361" : null);
        p.put("card_name", card ? "BC카드" : null);
        p.put("card_issuer_code", null);
        p.put("card_issuer_name", null);
        p.put("card_publisher_code", null);
        p.put("card_publisher_name", null);
        p.put("card_quota", card ? 0 : null);
        p.put("card_number", card ? "536181*********4" : null);
        p.put("card_type", card ? 0 : null);
        p.put("vbank_code", vbank == null ? null : vbank.code());
        p.put("vbank_name", vbank == null ? null : vbank.name());
        p.put("vbank_num", vbank == null ? null : vbank.num());
        p.put("vbank_holder", vbank == null ? null : vbank.holder());
        // 0 rather than null outside vbank: the doc leaves it open, and 0 keeps the type an integer (docs §3.1)
        p.put("vbank_date", vbank == null ? 0L : vbank.date());
        p.put("vbank_issued_at", vbank == null ? 0L : vbank.issuedAt());
        p.put("name", name);
        p.put("amount", amount);
        p.put("cancel_amount", cancelAmount);
        p.put("currency", currency);
        p.put("buyer_name", buyerName);
        p.put("buyer_email", null);
        p.put("buyer_tel", buyerTel);
        p.put("buyer_addr", null);
        p.put("buyer_postcode", null);
        p.put("custom_data", customData);
        p.put("user_agent", "Mozilla/5.0 (PortOne V1 sandbox)");
        p.put("status", status);
        p.put("started_at", startedAt);
        p.put("paid_at", paidAt);
        p.put("failed_at", failedAt);
        p.put("cancelled_at", cancelledAt);
        p.put("fail_reason", failReason);
        p.put("cancel_reason", cancelReason);
        // no sales slip before money moved (an unpaid virtual account has none)
        p.put("receipt_url", paidOnce ? receiptUrl : null);
        List<Map<String, Object>> history = new ArrayList<>();
        List<String> receipts = new ArrayList<>();
        for (CancelEntry c : cancels) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("pg_tid", c.pgTid());
            e.put("amount", c.amount());
            e.put("cancelled_at", c.cancelledAt());
            e.put("reason", c.reason());
            e.put("cancellation_id", c.cancellationId());
            e.put("receipt_url", c.receiptUrl());
            history.add(e);
            receipts.add(c.receiptUrl());
        }
        p.put("cancel_history", history);
        p.put("cancel_receipt_urls", receipts);
        p.put("cash_receipt_issued", false);
        p.put("customer_uid", null);
        p.put("customer_uid_usage", null);
        p.put("deposit_history", null);
        p.put("promotion", null);
        return p;
    }
}
