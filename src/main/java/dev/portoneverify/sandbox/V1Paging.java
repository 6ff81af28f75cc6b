package dev.portoneverify.sandbox;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code page}/{@code limit} paging of the V1 list lookups and their {@code PagedPaymentAnnotation}
 * answer: {@code previous}/{@code next} are page numbers, 0 when there is none (OpenAPI).
 */
record V1Paging(int page, int limit) {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 1000;
    /** Far beyond any list the sandbox holds; only there to keep page*limit inside a long. */
    private static final int MAX_PAGE = 1_000_000;

    /** @throws V1Error 400 for a page below 1 or a limit outside 1..1000 */
    static V1Paging of(Context ctx) {
        return new V1Paging(V1Query.whole(ctx, "page", 1, 1, MAX_PAGE),
                V1Query.whole(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    /**
     * One page of {@code all}. A page past the last one is a 400 ("데이터 범위를 넘어선 page"), but page 1
     * of nothing is an empty list.
     */
    Map<String, Object> of(List<PaymentSnapshot> all) {
        long skip = (long) (page - 1) * limit;
        if (page > 1 && skip >= all.size()) {
            throw V1Error.badRequest("데이터 범위를 넘어선 page 입니다. (total: " + all.size() + ", limit: " + limit + ")");
        }
        List<Map<String, Object>> list = all.stream().skip(skip).limit(limit).map(PaymentSnapshot::json).toList();
        int next = skip + limit < all.size() ? page + 1 : 0;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total", all.size());
        answer.put("previous", page - 1);
        answer.put("next", next);
        answer.put("list", list);
        return answer;
    }
}
