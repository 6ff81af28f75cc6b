package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** When PortOne cannot say what happened, nothing changes and the caller is told to try again. */
class PortOneOutageTest {
    @RegisterExtension
    final TestServer server = TestServer.live();
    private String order;

    @BeforeEach
    void start() {
        order = server.createOrder(15000);
        server.portone.pay("imp_500000000001", order, 15000);
    }

    @Test
    void portone_answering_503_gives_the_browser_503_and_the_same_request_succeeds_later() {
        server.portone.fault(Fault.HTTP_503);

        Answer answer = server.complete("imp_500000000001", order);

        assertEquals(503, answer.status());
        assertEquals("portone_unavailable", answer.text("status"));
        assertNothingStored();

        server.portone.fault(null);
        assertEquals("success", server.complete("imp_500000000001", order).text("status"));
    }

    @Test
    void portone_answering_500_gives_the_webhook_a_5xx_so_portone_resends() {
        server.portone.fault(Fault.HTTP_500);

        Answer answer = server.webhook("imp_500000000001", order, "paid");

        assertTrue(answer.status() >= 500, "status " + answer.status());
        assertNothingStored();
    }

    @Test
    void a_hanging_portone_gives_504_within_the_configured_timeout() {
        server.portone.fault(Fault.HANG);

        long started = System.nanoTime();
        Answer answer = server.complete("imp_500000000001", order);
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(504, answer.status());
        assertEquals("portone_timeout", answer.text("status"));
        // PORTONE_TIMEOUT_MS=1000 in tests: the token call or the lookup hangs, never both
        assertTrue(millis < 2_500, "took " + millis + " ms");
        assertNothingStored();
    }

    @Test
    void a_non_json_answer_gives_502() {
        server.portone.fault(Fault.NOT_JSON);

        Answer answer = server.complete("imp_500000000001", order);

        assertEquals(502, answer.status());
        assertEquals("portone_error", answer.text("status"));
        assertNothingStored();
    }

    @Test
    void a_payment_with_a_nul_character_in_its_text_gives_502_on_either_database() {
        // PostgreSQL cannot store a NUL; SQLite could. Refused at the PortOne boundary, both behave alike.
        server.portone.rewritePayment("imp_500000000001", p -> p.put("fail_reason", "상점\u0000이름"));

        Answer answer = server.complete("imp_500000000001", order);

        assertEquals(502, answer.status(), answer.raw());
        assertEquals("portone_error", answer.text("status"));
        assertNothingStored();
    }

    @Test
    void rejected_credentials_give_502_and_never_leak_the_secret() {
        server.portone.fault(Fault.UNAUTHORIZED);

        Answer answer = server.complete("imp_500000000001", order);

        assertEquals(502, answer.status());
        assertEquals("portone_auth", answer.text("status"));
        assertTrue(!answer.raw().contains(server.portone.apiSecret()));
        assertNothingStored();
    }

    @Test
    void one_token_serves_many_verifications() {
        for (int i = 0; i < 5; i++) {
            server.complete("imp_500000000001", order);
        }

        assertEquals(1, server.portone.count("POST", "/users/getToken"));
        assertEquals(5, server.portone.count("GET", "/payments/imp_500000000001"));
    }

    @Test
    void an_expired_token_is_replaced_once_and_the_verification_succeeds() {
        server.complete("imp_500000000001", order);
        server.portone.expireAllTokens();
        server.portone.pay("imp_500000000002", order, 15000);

        Answer answer = server.complete("imp_500000000002", order);

        assertEquals("already_paid", answer.text("status"));
        assertEquals(2, server.portone.count("POST", "/users/getToken"));
    }

    private void assertNothingStored() {
        assertEquals("pending", server.orderStatus(order));
        assertEquals(0, server.rows("payments"));
    }
}
