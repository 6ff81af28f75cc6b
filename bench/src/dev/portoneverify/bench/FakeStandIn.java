package dev.portoneverify.bench;

import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestServer;
import java.net.URI;
import java.util.Map;

/**
 * The tests' {@link FakePortOne}: faithful, but it records every request (headers and body) in a
 * copy-on-write list and sleeps on a Jetty thread per delayed request, so its cost grows with N and
 * its default pool of 250 threads caps it at 250 / latency answers per second.
 */
final class FakeStandIn implements StandIn {
    private final FakePortOne fake = FakePortOne.start();

    @Override
    public URI baseUrl() {
        return fake.baseUrl();
    }

    @Override
    public Map<String, String> serverEnv(String databaseUrl) {
        return TestServer.baseEnv(fake, databaseUrl);
    }

    @Override
    public void delayMillis(long millis) {
        fake.delayMillis(millis);
    }

    @Override
    public void putPaid(String impUid, String merchantUid, long amount) {
        fake.putPayment(FakePortOne.payment(impUid, merchantUid, amount, "paid"));
    }

    @Override
    public long tokenRequests() {
        return fake.count("POST", "/users/getToken");
    }

    @Override
    public long lookups() {
        return fake.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().startsWith("/payments/")
                        && !r.path().startsWith("/payments/find/"))
                .count();
    }

    @Override
    public long otherRequests() {
        return fake.requests().size() - tokenRequests() - lookups();
    }

    @Override
    public long connectionsOpened() {
        return -1;
    }

    @Override
    public String threadPrefix() {
        return "JettyServerThreadPool";
    }

    @Override
    public void close() {
        fake.close();
    }
}
