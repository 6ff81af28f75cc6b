package dev.portoneverify.bench;

import dev.portoneverify.testsupport.SimulatedPortOne;
import dev.portoneverify.testsupport.TestServer;
import java.net.URI;
import java.util.Map;

/**
 * The tests' PortOne ({@link SimulatedPortOne}): the embedded sandbox behind the tests' recording,
 * fault-injecting proxy. Faithful, but the proxy records every request (headers and body) in a
 * copy-on-write list and holds a thread per connection, sleeping on it for latency, and every request
 * crosses two servers; so its cost grows with N and it is the stand-in to check LeanPortOne against,
 * not the one to measure the server with.
 */
final class SandboxStandIn implements StandIn {
    private final SimulatedPortOne portone = SimulatedPortOne.start();

    @Override
    public URI baseUrl() {
        return portone.baseUrl();
    }

    @Override
    public Map<String, String> serverEnv(String databaseUrl) {
        return TestServer.baseEnv(portone, databaseUrl);
    }

    @Override
    public void delayMillis(long millis) {
        portone.delayMillis(millis);
    }

    @Override
    public void putPaid(String impUid, String merchantUid, long amount) {
        portone.pay(impUid, merchantUid, amount);
    }

    @Override
    public long tokenRequests() {
        return portone.count("POST", "/users/getToken");
    }

    @Override
    public long lookups() {
        return portone.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().startsWith("/payments/")
                        && !r.path().startsWith("/payments/find/"))
                .count();
    }

    @Override
    public long otherRequests() {
        return portone.requests().size() - tokenRequests() - lookups();
    }

    @Override
    public long connectionsOpened() {
        return -1;
    }

    /** The sandbox's Jetty threads; the proxy's connection threads are not charged. */
    @Override
    public String threadPrefix() {
        return "JettyServerThreadPool";
    }

    @Override
    public void close() {
        portone.close();
    }
}
