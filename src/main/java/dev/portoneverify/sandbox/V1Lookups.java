package dev.portoneverify.sandbox;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The V1 lookups beyond the single imp_uid one, with the OpenAPI's parameters: find, findAll, the
 * multiple lookup, the status lists and the balance (docs §4). They show test-channel payments too: the
 * OpenAPI gives {@code include_sandbox} to the imp_uid lookup only (simulator choice).
 */
final class V1Lookups {
    static final Set<String> STATUSES = Set.of("ready", "paid", "cancelled", "failed");
    static final String BAD_STATUS = "지원되지 않는 상태값입니다.";
    /** The status lists' longest and default window (OpenAPI: "검색기간은 최대 90일"). */
    static final long WINDOW_SECONDS = Duration.ofDays(90).toSeconds();
    /** OpenAPI: "최대 100개" ids per multiple lookup. */
    static final int MAX_IDS = 100;

    private final SandboxPayments payments;
    private final V1Envelope envelope;
    private final Clock clock;

    V1Lookups(SandboxPayments payments, V1Envelope envelope, Clock clock) {
        this.payments = payments;
        this.envelope = envelope;
        this.clock = clock;
    }

    /**
     * {@code GET /payments/find/{merchant_uid}[/{payment_status}]}: the first payment of the order in
     * {@code sorting} order (default {@code -started}, the newest), optionally among one status.
     */
    void find(Context ctx) {
        V1Sorting sorting = V1Sorting.fromQuery(ctx.queryParam("sorting"));
        List<PaymentSnapshot> found = payments.list(ofOrder(ctx), sorting.order());
        if (found.isEmpty()) {
            throw V1Error.notFound(SandboxPayments.PAYMENT_NOT_FOUND);
        }
        envelope.ok(ctx, found.get(0).json());
    }

    /** {@code GET /payments/findAll/{merchant_uid}[/{payment_status}]}: every payment of the order, paged; 404 when none. */
    void findAll(Context ctx) {
        V1Sorting sorting = V1Sorting.fromQuery(ctx.queryParam("sorting"));
        V1Paging paging = V1Paging.of(ctx);
        List<PaymentSnapshot> found = payments.list(ofOrder(ctx), sorting.order());
        if (found.isEmpty()) {
            throw V1Error.notFound(SandboxPayments.PAYMENT_NOT_FOUND);
        }
        envelope.ok(ctx, paging.of(found));
    }

    /**
     * {@code GET /payments/status/{payment_status}}: {@code all} or one status, paged, within
     * {@code [from, to]} (default: the 90 days up to now; at most 90 days) on the time of each payment's
     * final status.
     */
    void byStatus(Context ctx) {
        String status = ctx.pathParam("payment_status");
        if (!status.equals("all") && !STATUSES.contains(status)) {
            throw V1Error.badRequest(BAD_STATUS);
        }
        V1Sorting sorting = V1Sorting.fromQuery(ctx.queryParam("sorting"));
        V1Paging paging = V1Paging.of(ctx);
        Long givenTo = V1Query.seconds(ctx, "to");
        long to = givenTo == null ? clock.instant().getEpochSecond() : givenTo;
        Long givenFrom = V1Query.seconds(ctx, "from");
        long from = givenFrom == null ? to - WINDOW_SECONDS : givenFrom;
        if (from > to) {
            throw V1Error.badRequest("from 은 to 보다 클 수 없습니다.");
        }
        if (to - from > WINDOW_SECONDS) {
            throw V1Error.badRequest("검색기간은 최대 90일까지입니다.");
        }
        Predicate<SimulatedPayment> filter = p -> (status.equals("all") || p.status.equals(status))
                && p.statusTime() >= from && p.statusTime() <= to;
        envelope.ok(ctx, paging.of(payments.list(filter, sorting.order())));
    }

    /**
     * {@code GET /payments?imp_uid[]=..&merchant_uid[]=..}: up to 100 ids of either kind; a merchant_uid
     * stands for its newest payment, as find answers it (simulator choice). 200 when every id was found,
     * 207 with the found ones when some were not, 404 when none was.
     */
    void several(Context ctx) {
        List<String> impUids = ids(ctx, "imp_uid");
        List<String> merchantUids = ids(ctx, "merchant_uid");
        if (impUids.isEmpty() && merchantUids.isEmpty()) {
            throw V1Error.badRequest("imp_uid[] 또는 merchant_uid[] 파라미터가 필요합니다.");
        }
        if (impUids.size() + merchantUids.size() > MAX_IDS) {
            throw V1Error.badRequest("한 번에 최대 " + MAX_IDS + "개까지 조회할 수 있습니다.");
        }
        Map<String, Map<String, Object>> found = new LinkedHashMap<>();
        int missing = 0;
        for (String impUid : impUids) {
            var p = payments.get(impUid);
            if (p.isPresent()) {
                found.putIfAbsent(impUid, p.get().json());
            } else {
                missing++;
            }
        }
        for (String merchantUid : merchantUids) {
            List<PaymentSnapshot> ofOrder = payments.list(p -> p.merchantUid.equals(merchantUid),
                    V1Sorting.STARTED_DESC.order());
            if (ofOrder.isEmpty()) {
                missing++;
            } else {
                found.putIfAbsent(ofOrder.get(0).impUid(), ofOrder.get(0).json());
            }
        }
        if (found.isEmpty()) {
            throw V1Error.notFound("해당되는 결제건을 찾지 못하였습니다.");
        }
        envelope.write(ctx, missing == 0 ? 200 : 207, 0, null, new ArrayList<>(found.values()));
    }

    /** {@code GET /payments/{imp_uid}/balance}; see {@link PaymentBalance} for how amounts are split. */
    void balance(Context ctx) {
        envelope.ok(ctx, payments.balance(ctx.pathParam("imp_uid"))
                .orElseThrow(() -> V1Error.notFound(SandboxPayments.PAYMENT_NOT_FOUND)));
    }

    /** The order's payments, in the path's status if one is given. */
    private static Predicate<SimulatedPayment> ofOrder(Context ctx) {
        String merchantUid = ctx.pathParam("merchant_uid");
        String status = ctx.pathParamMap().get("payment_status");
        if (status != null && !STATUSES.contains(status)) {
            throw V1Error.badRequest(BAD_STATUS);
        }
        return p -> p.merchantUid.equals(merchantUid) && (status == null || p.status.equals(status));
    }

    /** {@code name[]} as the OpenAPI spells it, and plain {@code name} as some HTTP libraries send arrays. */
    private static List<String> ids(Context ctx, String name) {
        List<String> ids = new ArrayList<>(ctx.queryParams(name + "[]"));
        ids.addAll(ctx.queryParams(name));
        if (ids.size() > MAX_IDS) {
            throw V1Error.badRequest("한 번에 최대 " + MAX_IDS + "개까지 조회할 수 있습니다.");
        }
        return ids.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
