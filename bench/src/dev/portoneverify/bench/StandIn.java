package dev.portoneverify.bench;

import java.net.URI;
import java.util.Map;

/** The PortOne V1 stand-in the benchmarked server talks to, with latency and request counts. */
interface StandIn extends AutoCloseable {
    URI baseUrl();

    /** The server's environment for this stand-in and database, as the tests give it. */
    Map<String, String> serverEnv(String databaseUrl);

    /** Artificial latency before every answer. */
    void delayMillis(long millis);

    /** A paid KRW card payment, as PortOne reports it, for {@code GET /payments/{impUid}}. */
    void putPaid(String impUid, String merchantUid, long amount);

    long tokenRequests();

    long lookups();

    /** Every request that was neither a token request nor a lookup by imp_uid. */
    long otherRequests();

    /** TCP connections the server opened to it so far; -1 when not counted. Shows connection reuse. */
    long connectionsOpened();

    /** The name prefix of the threads that serve it in this JVM, to charge their CPU time to it. */
    String threadPrefix();

    @Override
    void close();
}
