package dev.portoneverify.order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrderApiTest {
    private TestServer server;
    private long userId;

    @BeforeEach
    void start() {
        server = TestServer.start();
        userId = server.createUser("홍길동", "010-1234-5678");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void creating_an_order_answers_201_with_an_unguessable_merchant_uid_and_status_pending() {
        Answer first = server.postJson("/orders", Map.of("user_id", userId, "name", "머그컵", "amount", 12000));
        Answer second = server.postJson("/orders", Map.of("user_id", userId, "name", "머그컵", "amount", 12000));

        assertEquals(201, first.status());
        assertEquals("pending", first.text("status"));
        assertEquals("KRW", first.text("currency"));
        assertEquals(12000, first.body().get("amount").asLong());
        assertTrue(first.text("merchant_uid").matches("order_[0-9a-f]{32}"), first.text("merchant_uid"));
        assertNotEquals(first.text("merchant_uid"), second.text("merchant_uid"));
        assertTrue(first.body().get("payment").isNull());
    }

    @Test
    void an_order_reads_back_with_its_exact_amount_and_currency() {
        Answer created = server.postJson("/orders",
                Map.of("user_id", userId, "name", "Gift card", "amount", 14.2, "currency", "usd"));

        Answer read = server.get("/orders/" + created.text("merchant_uid"));

        assertEquals(200, read.status());
        assertEquals("USD", read.text("currency"));
        assertEquals("14.2", read.body().get("amount").decimalValue().toPlainString());
    }

    @Test
    void bad_orders_answer_400_naming_the_problem_and_store_nothing() {
        List<Map<String, Object>> bodies = List.of(
                Map.of("name", "x", "amount", 1000),
                Map.of("user_id", userId, "amount", 1000),
                Map.of("user_id", userId, "name", "x"),
                Map.of("user_id", userId, "name", "x", "amount", "1000"),
                Map.of("user_id", userId, "name", "x", "amount", 0),
                Map.of("user_id", userId, "name", "x", "amount", -5),
                Map.of("user_id", userId, "name", "x", "amount", 10.5),
                Map.of("user_id", userId, "name", "x", "amount", 1000, "currency", "XYZ"),
                Map.of("user_id", userId, "name", "x", "amount", 1000, "currency", "XXX"),
                Map.of("user_id", userId, "name", "x", "amount", 1e20),
                Map.of("user_id", "1", "name", "x", "amount", 1000),
                Map.of("user_id", userId, "name", "x".repeat(41), "amount", 1000),
                Map.of("user_id", userId, "name", "x", "amount", 1.005, "currency", "USD"));
        for (Map<String, Object> body : bodies) {
            Answer answer = server.postJson("/orders", body);
            assertEquals(400, answer.status(), body + " -> " + answer.raw());
            assertEquals("invalid_request", answer.text("status"));
        }
        assertEquals(0, countOrders());
    }

    @Test
    void an_order_for_a_user_that_does_not_exist_answers_422() {
        long someone = server.createUser("홍길동", "010-1234-5678");
        Answer answer = server.postJson("/orders", Map.of("user_id", 9999, "name", "x", "amount", 1000),
                Map.of("Authorization", "Bearer " + server.buyerToken(someone)));

        assertEquals(422, answer.status());
        assertEquals("unknown_user", answer.text("status"));
        assertEquals(0, countOrders());
    }

    @Test
    void an_unknown_order_answers_404() {
        Answer answer = server.get("/orders/order_nope");

        assertEquals(404, answer.status());
        assertEquals("unknown_order", answer.text("status"));
    }

    @Test
    void an_unknown_endpoint_answers_a_json_404() {
        Answer answer = server.get("/nothing-here");

        assertEquals(404, answer.status());
        assertEquals("not_found", answer.text("status"));
    }

    @Test
    void an_oversized_body_is_refused_with_413() {
        Answer answer = server.postJson("/orders", Map.of("user_id", userId, "name", "x".repeat(100_000), "amount", 1));

        assertEquals(413, answer.status());
        assertEquals("body_too_large", answer.text("status"));
        assertEquals(0, countOrders());
    }

    private int countOrders() {
        return server.rows("orders");
    }
}
