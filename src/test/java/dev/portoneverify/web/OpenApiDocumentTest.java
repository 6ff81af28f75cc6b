package dev.portoneverify.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portoneverify.testsupport.ApiContract;
import dev.portoneverify.testsupport.TestServer;
import io.javalin.router.ParsedEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code src/main/resources/openapi.json} describes exactly the routes the app has, and is served as it is.
 * (That every answer of the suite fits the document is checked by {@link TestServer} when each server closes.)
 */
class OpenApiDocumentTest {
    private static final String ADMIN_TOKEN = "admin-token-for-the-route-table";

    /** Every optional part on: sandbox mode (its control API and V2), the admin API, a metrics token. */
    @RegisterExtension
    static final TestServer server = TestServer.sandboxMode(Map.of("ADMIN_TOKEN", ADMIN_TOKEN,
            "METRICS_TOKEN", "metrics-token-for-the-route-table"));

    private final ApiContract contract = ApiContract.shipped();

    @Test
    void every_route_of_the_app_is_in_the_document_and_every_documented_route_is_in_the_app() {
        Set<String> app = new TreeSet<>();
        for (ParsedEndpoint parsed : server.app().unsafe.internalRouter.allHttpHandlers()) {
            if (parsed.endpoint.method.isHttpMethod()) {
                app.add(parsed.endpoint.method.name() + " " + parsed.endpoint.path);
            }
        }
        Set<String> documented = contract.operations().stream().map(ApiContract.Operation::route)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> undocumented = new TreeSet<>(app);
        undocumented.removeAll(documented);
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(app);
        assertTrue(undocumented.isEmpty(), "routes of the app that openapi.json does not describe: " + undocumented);
        assertTrue(missing.isEmpty(), "routes in openapi.json that the app does not have: " + missing);
        assertTrue(app.size() > 30, "the app's route table was read: " + app);
    }

    @Test
    void the_document_is_served_as_shipped_and_can_be_cached() throws IOException {
        TestServer.Answer answer = server.get("/openapi.json");
        assertEquals(200, answer.status());
        assertEquals(contract.document(), answer.body());
        assertEquals(shippedText(), answer.raw());

        kong.unirest.core.HttpResponse<String> raw = kong.unirest.core.Unirest.spawnInstance()
                .get(server.url("/openapi.json")).asString();
        assertTrue(raw.getHeaders().getFirst("Content-Type").startsWith("application/json"));
        assertEquals("public, max-age=3600", raw.getHeaders().getFirst("Cache-Control"));
        String etag = raw.getHeaders().getFirst("ETag");
        assertFalse(etag.isEmpty());

        TestServer.Answer again = server.get("/openapi.json", Map.of("If-None-Match", etag));
        assertEquals(304, again.status());
        assertEquals(null, again.body());
    }

    @Test
    void the_document_is_openapi_3_1_and_every_reference_in_it_resolves() {
        JsonNode doc = contract.document();
        assertEquals("3.1.0", doc.path("openapi").asText());
        List<String> broken = new ArrayList<>();
        collectRefs(doc, broken, doc);
        assertTrue(broken.isEmpty(), "references to nothing: " + broken);
        Set<String> ids = new HashSet<>();
        for (ApiContract.Operation op : contract.operations()) {
            JsonNode operation = doc.at(op.pointer());
            assertTrue(ids.add(operation.path("operationId").asText()), "operationId twice: " + op.route());
            assertFalse(op.responses().isEmpty(), op.route() + " lists no answers");
        }
    }

    @Test
    void every_status_word_the_document_names_is_in_its_table() {
        String table = contract.document().at("/info/description").asText();
        Set<String> words = new TreeSet<>();
        collectStatusEnums(contract.document(), words);
        assertTrue(words.size() > 40, "the status words were found: " + words);
        List<String> absent = words.stream().filter(w -> !table.contains("| `" + w + "` |")).toList();
        assertTrue(absent.isEmpty(), "status words missing from the table in info.description: " + absent);
    }

    @Test
    void an_answer_the_document_does_not_allow_is_caught() {
        // an undocumented status for a route, an answer of the wrong shape, a status word the route never says
        assertFalse(contract.violations(new ApiContract.Answer("GET", server.url("/health"), 418, "application/json",
                "{\"status\":\"teapot\",\"message\":\"x\"}")).isEmpty());
        assertFalse(contract.violations(new ApiContract.Answer("GET", server.url("/users/7"), 200, "application/json",
                "{\"id\":7}")).isEmpty());
        assertFalse(contract.violations(new ApiContract.Answer("POST", server.url("/orders"), 422, "application/json",
                "{\"status\":\"unknown_order\",\"message\":\"x\"}")).isEmpty());
        assertFalse(contract.violations(new ApiContract.Answer("POST", server.url("/payments/confirm"), 400, "application/json",
                "{\"status\":\"invalid_request\",\"message\":\"the confirm call answers {reason}\"}")).isEmpty());
        // a real one passes, and so does a path that is no route (a static page)
        long id = server.createUser("홍길동", "010-1234-5678");
        TestServer.Answer user = server.get("/users/" + id);
        assertEquals(List.of(), contract.violations(new ApiContract.Answer("GET", server.url("/users/" + id), 200,
                "application/json", user.raw())));
        assertEquals(List.of(), contract.violations(new ApiContract.Answer("GET", server.url("/index.html"), 200,
                "text/html", "<html></html>")));
    }

    private static void collectRefs(JsonNode node, List<String> broken, JsonNode doc) {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String target = ref.asText();
                if (!target.startsWith("#/") || doc.at(target.substring(1)).isMissingNode()) {
                    broken.add(target);
                }
            }
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collectRefs(children.next(), broken, doc);
        }
    }

    /** The words of every {@code status} enum of an Error answer ({@code allOf: [Error, {status: {enum}}]}). */
    private static void collectStatusEnums(JsonNode node, Set<String> words) {
        JsonNode allOf = node.path("allOf");
        if (allOf.path(0).path("$ref").asText().equals("#/components/schemas/Error")) {
            allOf.path(1).path("properties").path("status").path("enum").forEach(w -> words.add(w.asText()));
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            collectStatusEnums(children.next(), words);
        }
    }

    private static String shippedText() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream(ApiDocument.RESOURCE)) {
            assertNotNull(in);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
