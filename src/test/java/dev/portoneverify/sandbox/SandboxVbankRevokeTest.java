package dev.portoneverify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.sandbox.SandboxHarness.Answer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code DELETE /vbanks/{imp_uid}} per the V1 OpenAPI: an unpaid virtual account is closed, so the buyer
 * can no longer pay into it; 400 for anything that is not a virtual account awaiting deposit, 404 for an
 * unknown imp_uid.
 */
class SandboxVbankRevokeTest {
    @RegisterExtension
    final SandboxHarness h = new SandboxHarness();

    private Answer revoke(String impUid) {
        return h.v1Json("DELETE", "/vbanks/" + impUid, h.token(), null);
    }

    private static void assertRefused(Answer a, int httpStatus) {
        assertEquals(httpStatus, a.status(), a.toString());
        assertEquals(-1, a.body().path("code").intValue(), a.toString());
        assertTrue(a.body().get("response").isNull() && a.body().get("message").isTextual(), a.toString());
    }

    @Test
    void a_revoked_virtual_account_is_failed_with_nothing_paid_and_takes_no_deposit() {
        String impUid = h.issueVbank("order_r1", 20000);
        assertEquals("ready", h.nextWebhook().fields().get("status"));
        h.clock.advance(Duration.ofMinutes(5));

        Answer revoked = revoke(impUid);

        assertEquals(200, revoked.status(), revoked.toString());
        assertEquals(0, revoked.body().get("code").intValue());
        JsonNode p = revoked.body().get("response");
        SandboxV1ContractTest.assertEveryFieldTyped(p);
        assertEquals("failed", p.get("status").asText());
        assertEquals("가상계좌 말소", p.get("fail_reason").asText());
        assertEquals(h.clock.instant().getEpochSecond(), p.get("failed_at").longValue());
        assertEquals(0, p.get("paid_at").longValue());
        assertEquals(0, p.get("cancel_amount").intValue(), "no money moved, so nothing was refunded");
        assertEquals(p, h.getPayment(impUid).body().get("response"), "the V1 lookup shows the revoke");

        Answer deposit = h.control("POST", "/payments/" + impUid + "/deposit", null);
        assertEquals(409, deposit.status(), deposit.toString());
        assertEquals("not_awaiting_deposit", deposit.text("status"));
        assertEquals("failed", h.getPayment(impUid).body().at("/response/status").asText());
        assertEquals(List.of(), h.remainingWebhooks(), "an API revoke sends no webhook, like an API cancel");
    }

    @Test
    void only_a_virtual_account_awaiting_deposit_can_be_revoked() {
        String deposited = h.issueVbank("order_r2", 20000);
        assertEquals(200, h.control("POST", "/payments/" + deposited + "/deposit", null).status());
        String card = h.payByCard("order_r3", 5000);

        assertRefused(revoke(deposited), 400);
        assertRefused(revoke(card), 400);
        Answer unknown = revoke("imp_000000000000");
        assertRefused(unknown, 404);
        assertEquals("존재하지 않는 결제정보입니다.", unknown.text("message"));
        assertEquals("paid", h.getPayment(deposited).body().at("/response/status").asText(), "a refusal changes nothing");
        assertEquals("paid", h.getPayment(card).body().at("/response/status").asText());

        String twice = h.issueVbank("order_r4", 1000);
        assertEquals(200, revoke(twice).status());
        assertRefused(revoke(twice), 400);
    }

    @Test
    void a_revoke_needs_a_token() {
        String impUid = h.issueVbank("order_r5", 1000);

        assertEquals(401, h.v1Json("DELETE", "/vbanks/" + impUid, null, null).status());
        assertEquals("ready", h.getPayment(impUid).body().at("/response/status").asText());
    }
}
