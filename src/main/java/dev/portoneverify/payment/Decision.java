package dev.portoneverify.payment;

/**
 * Step 2 of a payment, what the rules decided: {@link PaymentRules#decide}'s judgement of PortOne's
 * {@link dev.portoneverify.portone.Payment} (step 1) for its order. The {@link Verdict} names the
 * conclusion, the {@link Transition} the change to the order; the rest says whether to refund, which
 * virtual account to close at PortOne, and gives a sentence for the payment history. Nothing is
 * applied yet: {@link PaymentSync} applies it and tells its caller a {@link SyncResult}.
 *
 * @param refund             money is held that the order cannot take, and the shop lets us refund it
 * @param refundWaitsForShop the refund is due but cannot be made automatically: a deposited virtual
 *                           account is refunded only to a bank account the buyer names
 * @param closeVbank         the imp_uid of a virtual account to revoke at PortOne after the commit, so
 *                           that nobody deposits into it; null for none
 */
public record Decision(Verdict verdict, Transition transition, boolean refund, boolean refundWaitsForShop,
                       String closeVbank, String detail) {

    static Decision of(Verdict verdict, String detail) {
        return new Decision(verdict, Transition.NONE, false, false, null, detail);
    }

    static Decision change(Verdict verdict, Transition transition, String detail) {
        return new Decision(verdict, transition, false, false, null, detail);
    }

    static Decision refund(Verdict verdict, boolean waitsForShop, String detail) {
        return new Decision(verdict, Transition.NONE, true, waitsForShop, null, detail);
    }

    Decision closing(String impUid, String why) {
        return impUid == null ? this
                : new Decision(verdict, transition, refund, refundWaitsForShop, impUid, detail + "; " + why);
    }

    Decision moving(Transition to) {
        return new Decision(verdict, to, refund, refundWaitsForShop, closeVbank, detail);
    }
}
