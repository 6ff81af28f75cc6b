package dev.portoneverify.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.testsupport.TestServer.Answer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UserApiTest {
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void a_created_user_reads_back_without_a_virtual_account() {
        Answer created = server.postJson("/users", Map.of("name", "홍길동", "phone", "010-1234-5678"));

        assertEquals(201, created.status());
        assertEquals("*******5678", created.text("phone"));
        Answer read = server.get("/users/" + created.body().get("id").asLong(),
                Map.of("Authorization", "Bearer " + created.text("token")));
        assertEquals(200, read.status());
        assertEquals("홍길동", read.text("name"));
        // masked: only the admin API shows a buyer's whole number (issue 15)
        assertEquals("*******5678", read.text("phone"));
        assertTrue(read.body().path("token").isMissingNode(), "the token is shown only once");
        assertTrue(read.body().get("vbank_num").isNull());
        assertTrue(read.body().get("vbank_date").isNull());
    }

    @Test
    void bad_users_answer_400() {
        for (Map<String, Object> body : List.of(
                Map.<String, Object>of("name", "홍길동"),
                Map.<String, Object>of("phone", "010-1234-5678"),
                Map.<String, Object>of("name", "홍길동", "phone", "call me"),
                Map.<String, Object>of("name", 5, "phone", "010-1234-5678"),
                Map.<String, Object>of("name", " ", "phone", "010-1234-5678"))) {
            Answer answer = server.postJson("/users", body);
            assertEquals(400, answer.status(), body + " -> " + answer.raw());
            assertEquals("invalid_request", answer.text("status"));
        }
    }

    @Test
    void unknown_and_malformed_user_ids_answer_404_and_400() {
        long someone = server.createUser("홍길동", "010-1234-5678");
        Map<String, String> auth = Map.of("Authorization", "Bearer " + server.buyerToken(someone));
        assertEquals(404, server.get("/users/12345", auth).status());
        assertEquals("unknown_user", server.get("/users/12345", auth).text("status"));
        assertEquals(400, server.get("/users/abc").status());
        assertEquals(400, server.get("/users/-1").status());
        assertEquals(400, server.get("/users/%EF%BC%91").status());   // a fullwidth "1"
    }
}
