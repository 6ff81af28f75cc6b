package dev.portoneverify.sms;

/**
 * Korean carriers take SMS in EUC-KR, where a Hangul syllable (or any character outside ASCII) is
 * two bytes; an SMS holds 90 of them, and anything longer goes as LMS (up to 2,000 bytes), which is
 * priced higher.
 */
public final class SmsLength {
    public static final int SMS_BYTES = 90;
    public static final int LMS_BYTES = 2_000;

    private SmsLength() {}

    /** The text's length as carriers count it: 1 byte per ASCII character, 2 per anything else. */
    public static int bytes(String text) {
        return text.codePoints().map(c -> c < 0x80 ? 1 : 2).sum();
    }

    public static boolean fitsSms(String text) {
        return bytes(text) <= SMS_BYTES;
    }
}
