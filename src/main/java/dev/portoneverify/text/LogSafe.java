package dev.portoneverify.text;

/**
 * Text from outside, made safe for a log line (issue 15): control characters, line and paragraph
 * separators and bidirectional overrides become {@code \\uXXXX}, so that a buyer-chosen merchant_uid
 * with a newline cannot forge a {@code WARN ... refunded} line, and U+202E cannot reverse what a
 * reader sees. Long text is cut.
 */
public final class LogSafe {
    private static final int MAX_CHARS = 300;

    private LogSafe() {}

    public static String of(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        StringBuilder safe = null;
        int length = Math.min(text.length(), MAX_CHARS);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (isUnsafe(c)) {
                if (safe == null) {
                    safe = new StringBuilder(length + 16).append(text, 0, i);
                }
                safe.append(String.format("\\u%04x", (int) c));
            } else if (safe != null) {
                safe.append(c);
            }
        }
        String result = safe == null ? text.substring(0, length) : safe.toString();
        return text.length() > MAX_CHARS ? result + "…" : result;
    }

    /** Characters that break or disguise a log line; also refused in text fields ({@code RequestBody}). */
    public static boolean isUnsafe(char c) {
        return Character.isISOControl(c)
                || c == '\u2028' || c == '\u2029'                 // line and paragraph separators
                || (c >= '\u202a' && c <= '\u202e')               // bidi embeddings and overrides
                || (c >= '\u2066' && c <= '\u2069')               // bidi isolates
                || c == '\u200e' || c == '\u200f' || c == '\u061c' // bidi marks
                || c == '\u0085';                                 // next line
    }
}
