package dev.portoneverify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.SandboxHarness.Answer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The V1 list lookups against PortOne's V1 OpenAPI (developers.portone.io src/schema/v1.openapi.json):
 * status lists, findAll, find's sorting, the multiple lookup and the balance, with their parameters,
 * paging ({@code PagedPaymentAnnotation}: total, previous, next, list) and errors.
 */
class SandboxV1ListsTest {
    private final SandboxHarness h = new SandboxHarness();

    @AfterEach
    void stop() {
        h.close();
    }

    private long now() {
        return h.clock.instant().getEpochSecond();
    }

    /** A GET with a token; {@code []} in the path is sent percent-encoded, as browsers and clients send it. */
    private Answer get(String path) {
        return h.v1Json("GET", path.replace("[]", "%5B%5D"), h.token(), null);
    }

    /** The {@code response} of a successful answer. */
    private static JsonNode ok(Answer a) {
        assertEquals(200, a.status(), a.toString());
        assertTrue(a.body().path("code").isInt());
        assertEquals(0, a.body().get("code").intValue(), a.toString());
        return a.body().get("response");
    }

    private static void assertRefused(Answer a, int httpStatus) {
        assertEquals(httpStatus, a.status(), a.toString());
        assertEquals(-1, a.body().path("code").intValue(), a.toString());
        assertTrue(a.body().get("response").isNull(), a.toString());
        assertTrue(a.body().get("message").isTextual(), a.toString());
    }

    /** A PagedPaymentAnnotation: the three required integers, and a list of fully typed payments. */
    private static List<String> impUidsOfPage(JsonNode page, int total, int previous, int next) {
        assertTrue(page.path("total").isInt() && page.path("previous").isInt() && page.path("next").isInt(), page.toString());
        assertEquals(total, page.get("total").intValue(), page.toString());
        assertEquals(previous, page.get("previous").intValue(), page.toString());
        assertEquals(next, page.get("next").intValue(), page.toString());
        assertTrue(page.path("list").isArray());
        List<String> impUids = new ArrayList<>();
        for (JsonNode p : page.get("list")) {
            SandboxV1ContractTest.assertEveryFieldTyped(p);
            impUids.add(p.get("imp_uid").asText());
        }
        return impUids;
    }

    // ---- GET /payments/status/{payment_status}

    @Test
    void a_status_list_pages_through_its_payments_newest_first_with_total_previous_and_next() {
        List<String> paid = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            paid.add(h.payByCard("order_l" + i, 1000 + i));
            h.clock.advance(Duration.ofSeconds(10));
        }
        String ready = h.issueVbank("order_lv", 5000);
        h.created(h.control("POST", "/payments", Map.of("merchant_uid", "order_lf", "amount", 1000, "fail", true)));

        assertEquals(List.of(paid.get(4), paid.get(3)), impUidsOfPage(ok(get("/payments/status/paid?limit=2")), 5, 0, 2));
        assertEquals(List.of(paid.get(2), paid.get(1)),
                impUidsOfPage(ok(get("/payments/status/paid?limit=2&page=2")), 5, 1, 3));
        assertEquals(List.of(paid.get(0)), impUidsOfPage(ok(get("/payments/status/paid?limit=2&page=3")), 5, 2, 0));
        assertRefused(get("/payments/status/paid?limit=2&page=4"), 400);

