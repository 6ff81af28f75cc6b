package dev.portoneverify.sandbox;

import io.javalin.http.Context;

/** Integer query parameters of the V1 lookups, bounded before use; a bad one is a 400 naming it. */
final class V1Query {
    private V1Query() {}

    static int whole(Context ctx, String name, int fallback, int min, int max) {
        Long v = seconds(ctx, name);
        if (v == null) {
            return fallback;
        }
        if (v < min || v > max) {
            throw V1Error.badRequest(name + " 파라미터는 " + min + " 이상 " + max + " 이하의 정수여야 합니다.");
        }
        return v.intValue();
    }

    /** A whole number such as a UNIX timestamp; null when absent or empty. */
    static Long seconds(Context ctx, String name) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return null;
        }
        // 18 digits at most: any timestamp fits, and Long.parseLong can then never overflow
        if (!text.strip().matches("-?\\d{1,18}")) {
            throw V1Error.badRequest(name + " 파라미터는 정수여야 합니다.");
        }
        return Long.parseLong(text.strip());
    }
}
