package dev.portoneverify.payment;

/**
 * The outcome of {@link PaymentRules#decide}: what to answer, what to change, whether to refund,
 * and a sentence for the payment history.
 */
public record Decision(Verdict verdict, Transition transition, boolean refund, String detail) {

    static Decision of(Verdict verdict, String detail) {
        return new Decision(verdict, Transition.NONE, false, detail);
    }

    static Decision change(Verdict verdict, Transition transition, String detail) {
        return new Decision(verdict, transition, false, detail);
    }
}
