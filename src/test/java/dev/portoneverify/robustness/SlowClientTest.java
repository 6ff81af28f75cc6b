package dev.portoneverify.robustness;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.FakePortOne;
import dev.portoneverify.testsupport.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 2: slow or stuck clients cannot hold the server. On Java 17 Jetty has 250 threads;
 * these tests run on whatever JVM runs the build, and the first one is the one that failed on 17.
 */
class SlowClientTest {
    private static final String SLOW_HEAD = "POST /payments/complete HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{";

    @Test
    void two_hundred_and_sixty_clients_trickling_their_bodies_hold_no_thread_the_others_need() throws IOException {
        // a deadline far beyond the test: only not holding threads can keep the server answering
        try (TestServer server = TestServer.start(Map.of("REQUEST_BODY_TIMEOUT_MS", "60000"))) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 260; i++) {
                    slow.add(open(server, SLOW_HEAD));
                }
                // requests with bodies, as real buyers send them, are answered meanwhile
                String order = server.createOrder(15000);
                server.portone.putPayment(FakePortOne.payment("imp_400000000001", order, 15000, "paid"));
                assertEquals("success", server.complete("imp_400000000001", order).text("status"));
                assertEquals(200, server.get("/health").status());
                for (Socket s : slow) {
                    assertEquals(0, s.getInputStream().available(), "a trickling client was answered early");
                }
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    @Test
    void a_body_not_complete_by_the_deadline_is_answered_408_and_its_connection_closed() throws IOException {
        try (TestServer server = TestServer.start(Map.of("REQUEST_BODY_TIMEOUT_MS", "1000"))) {
            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                slow.add(open(server, SLOW_HEAD));
            }
            for (Socket s : slow) {
                try (s) {
                    String answer = readToEnd(s.getInputStream());
                    assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
                    assertTrue(answer.contains("\"status\":\"request_timeout\""), answer);
                }
            }
            assertEquals(0, server.rows("payment_history"));
            assertTrue(server.portone.requests().isEmpty());
        }
    }

    @Test
    void a_body_arriving_slower_than_the_minimum_rate_is_answered_408() throws Exception {
        try (TestServer server = TestServer.start(Map.of("REQUEST_BODY_TIMEOUT_MS", "60000",
                "REQUEST_MIN_BYTES_PER_SECOND", "100"))) {
            try (Socket s = open(server, SLOW_HEAD)) {
                OutputStream out = s.getOutputStream();
                InputStream in = s.getInputStream();
                // a byte every 200 ms is 5 bytes a second: refused once two seconds have passed
                for (int i = 0; i < 40 && in.available() == 0; i++) {
                    Thread.sleep(200);
                    try {
                        out.write(' ');
                        out.flush();
                    } catch (IOException closed) {
                        break;   // refused and closed between two bytes
                    }
                }
                String answer = readToEnd(in);
                assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            }
        }
    }

    @Test
    void connections_beyond_the_cap_are_answered_503_and_the_server_takes_new_ones_once_they_close() throws Exception {
        try (TestServer server = TestServer.start(Map.of("MAX_CONNECTIONS", "20", "LIMIT_HEALTH_PER_MINUTE", "0"))) {
            List<Socket> sockets = new ArrayList<>();
            int served = 0;
            int refused = 0;
            try {
                for (int i = 0; i < 25; i++) {
                    sockets.add(open(server, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n"));
                }
                for (Socket s : sockets) {
                    String status = statusLine(s.getInputStream());
                    if (status.startsWith("HTTP/1.1 200")) {
                        served++;
                    } else if (status.startsWith("HTTP/1.1 503")) {
                        String rest = readToEnd(s.getInputStream());
                        assertTrue(rest.contains("too_many_connections"), rest);
                        refused++;
                    }
                }
            } finally {
                for (Socket s : sockets) {
                    s.close();
                }
            }
            assertEquals(20, served);
            assertEquals(5, refused);
            // the closed connections are counted out: a new one is served again
            long deadline = System.nanoTime() + 10_000_000_000L;
            String status = "";
            while (!status.startsWith("HTTP/1.1 200") && System.nanoTime() < deadline) {
                try (Socket s = open(server, "GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")) {
                    status = statusLine(s.getInputStream());
                }
                Thread.sleep(20);
            }
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
        }
    }

    @Test
    void a_connection_that_sends_nothing_is_closed_after_the_idle_timeout() throws IOException {
        try (TestServer server = TestServer.start(Map.of("HTTP_IDLE_TIMEOUT_MS", "1000"));
             Socket s = open(server, "")) {
            assertEquals(-1, s.getInputStream().read(), "the server closes an idle connection");
        }
    }

    private static Socket open(TestServer server, String head) throws IOException {
        Socket s = new Socket("127.0.0.1", URI.create(server.url("/")).getPort());
        s.setSoTimeout(20_000);
        if (!head.isEmpty()) {
            s.getOutputStream().write(head.getBytes(UTF_8));
            s.getOutputStream().flush();
        }
        return s;
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
            }
        } catch (java.net.SocketException reset) {
            // closed by the server after its answer: what arrived is kept
        }
        return bytes.toString(ISO_8859_1);
    }
}