        assertEquals(List.of(ready), impUidsOfPage(ok(get("/payments/status/ready")), 1, 0, 0));
        assertEquals(7, impUidsOfPage(ok(get("/payments/status/all")), 7, 0, 0).size());
        assertEquals(List.of(), impUidsOfPage(ok(get("/payments/status/cancelled")), 0, 0, 0),
                "page 1 of nothing is an empty list, not an error");
    }

    @Test
    void from_and_to_filter_on_the_time_of_each_payments_final_status() {
        long t0 = now();
        String vbank = h.issueVbank("order_w1", 5000);
        h.clock.advance(Duration.ofSeconds(50));
        String card = h.payByCard("order_w2", 3000);
        h.clock.advance(Duration.ofSeconds(50));
        assertEquals(200, h.control("POST", "/payments/" + vbank + "/deposit", null).status());
        h.clock.advance(Duration.ofSeconds(100));
        ok(h.cancel(Map.of("imp_uid", card)));

        // the vbank started at t0 but was paid at t0+100: a paid list filters on paid_at
        assertEquals(List.of(vbank), impUidsOfPage(ok(get("/payments/status/paid?from=" + (t0 + 90) + "&to=" + (t0 + 110))), 1, 0, 0));
        assertEquals(List.of(), impUidsOfPage(ok(get("/payments/status/paid?from=" + t0 + "&to=" + (t0 + 10))), 0, 0, 0));
        // the card was paid at t0+50 and cancelled at t0+200: it is cancelled now, so only that time counts
        assertEquals(List.of(card), impUidsOfPage(ok(get("/payments/status/all?from=" + (t0 + 150))), 1, 0, 0));
        assertEquals(List.of(vbank), impUidsOfPage(ok(get("/payments/status/all?from=" + t0 + "&to=" + (t0 + 150))), 1, 0, 0));
        assertEquals(List.of(card), impUidsOfPage(ok(get("/payments/status/cancelled?to=" + (t0 + 200))), 1, 0, 0));
    }

    @Test
    void without_from_and_to_a_status_list_covers_the_last_90_days() {
        String old = h.payByCard("order_o1", 1000);
        h.clock.advance(Duration.ofDays(91));
        String recent = h.payByCard("order_o2", 1000);

        assertEquals(List.of(recent), impUidsOfPage(ok(get("/payments/status/paid")), 1, 0, 0));
        long before = now() - Duration.ofDays(91).toSeconds();
        assertEquals(List.of(old), impUidsOfPage(ok(get("/payments/status/paid?from=" + (before - 10) + "&to=" + (before + 10))), 1, 0, 0));
    }

    @Test
    void a_bad_status_window_page_limit_or_sorting_is_a_400_with_code_minus_1() {
        h.payByCard("order_b1", 1000);
        long now = now();

        Answer badStatus = get("/payments/status/refunded");
        assertRefused(badStatus, 400);
        assertEquals("지원되지 않는 상태값입니다.", badStatus.text("message"));
        assertRefused(get("/payments/status/all?from=" + (now - Duration.ofDays(91).toSeconds()) + "&to=" + now), 400);
        assertRefused(get("/payments/status/all?from=" + (now + 10) + "&to=" + now), 400);
        assertRefused(get("/payments/status/all?from=yesterday"), 400);
        assertRefused(get("/payments/status/all?to=99999999999999999999999"), 400);
        assertRefused(get("/payments/status/all?limit=0"), 400);
        assertRefused(get("/payments/status/all?limit=1001"), 400);
        assertRefused(get("/payments/status/all?page=0"), 400);
        assertRefused(get("/payments/status/all?page=two"), 400);
        assertRefused(get("/payments/status/all?sorting=newest"), 400);
        assertEquals(1, ok(get("/payments/status/all?limit=1000")).get("total").intValue());
        assertEquals(401, h.v1Json("GET", "/payments/status/all", null, null).status());
    }

    @Test
    void sorting_orders_by_started_paid_or_updated_either_way() {
        String a = h.issueVbank("order_s1", 1000);            // started t, paid t+300, updated t+300
        h.clock.advance(Duration.ofSeconds(100));
        String b = h.payByCard("order_s2", 1000);             // started = paid = updated = t+100
        h.clock.advance(Duration.ofSeconds(100));
        String c = h.payByCard("order_s3", 1000);             // started = paid t+200, cancelled (updated) t+400
        h.clock.advance(Duration.ofSeconds(100));
        assertEquals(200, h.control("POST", "/payments/" + a + "/deposit", null).status());
        h.clock.advance(Duration.ofSeconds(100));
        ok(h.cancel(Map.of("imp_uid", c, "amount", 500)));

        Map<String, List<String>> expected = Map.of(
                "-started", List.of(c, b, a), "started", List.of(a, b, c),
                "-paid", List.of(a, c, b), "paid", List.of(b, c, a),
                "-updated", List.of(c, a, b), "updated", List.of(b, a, c));
        expected.forEach((sorting, order) -> assertEquals(order,
                impUidsOfPage(ok(get("/payments/status/all?sorting=" + sorting)), 3, 0, 0), sorting));
        assertEquals(List.of(c, b, a), impUidsOfPage(ok(get("/payments/status/all")), 3, 0, 0), "-started by default");
    }

    // ---- find and findAll

    @Test
    void find_answers_the_first_payment_of_the_order_in_sorting_order() {
        String vbank = h.issueVbank("order_f1", 1000);
        h.clock.advance(Duration.ofSeconds(10));
        String card = h.payByCard("order_f1", 1000);
        h.clock.advance(Duration.ofSeconds(10));
        assertEquals(200, h.control("POST", "/payments/" + vbank + "/deposit", null).status());

        assertEquals(card, ok(get("/payments/find/order_f1")).get("imp_uid").asText(), "the newest started by default");
        assertEquals(vbank, ok(get("/payments/find/order_f1?sorting=started")).get("imp_uid").asText());
        assertEquals(vbank, ok(get("/payments/find/order_f1?sorting=-paid")).get("imp_uid").asText());
        assertEquals(card, ok(get("/payments/find/order_f1/paid?sorting=paid")).get("imp_uid").asText());
        assertRefused(get("/payments/find/order_f1?sorting=oldest"), 400);
    }

    @Test
    void findAll_answers_every_payment_of_an_order_paged_and_404_when_it_has_none() {
        String failed = h.created(h.control("POST", "/payments", Map.of("merchant_uid", "order_a1", "amount", 1000,
                "fail", true)));
        h.clock.advance(Duration.ofSeconds(1));
        String first = h.payByCard("order_a1", 1000);
        h.clock.advance(Duration.ofSeconds(1));
        String second = h.payByCard("order_a1", 1000);
        h.payByCard("order_a2", 1000);

        assertEquals(List.of(second, first, failed), impUidsOfPage(ok(get("/payments/findAll/order_a1")), 3, 0, 0));
        assertEquals(List.of(failed, first), impUidsOfPage(ok(get("/payments/findAll/order_a1?sorting=started&limit=2")), 3, 0, 2));
        assertEquals(List.of(second), impUidsOfPage(ok(get("/payments/findAll/order_a1?sorting=started&limit=2&page=2")), 3, 1, 0));
        assertEquals(List.of(second, first), impUidsOfPage(ok(get("/payments/findAll/order_a1/paid")), 2, 0, 0));
        assertEquals(List.of(failed), impUidsOfPage(ok(get("/payments/findAll/order_a1/failed")), 1, 0, 0));

        Answer none = get("/payments/findAll/order_a1/cancelled");
        assertRefused(none, 404);
        assertEquals("존재하지 않는 결제정보입니다.", none.text("message"));
        assertRefused(get("/payments/findAll/order_nothing"), 404);
        assertRefused(get("/payments/findAll/order_a1/refunded"), 400);
        assertRefused(get("/payments/findAll/order_a1?limit=5000"), 400);
    }

    // ---- GET /payments?imp_uid[]=..&merchant_uid[]=..

    @Test
    void the_multiple_lookup_is_200_when_all_are_found_207_when_some_are_not_and_404_when_none_is() {
        String a = h.payByCard("order_m1", 1000);
        String b = h.payByCard("order_m2", 2000);
        h.clock.advance(Duration.ofSeconds(1));
        String newestOfM2 = h.payByCard("order_m2", 2000);

        Answer all = get("/payments?imp_uid[]=" + a + "&imp_uid[]=" + b);
        assertEquals(List.of(a, b), impUids(ok(all)));
        Answer mixed = get("/payments?imp_uid[]=" + a + "&merchant_uid[]=order_m2");
        assertEquals(List.of(a, newestOfM2), impUids(ok(mixed)), "a merchant_uid stands for its newest payment");

        Answer some = get("/payments?imp_uid%5B%5D=" + a + "&imp_uid%5B%5D=imp_000000000000&merchant_uid%5B%5D=order_none");
        assertEquals(207, some.status(), some.toString());
        assertEquals(0, some.body().get("code").intValue());
        assertEquals(List.of(a), impUids(some.body().get("response")));

        assertRefused(get("/payments?imp_uid[]=imp_000000000000"), 404);
        assertRefused(get("/payments"), 400);
        String tooMany = IntStream.range(0, 101).mapToObj(i -> "imp_uid[]=imp_" + i).collect(Collectors.joining("&"));
        assertRefused(get("/payments?" + tooMany), 400);
        assertEquals(401, h.v1Json("GET", "/payments?imp_uid%5B%5D=" + a, null, null).status());
    }

    private static List<String> impUids(JsonNode list) {
        assertTrue(list.isArray(), String.valueOf(list));
        List<String> impUids = new ArrayList<>();
        for (JsonNode p : list) {
            SandboxV1ContractTest.assertEveryFieldTyped(p);
            impUids.add(p.get("imp_uid").asText());
        }
        return impUids;
    }

    // ---- GET /payments/{imp_uid}/balance

    @Test
    void the_balance_splits_what_is_still_held_and_keeps_a_history_entry_per_change() {
        String impUid = h.payByCard("order_x1", 11000);
        long paidAt = now();
        h.clock.advance(Duration.ofMinutes(1));
        ok(h.cancel(Map.of("imp_uid", impUid, "amount", 2200)));

        JsonNode balance = ok(get("/payments/" + impUid + "/balance"));
        assertEquals(11000, balance.get("amount").intValue());
        assertBreakdown(balance.get("primary"), 8000, 800);
        for (String part : List.of("cash_receipt", "secondary", "discount")) {
            assertBreakdown(balance.get(part), 0, 0);
        }
        JsonNode histories = balance.get("histories");
        assertEquals(2, histories.size());
        assertBreakdown(histories.get(0).get("primary"), 10000, 1000);
        assertEquals(paidAt, histories.get(0).get("created").longValue());
        assertBreakdown(histories.get(1).get("primary"), 8000, 800);
        assertEquals(now(), histories.get(1).get("created").longValue());

        JsonNode unpaid = ok(get("/payments/" + h.issueVbank("order_x2", 5000) + "/balance"));
        assertBreakdown(unpaid.get("primary"), 0, 0);
        assertEquals(0, unpaid.get("histories").size());
        assertRefused(get("/payments/imp_000000000000/balance"), 404);
    }

    private static void assertBreakdown(JsonNode b, int supply, int vat) {
        for (String f : List.of("tax_free", "supply", "vat", "service")) {
            assertTrue(b.path(f).isNumber(), f + " is a required number: " + b);
        }
        assertEquals(supply, b.get("supply").intValue(), b.toString());
        assertEquals(vat, b.get("vat").intValue(), b.toString());
        assertEquals(0, b.get("tax_free").intValue());
        assertEquals(0, b.get("service").intValue());
    }
}
