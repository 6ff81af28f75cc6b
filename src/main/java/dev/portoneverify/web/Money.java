package dev.portoneverify.web;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * Bounds on amounts that arrive from outside, checked before anything is stored, computed or
 * echoed (issue 15). A JSON number such as {@code 1e9999999} is one digit and an exponent for
 * Jackson, but ten million digits for {@code toPlainString()}, and {@code 1e99999999} runs the heap
 * out; so precision and magnitude are checked first, on the compact form, and the number is never
 * repeated in an error message.
 */
public final class Money {
    /** Far above any real order; keeps absurd numbers out of the database and PortOne calls. */
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("100000000000");
    /** Significant digits a written amount may carry, trailing zeros included (15000.000000 has 11). */
    private static final int MAX_PRECISION = 24;
    /** Digits left of the point: MAX_AMOUNT has 12. */
    private static final int MAX_WHOLE_DIGITS = 12;
    /** Decimals beyond any currency's minor unit (ISO 4217 goes to 4) but short of absurd. */
    private static final int MAX_SCALE = 8;

    private Money() {}

    /**
     * {@code amount} when it is positive, at most {@link #MAX_AMOUNT}, and has no more decimals than
     * {@code currency}'s minor unit (none for KRW, 2 for USD); normalized (15000.00 KRW is 15000).
     *
     * @throws ApiException 400 naming {@code field}, never quoting the number
     */
    public static BigDecimal amount(String field, BigDecimal amount, String currency) {
        BigDecimal sane = sane(field, amount);
        if (sane.signum() <= 0 || sane.compareTo(MAX_AMOUNT) > 0) {
            throw ApiException.badRequest(field + " must be greater than 0 and at most " + MAX_AMOUNT.toPlainString());
        }
        int digits = minorUnits(currency);
        BigDecimal normalized = sane.stripTrailingZeros();
        if (normalized.scale() > digits) {
            throw ApiException.badRequest(field + " has more decimals than " + currency + " allows (" + digits + ")");
        }
        return normalized.scale() < 0 ? normalized.setScale(0) : normalized;
    }

    /**
     * {@code amount} when it is small enough to print, store and compare cheaply (at most 12 whole
     * digits, 8 decimals, 24 digits in all), whatever its sign; for amounts whose currency is not known
     * yet, such as PortOne's Confirm Process call. The caller still compares it with the order.
     */
    public static BigDecimal sane(String field, BigDecimal amount) {
        // precision() and scale() read the compact form: no digits are expanded here
        int precision = amount.precision();
        int scale = amount.scale();
        long wholeDigits = (long) precision - scale;
        if (precision > MAX_PRECISION || scale > MAX_SCALE || wholeDigits > MAX_WHOLE_DIGITS) {
            throw ApiException.badRequest(field + " is not a plausible amount (at most " + MAX_WHOLE_DIGITS
                    + " digits before the point and " + MAX_SCALE + " after it)");
        }
        return amount;
    }

    /** The minor unit of an ISO 4217 code known to the JDK; -1 (none) for codes that are no money. */
    public static int minorUnits(String currency) {
        try {
            return Currency.getInstance(currency.toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
