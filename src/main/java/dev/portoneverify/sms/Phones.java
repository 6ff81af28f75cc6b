package dev.portoneverify.sms;

/** Phone numbers are personal data: logs show only the last four digits. */
public final class Phones {
    private Phones() {}

    public static String mask(String phone) {
        String digits = phone.replaceAll("[^0-9]", "");
        if (digits.length() <= 4) {
            return "****";
        }
        return "*".repeat(digits.length() - 4) + digits.substring(digits.length() - 4);
    }
}
