package dev.portoneverify.payment;

/**
 * The outcome of {@link PaymentRules#decide}: what to answer, what to change, whether to refund,
 * which virtual account to close at PortOne, and a sentence for the payment history.
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
