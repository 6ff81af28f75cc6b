package dev.portoneverify.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import dev.portoneverify.web.ApiDocument;
import dev.portoneverify.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The server's OpenAPI document ({@code src/main/resources/openapi.json}) as a contract the tests hold
 * the server to: its operations (for the route parity check) and, for one real answer, whether the
 * document allows it: a documented status for that route, a documented content type, and a body that
 * its JSON Schema (2020-12, with {@code $ref}s into {@code components}) accepts.
 *
 * <p>Answers to paths or methods that are no route (static pages, a 404 for a made-up path) are not the
 * document's business and pass unchecked.
 */
public final class ApiContract {
    /** The document's name for the validator; nothing is fetched from it. */
    private static final String IRI = "https://portone-verify.invalid/openapi.json";
    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private static final ApiContract SHIPPED = new ApiContract(read());

    /** One operation of the document: {@code GET /users/{id}} and its responses. */
    public record Operation(String method, String template, Pattern pattern, JsonNode responses, String pointer) {
        /** The method and path as Javalin's route table writes them, e.g. {@code GET /users/{id}}. */
        public String route() {
            return method + " " + template;
        }
    }

    /** One answer the server gave: the request's method and raw path, and what came back. */
    public record Answer(String method, String path, int status, String contentType, String body) {
        @Override
        public String toString() {
            return method + " " + path + " -> " + status + " " + (body == null ? "" : body.length() > 300
                    ? body.substring(0, 300) + "..." : body);
        }
    }

    private final JsonNode document;
    private final List<Operation> operations;
    private final SchemaRegistry registry;
    private final ObjectMapper json = Json.newMapper();
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiContract(String text) {
        try {
            this.document = Json.newMapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // the schemas are JSON Schema 2020-12 (the document's jsonSchemaDialect); the document's own top-level
        // fields are no schema keywords, and are said to be none so that the validator does not warn of them
        Dialect.Builder dialect = Dialect.builder(Dialects.getDraft202012());
        for (String field : List.of("openapi", "jsonSchemaDialect", "info", "servers", "tags", "paths", "components")) {
            dialect.keyword(new NonValidationKeyword(field));
        }
        this.registry = SchemaRegistry.withDefaultDialect(dialect.build(), builder -> builder.schemas(Map.of(IRI, text)));
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (String method : METHODS) {
                JsonNode op = path.getValue().get(method);
                if (op != null) {
                    ops.add(new Operation(method.toUpperCase(Locale.ROOT), path.getKey(), pattern(path.getKey()),
                            op.path("responses"), "/paths/" + escape(path.getKey()) + "/" + method));
                }
            }
        }
        // a literal segment wins over a parameter, as in the router
        ops.sort(Comparator.comparingLong((Operation o) -> o.template().chars().filter(c -> c == '{').count()));
        this.operations = List.copyOf(ops);
    }

    /** The document the jar ships and {@code GET /openapi.json} serves. */
    public static ApiContract shipped() {
        return SHIPPED;
    }

    public JsonNode document() {
        return document;
    }

    public List<Operation> operations() {
        return operations;
    }

    /** The documented operation that answers {@code method} on {@code rawPath}; empty for no route. */
    public Optional<Operation> operation(String method, String rawPath) {
        String path = rawPath.length() > 1 && rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        return operations.stream()
                .filter(o -> o.method().equalsIgnoreCase(method) && o.pattern().matcher(path).matches())
                .findFirst();
    }

    /** What the document finds wrong with {@code answer}; empty when it conforms or is to no route. */
    public List<String> violations(Answer answer) {
        Optional<Operation> found = operation(answer.method(), rawPath(answer.path()));
        if (found.isEmpty()) {
            return List.of();
        }
        Operation op = found.get();
        String status = Integer.toString(answer.status());
        JsonNode response = op.responses().get(status);
        if (response == null) {
            return List.of(op.route() + " answered " + status + ", which the document does not list: " + answer);
        }
        String pointer = op.pointer() + "/responses/" + status;
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = resolve(pointer);
        }
        JsonNode content = response.get("content");
        if (content == null) {
            return answer.body() == null || answer.body().isEmpty() ? List.of()
                    : List.of(op.route() + " " + status + " has a body the document does not describe: " + answer);
        }
        String mime = mime(answer.contentType());
        if (!content.has(mime)) {
            return List.of(op.route() + " " + status + " answered " + answer.contentType() + ", the document says "
                    + content.fieldNames().next() + ": " + answer);
        }
        if (!mime.equals("application/json")) {
            return List.of();
        }
        JsonNode body;
        try {
            body = json.readTree(answer.body() == null ? "" : answer.body());
        } catch (IOException e) {
            return List.of(op.route() + " " + status + " is not JSON: " + answer);
        }
        if (body == null || body.isMissingNode()) {
            return List.of(op.route() + " " + status + " has an empty body: " + answer);
        }
        String schemaPointer = pointer + "/content/" + escape(mime) + "/schema";
        List<Error> errors = schema(schemaPointer).validate(body,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)));
        return errors.stream().map(e -> op.route() + " " + status + ": " + e.getMessage() + " in " + answer).toList();
    }

    /** The path of a URL as sent, without scheme, host and query; no decoding, so hostile paths stay as they were. */
    private static String rawPath(String url) {
        String path = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*", "");
        int end = path.indexOf('?');
        path = end < 0 ? path : path.substring(0, end);
        end = path.indexOf('#');
        return end < 0 ? path : path.substring(0, end);
    }

    private Schema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> registry.getSchema(SchemaLocation.of(IRI + "#" + uriEncode(p))));
    }

    private JsonNode resolve(String pointer) {
        JsonNode node = document.at(pointer);
        if (node.isMissingNode()) {
            throw new IllegalStateException("the document refers to #" + pointer + ", which it does not have");
        }
        return node;
    }

    private static Pattern pattern(String template) {
        return Pattern.compile(Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q"));
    }

    /** RFC 6901: a path such as {@code /users/{id}} as one token of a JSON Pointer. */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON Pointer as a URI fragment: braces are not allowed there. */
    private static String uriEncode(String pointer) {
        return pointer.replace("{", "%7B").replace("}", "%7D");
    }

    private static String mime(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static String read() {
        try (InputStream in = ApiContract.class.getResourceAsStream(ApiDocument.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ApiDocument.RESOURCE + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
