package dev.portoneverify.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shop's switches: PORTONE_ALLOW_TEST_PAYMENTS and AUTO_CANCEL_FORGERIES. */
class PolicyTest {

    @Test
    void a_test_channel_payment_is_refused_by_default_and_never_looked_up_with_include_sandbox() {
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(15000);
            server.portone.pay(testChannel("imp_200000000001", order));

            // PortOne hides test-channel payments unless include_sandbox=true, so we never see it
            TestServer.Answer answer = server.complete("imp_200000000001", order);

            assertEquals("unknown_payment", answer.text("status"));
            assertEquals("pending", server.orderStatus(order));
            assertTrue(server.portone.requests().stream()
                    .noneMatch(r -> r.query() != null && r.query().contains("include_sandbox")));
            assertEquals(1, server.portone.count("GET", "/payments/imp_200000000001"));
        }
    }

    @Test
    void a_test_channel_payment_is_accepted_when_test_payments_are_allowed() {
        try (TestServer server = TestServer.start(Map.of("PORTONE_ALLOW_TEST_PAYMENTS", "true"))) {
            String order = server.createOrder(15000);
            server.portone.pay(testChannel("imp_200000000002", order));

            assertEquals("success", server.complete("imp_200000000002", order).text("status"));
            assertEquals("paid", server.orderStatus(order));
        }
    }

    @Test
    void the_sandbox_flag_is_checked_even_if_portone_returns_the_payment() {
        // A misconfigured proxy or a future API change could hand us a test payment anyway.
        try (TestServer server = TestServer.start()) {
            String order = server.createOrder(15000);
            server.portone.pay(testChannel("imp_200000000003", order));
            server.portone.proxy().appendQuery("include_sandbox=true");

            TestServer.Answer answer = server.complete("imp_200000000003", order);

            assertEquals(400, answer.status());
            assertEquals("test_payment", answer.text("status"));
            assertEquals("pending", server.orderStatus(order));
        }
    }

    @Test
    void with_auto_cancel_off_a_forgery_is_recorded_but_not_refunded() {
        try (TestServer server = TestServer.start(Map.of("AUTO_CANCEL_FORGERIES", "false"))) {
            String order = server.createOrder(15000);
            server.portone.payTampered("imp_200000000004", order, 10, null);

            TestServer.Answer answer = server.complete("imp_200000000004", order);

            assertEquals("forgery", answer.text("status"));
            assertTrue(server.portone.cancels().isEmpty());
            List<HistoryEntry> history = server.db().onDemand(HistoryDao.class).forOrder(order);
            assertEquals(1, history.size());
            assertTrue(history.get(0).detail().contains("AUTO_CANCEL_FORGERIES is off"), history.get(0).detail());
            assertFalse(history.get(0).orderChanged());
        }
    }

    /** A KRW 15000 card payment on PortOne's test channel ({@code sandbox: true}). */
    private static Map<String, Object> testChannel(String impUid, String order) {
        return Map.of("imp_uid", impUid, "merchant_uid", order, "amount", 15000, "test_channel", true);
    }
}
