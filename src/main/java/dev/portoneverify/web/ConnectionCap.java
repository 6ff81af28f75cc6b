package dev.portoneverify.web;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.ContainerLifeCycle;

/**
 * At most {@code max} open HTTP connections; one beyond is answered {@code 503} with a JSON body
 * and closed, before any request on it is read (issue 15). Without a cap, about 20,000 held
 * connections ran the process out of file handles, and then it could not open its database.
 *
 * <p>Installed as a connector's default protocol in front of its HTTP/1.1 factory, which stays
 * registered (Jetty and Javalin look it up by type).
 */
public final class ConnectionCap extends ContainerLifeCycle implements ConnectionFactory {
    public static final String PROTOCOL = "capped-http/1.1";
    private static final byte[] REFUSAL = refusal();

    private final ConnectionFactory http;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final Connection.Listener closed = new Connection.Listener() {
        @Override
        public void onClosed(Connection connection) {
            open.decrementAndGet();
        }
    };

    public ConnectionCap(ConnectionFactory http, int max) {
        this.http = http;
        this.max = max;
    }

    @Override
    public String getProtocol() {
        return PROTOCOL;
    }

    @Override
    public List<String> getProtocols() {
        return List.of(PROTOCOL);
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return new Refusal(endPoint, connector.getExecutor());
        }
        Connection connection = http.newConnection(connector, endPoint);
        connection.addEventListener(closed);
        return connection;
    }

    /** How many connections are open now. */
    public int open() {
        return open.get();
    }

    private static byte[] refusal() {
        String body = "{\"status\":\"too_many_connections\",\"message\":\"the server has too many open connections; try again\"}";
        return ("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(UTF_8).length + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n" + body).getBytes(UTF_8);
    }

    /** Writes the refusal, then reads and drops whatever the client sends until it closes (or times out). */
    private static final class Refusal extends AbstractConnection {
        Refusal(EndPoint endPoint, Executor executor) {
            super(endPoint, executor);
        }

        @Override
        public void onOpen() {
            super.onOpen();
            getEndPoint().write(Callback.from(this::drain, failure -> getEndPoint().close()), ByteBuffer.wrap(REFUSAL));
        }

        private void drain() {
            getEndPoint().shutdownOutput();
            fillInterested();
        }

        @Override
        public void onFillable() {
            ByteBuffer buffer = BufferUtil.allocate(1024);
            try {
                while (true) {
                    int read = getEndPoint().fill(buffer);
                    BufferUtil.clear(buffer);
                    if (read < 0) {
                        getEndPoint().close();
                        return;
                    }
                    if (read == 0) {
                        fillInterested();
                        return;
                    }
                }
            } catch (IOException e) {
                getEndPoint().close();
            }
        }
    }
}
