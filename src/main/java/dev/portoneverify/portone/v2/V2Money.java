package dev.portoneverify.portone.v2;

import java.math.BigDecimal;
import java.util.Currency;

/**
 * V2 amounts are int64 integers in the currency's minor unit as ISO 4217 defines it (PortOne's browser SDK,
 * {@code PaymentTotalAmount}: KRW x1, USD x100, JPY x1), where V1 and this server use decimals
 * (14.20 USD). Converting at the client's edge keeps the rules' amounts in one unit.
 */
public final class V2Money {
    private V2Money() {}

    /** {@code 1420} USD -> {@code 14.20}; {@code 15000} KRW -> {@code 15000}. */
    public static BigDecimal fromMinor(long minor, String currency) {
        return BigDecimal.valueOf(minor, digits(currency));
    }

    /**
     * {@code 14.2} USD -> {@code 1420}.
     *
     * @throws IllegalArgumentException when the amount has more decimals than the currency or does not fit
     */
    public static long toMinor(BigDecimal amount, String currency) {
        try {
            return amount.movePointRight(digits(currency)).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(amount.toPlainString() + " " + currency + " is not a whole number of "
                    + currency + "'s minor unit");
        }
    }

    private static int digits(String currency) {
        int digits;
        try {
            digits = Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown currency " + currency);
        }
        if (digits < 0) {
            throw new IllegalArgumentException(currency + " has no minor unit");
        }
        return digits;
    }
}
