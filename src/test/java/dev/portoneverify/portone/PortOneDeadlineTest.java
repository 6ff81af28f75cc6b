package dev.portoneverify.portone;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 6: PORTONE_TIMEOUT_MS bounds the whole exchange, headers and body. The JDK's
 * request timeout ends when the headers arrive; a body trickled a byte a second once held a call
 * for 42 s with a 3 s setting. No PortOne stand-in trickles, so a socket on port 0 does.
 */
class PortOneDeadlineTest {

    @Test
    void an_answer_trickled_a_byte_at_a_time_is_cut_at_the_timeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread trickler = new Thread(() -> trickle(server), "trickling-portone");
            trickler.setDaemon(true);
            trickler.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(Runnable::run).build();
            PortOneClient client = new PortOneClient(http, Json.newMapper(),
                    URI.create("http://127.0.0.1:" + server.getLocalPort()), new PortOneCredentials("key", "secret"),
                    Duration.ofMillis(800), false, Clock.systemUTC());
            long started = System.nanoTime();
            assertThrows(PortOneTimeoutException.class, () -> client.getPayment("imp_1"));
            long millis = (System.nanoTime() - started) / 1_000_000;
            // the trickled answer would take 200 s; the call ends at the timeout, not minutes later
            assertTrue(millis < 5_000, "took " + millis + " ms");
        }
    }

    /** Headers at once, then a 200-byte body, a byte every second, on every connection. */
    private static void trickle(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread one = new Thread(() -> {
                    try (socket) {
                        InputStream in = socket.getInputStream();
                        int last = 0;
                        int c;
                        // the end of the request head: \r\n\r\n
                        while ((c = in.read()) >= 0) {
                            last = (last << 8 | c) & 0xFFFFFFFF;
                            if (last == 0x0D0A0D0A) {
                                break;
                            }
                        }
                        OutputStream out = socket.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"
                                .getBytes(ISO_8859_1));
                        out.flush();
                        for (int i = 0; i < 199; i++) {
                            Thread.sleep(1_000);
                            out.write(' ');
                            out.flush();
                        }
                    } catch (IOException | InterruptedException ignored) {
                        // the client gave up, as it should
                    }
                }, "trickle");
                one.setDaemon(true);
                one.start();
            } catch (IOException closed) {
                return;
            }
        }
    }
}
