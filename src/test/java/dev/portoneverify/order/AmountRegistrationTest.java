package dev.portoneverify.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.testsupport.FaultProxy.Fault;
import dev.portoneverify.testsupport.TestServer;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** PREPARE_AMOUNTS: every new order's amount is registered with PortOne, or the order is not created. */
class AmountRegistrationTest {

    @Test
    void a_new_order_registers_its_amount_and_currency_with_portone() {
        try (TestServer server = TestServer.start()) {
            long user = server.createUser("홍길동", "010-1234-5678");
            String order = server.createOrder(user, Map.of("user_id", user, "name", "Gift", "amount", 14.5, "currency", "USD"));

            JsonNode registered = server.portone.prepared(order);

            assertEquals(0, new BigDecimal("14.5").compareTo(registered.path("amount").decimalValue()));
            assertEquals("USD", registered.path("currency").asText());
            assertEquals(1, server.portone.count("POST", "/payments/prepare"));
        }
    }

    @Test
    void when_portone_does_not_register_the_amount_the_order_is_not_created_and_the_caller_gets_502() {
        try (TestServer server = TestServer.start()) {
            long user = server.createUser("홍길동", "010-1234-5678");
            server.portone.fault(Fault.HTTP_503);

            TestServer.Answer answer = server.postJson("/orders", Map.of("user_id", user, "name", "x", "amount", 1000));

            assertEquals(502, answer.status());
            assertEquals("prepare_failed", answer.text("status"));
            assertEquals(0, server.rows("orders"));
        }
    }

    @Test
    void with_prepare_amounts_off_portone_is_not_asked() {
        try (TestServer server = TestServer.start(Map.of("PREPARE_AMOUNTS", "false"))) {
            String order = server.createOrder(1000);

            assertNull(server.portone.prepared(order));
            assertEquals(0, server.portone.requests().size());
        }
    }
}
