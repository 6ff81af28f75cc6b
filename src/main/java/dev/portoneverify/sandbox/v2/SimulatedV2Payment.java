package dev.portoneverify.sandbox.v2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated V2 payment. Mutable, and only ever touched under {@link V2Store}'s lock; {@link #json}
 * writes it in the shape of the V2 OpenAPI {@code Payment} variant for its status (the fields each
 * variant requires, and the optional ones this project reads). Amounts are in the currency's minor unit.
 */
final class SimulatedV2Payment {
    record Cancellation(String id, long amount, String reason, Instant at) {}

    /** A virtual account: the bank code (V2's {@code Bank}), its number, holder and deadline. */
    record Account(String bank, String number, String holder, Instant expiredAt, Instant issuedAt) {}

    final String id;
    final String storeId;
    String transactionId;
    String status;
    String orderName;
    long total;
    String currency;
    String payMethod;
    boolean testChannel;
    String customData;
    String phone;
    Account account;
    String failReason;
    Instant requestedAt;
    Instant updatedAt;
    Instant statusChangedAt;
    Instant paidAt;
    Instant failedAt;
    Instant cancelledAt;
    final List<Cancellation> cancellations = new ArrayList<>();

    SimulatedV2Payment(String id, String storeId) {
        this.id = id;
        this.storeId = storeId;
    }

    long cancelled() {
        return cancellations.stream().mapToLong(Cancellation::amount).sum();
    }

    long cancellable() {
        return status.equals("PAID") || status.equals("PARTIAL_CANCELLED") ? total - cancelled() : 0;
    }

    void moveTo(String newStatus, Instant now) {
        status = newStatus;
        statusChangedAt = now;
        updatedAt = now;
    }

    ObjectNode json(ObjectMapper json, String channelKey) {
        ObjectNode p = json.createObjectNode()
                .put("status", status)
                .put("id", id)
                .put("transactionId", transactionId)
                .put("merchantId", "merchant-sandbox")
                .put("storeId", storeId)
                .put("version", "V2")
                .put("requestedAt", requestedAt.toString())
                .put("updatedAt", updatedAt.toString())
                .put("statusChangedAt", statusChangedAt.toString())
                .put("orderName", orderName)
                .put("currency", currency);
        long paid = status.equals("PAID") || status.equals("PARTIAL_CANCELLED") || status.equals("CANCELLED") ? total : 0;
        p.putObject("amount").put("total", total).put("taxFree", 0).put("discount", 0).put("paid", paid)
                .put("cancelled", cancelled()).put("cancelledTaxFree", 0);
        ObjectNode customer = p.putObject("customer");
        if (phone != null) {
            customer.put("phoneNumber", phone);
        }
        p.putObject("origin").put("platformType", "PC").put("ipAddress", "127.0.0.1");
        if (customData != null) {
            p.put("customData", customData);
        }
        if (!status.equals("READY") && !status.equals("FAILED")) {
            p.putObject("channel").put("type", testChannel ? "TEST" : "LIVE").put("id", "channel-sandbox")
                    .put("key", channelKey).put("name", "sandbox").put("pgProvider", "TOSSPAYMENTS")
                    .put("pgMerchantId", "sandbox");
        }
        if (payMethod != null) {
            ObjectNode method = p.putObject("method");
            switch (payMethod) {
                case "VIRTUAL_ACCOUNT" -> {
                    method.put("type", "PaymentMethodVirtualAccount").put("bank", account.bank())
                            .put("accountNumber", account.number()).put("accountType", "NORMAL")
                            .put("remitteeName", account.holder()).put("expiredAt", account.expiredAt().toString())
                            .put("issuedAt", account.issuedAt().toString());
                }
                case "TRANSFER" -> method.put("type", "PaymentMethodTransfer").put("bank", "KOOKMIN");
                default -> method.put("type", "PaymentMethodCard");
            }
        }
        if (paidAt != null) {
            p.put("paidAt", paidAt.toString());
            p.put("receiptUrl", "https://sandbox.invalid/receipts/" + id);
        }
        if (status.equals("PAID")) {
            p.putArray("disputes");
        }
        if (!cancellations.isEmpty()) {
            ArrayNode list = p.putArray("cancellations");
            for (Cancellation c : cancellations) {
                list.add(cancellation(json, c));
            }
            p.put("cancelledAt", cancelledAt.toString());
        }
        if (status.equals("FAILED")) {
            p.put("failedAt", failedAt.toString());
            p.putObject("failure").put("reason", failReason).put("pgCode", "SANDBOX").put("pgMessage", failReason);
        }
        return p;
    }

    static ObjectNode cancellation(ObjectMapper json, Cancellation c) {
        return json.createObjectNode().put("status", "SUCCEEDED").put("id", c.id()).put("totalAmount", c.amount())
                .put("taxFreeAmount", 0).put("vatAmount", 0).put("reason", c.reason())
                .put("requestedAt", c.at().toString()).put("cancelledAt", c.at().toString()).put("trigger", "API");
    }
}
