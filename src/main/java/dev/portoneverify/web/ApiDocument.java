package dev.portoneverify.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * {@code GET /openapi.json}: the OpenAPI 3.1 document of this server's own API, written by hand in
 * {@code src/main/resources/openapi.json} (OpenApiDocumentTest keeps it and the route table in step, and
 * every answer the test suite receives is checked against it). Read once; the same bytes for every
 * caller, so a client may cache it and ask again with {@code If-None-Match}.
 */
public final class ApiDocument {
    public static final String RESOURCE = "/openapi.json";

    private final byte[] document;
    private final String etag;

    private ApiDocument(byte[] document) {
        this.document = document;
        this.etag = "\"" + sha256(document).substring(0, 32) + "\"";
    }

    /** The document shipped in the jar; a jar without it is a broken build, so this fails loudly. */
    public static ApiDocument load() {
        try (InputStream in = ApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return new ApiDocument(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void serve(Context ctx) {
        // it changes only with a new release: an hour in a cache, then a cheap 304
        ctx.header("Cache-Control", "public, max-age=3600");
        ctx.header("ETag", etag);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        ctx.contentType("application/json").result(document);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
