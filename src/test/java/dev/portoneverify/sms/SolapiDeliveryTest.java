package dev.portoneverify.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.Config;
import dev.portoneverify.Main;
import dev.portoneverify.Server;
import dev.portoneverify.testsupport.FakeSolapi;
import dev.portoneverify.testsupport.TestDatabase;
import dev.portoneverify.web.Json;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as {@code SMS_PROVIDER=solapi} configures it (Main's own sender), the sandbox playing
 * PortOne and the Solapi stand-in playing Solapi: the virtual account notice reaches Solapi as LMS, and
 * one Solapi refuses for good is listed by the admin API instead of being retried.
 */
class SolapiDeliveryTest {
    private static final String ADMIN_TOKEN = "solapi-delivery-test-admin-token-0123";

    @TempDir
    Path dir;

    private final ObjectMapper json = Json.newMapper();
    /** Ordering for a buyer needs the token POST /users gave them. */
    private String buyerToken;

    @Test
    void the_virtual_account_notice_goes_to_solapi_and_one_it_refuses_is_listed_for_the_owner() throws Exception {
        try (FakeSolapi solapi = FakeSolapi.start(); TestDatabase database = TestDatabase.create(dir);
             UnirestInstance http = Unirest.spawnInstance()) {
            Map<String, String> env = new HashMap<>(Map.of("PORT", "0", "DATABASE_URL", database.url(),
                    "RECONCILE_INTERVAL_SECONDS", "0", "ADMIN_TOKEN", ADMIN_TOKEN, "SMS_PROVIDER", "solapi",
                    "SOLAPI_API_KEY", FakeSolapi.API_KEY, "SOLAPI_API_SECRET", FakeSolapi.API_SECRET,
                    "SOLAPI_API_URL", solapi.baseUrl().toString(), "SMS_SENDER_NUMBER", "02-1234-5678"));
            Config config = Config.fromEnv(env);
            Server server = Main.build(config, Main.smsSender(config, Clock.systemUTC()), Clock.systemUTC()).start(0);
            try {
                String base = "http://localhost:" + server.port();
                JsonNode buyer = post(http, base + "/users", Map.of("name", "홍길동", "phone", "010-1234-5678"));
                long user = buyer.get("id").asLong();
                buyerToken = buyer.path("token").asText();

                payByVirtualAccount(http, base, user, 89000);
                await(() -> solapi.requests().size() == 1);
                FakeSolapi.Recorded sent = solapi.requests().get(0);
                assertEquals("2000", sent.answer());
                assertEquals("01012345678", sent.message().path("to").asText());
                assertEquals("0212345678", sent.message().path("from").asText());
                assertEquals("LMS", sent.message().path("type").asText());
                assertTrue(sent.message().path("text").asText().startsWith("가상계좌 발급이 성공되었습니다."), sent.body());

                solapi.unregisterSender("0212345678");          // e.g. the number's registration lapsed
                payByVirtualAccount(http, base, user, 42000);
                await(() -> solapi.requests().size() == 2);
                assertEquals("1062", solapi.requests().get(1).answer());

                await(() -> failedCount(http, base) == 1);
                JsonNode failed = json.readTree(http.get(base + "/admin/sms/failed")
                        .header("Authorization", "Bearer " + ADMIN_TOKEN).asString().getBody());
                assertEquals("rejected", failed.get(0).path("reason").asText());
                assertEquals("*******5678", failed.get(0).path("phone").asText());
                assertTrue(failed.get(0).path("last_error").asText().startsWith("1062:"), failed.toString());
                assertEquals(401, http.get(base + "/admin/sms/failed").asString().getStatus());

                server.sms().wake();                             // no retry of a message refused for good
                Thread.sleep(300);
                assertEquals(2, solapi.requests().size());
            } finally {
                server.stop();
            }
        }
    }

    private int failedCount(UnirestInstance http, String base) {
        try {
            return json.readTree(http.get(base + "/admin/sms/failed").header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .asString().getBody()).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void payByVirtualAccount(UnirestInstance http, String base, long user, long amount) throws Exception {
        String order = post(http, base + "/orders", Map.of("user_id", user, "name", "기계식 키보드", "amount", amount))
                .get("merchant_uid").asText();
        String imp = post(http, base + "/sandbox/payments", Map.of("merchant_uid", order, "amount", amount, "pay_method", "vbank"))
                .get("imp_uid").asText();
        assertEquals("vbankIssued", post(http, base + "/payments/complete", Map.of("imp_uid", imp, "merchant_uid", order))
                .path("status").asText());
    }

    private JsonNode post(UnirestInstance http, String url, Map<String, Object> body) throws Exception {
        var request = http.post(url).header("Content-Type", "application/json");
        if (buyerToken != null && url.endsWith("/orders")) {
            request = request.header("Authorization", "Bearer " + buyerToken);
        }
        var answer = request.body(json.writeValueAsString(body)).asString();
        assertTrue(answer.getStatus() < 300, url + " answered " + answer.getStatus() + " " + answer.getBody());
        return json.readTree(answer.getBody());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
