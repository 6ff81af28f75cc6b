package dev.portoneverify.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.portone.CancelRequest;
import dev.portoneverify.portone.Payment;
import dev.portoneverify.portone.PaymentPage;
import dev.portoneverify.portone.PaymentStatus;
import dev.portoneverify.portone.PortOneApiException;
import dev.portoneverify.portone.PortOneAuthException;
import dev.portoneverify.portone.PortOneClient;
import dev.portoneverify.portone.PortOneCredentials;
import dev.portoneverify.portone.PortOneNotFoundException;
import dev.portoneverify.web.Json;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shop's own PortOne client and the sandbox agree: it reads every payment and cancels through it. */
class PortOneClientAgainstSandboxTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @RegisterExtension
    final SandboxHarness h = new SandboxHarness();

    private PortOneClient client(boolean includeSandbox) {
        return client(new PortOneCredentials(h.sandbox.apiKey(), h.sandbox.apiSecret()), includeSandbox);
    }

    private PortOneClient client(PortOneCredentials credentials, boolean includeSandbox) {
        return new PortOneClient(HTTP, Json.newMapper(), h.sandbox.apiUrl(), credentials, Duration.ofSeconds(5),
                includeSandbox, h.clock);
    }

    private Instant nowSeconds() {
        return Instant.ofEpochSecond(h.clock.instant().getEpochSecond());
    }

    @Test
    void the_client_reads_a_paid_card_payment() {
        String impUid = h.payByCard("order_e1", 15000);

        Payment p = client(false).getPayment(impUid);

        assertEquals(impUid, p.impUid());
        assertEquals("order_e1", p.merchantUid());
        assertEquals(0, p.amount().compareTo(new BigDecimal("15000")));
        assertEquals(0, p.cancelAmount().signum());
        assertEquals("KRW", p.currency());
        assertEquals(PaymentStatus.PAID, p.status());
        assertFalse(p.sandbox());
        assertEquals("card", p.payMethod());
        assertEquals(nowSeconds(), p.paidAt());
        assertNull(p.failedAt(), "0 on the wire is null in the client");
        assertNull(p.cancelledAt());
        assertNull(p.vbank());
    }

    @Test
    void the_client_reads_a_virtual_account_and_its_deposit() {
        String impUid = h.issueVbank("order_e2", 20000);
        PortOneClient client = client(false);

        Payment ready = client.getPayment(impUid);
        assertEquals(PaymentStatus.READY, ready.status());
        assertNull(ready.paidAt());
        assertNotNull(ready.vbank());
        assertEquals(nowSeconds().plus(Duration.ofDays(3)), ready.vbank().date());
        assertTrue(ready.vbank().num().matches("\\d+"));

        h.control("POST", "/payments/" + impUid + "/deposit", null);
        assertEquals(PaymentStatus.PAID, client.getPayment(impUid).status());
    }

    @Test
    void the_client_cancels_partially_with_a_checksum_and_then_in_full() {
        String impUid = h.payByCard("order_e3", 10000);
        PortOneClient client = client(false);

        Payment partial = client.cancel(new CancelRequest(impUid, new BigDecimal("3000"), new BigDecimal("10000"), "partial"));
        assertEquals(PaymentStatus.CANCELLED, partial.status());
        assertEquals(0, partial.balance().compareTo(new BigDecimal("7000")));
        assertFalse(partial.fullyCancelled());

        PortOneApiException stale = assertThrows(PortOneApiException.class,
                () -> client.cancel(new CancelRequest(impUid, null, new BigDecimal("10000"), "stale")));
        assertEquals(200, stale.httpStatus());
        assertEquals(1, stale.code());

        Payment full = client.cancel(new CancelRequest(impUid, null, partial.balance(), "rest"));
        assertTrue(full.fullyCancelled());
        assertEquals("rest", full.cancelReason());
    }

    @Test
    void the_client_lists_the_payments_that_changed_in_a_window_a_page_at_a_time() {
        Instant before = nowSeconds();
        h.clock.advance(Duration.ofMinutes(10));
        String first = h.payByCard("order_e10", 1000);
        h.clock.advance(Duration.ofSeconds(1));
        h.payByCard("order_e11", 2000);
        h.clock.advance(Duration.ofSeconds(1));
        h.issueVbank("order_e12", 3000);
        PortOneClient client = client(false);
        Instant now = nowSeconds();

        PaymentPage page1 = client.listPayments(null, now.minusSeconds(60), now, 1, 2, null);
        PaymentPage page2 = client.listPayments(null, now.minusSeconds(60), now, 2, 2, null);

        assertEquals(3, page1.total());
        assertEquals(2, page1.list().size());
        assertEquals(2, page1.next());
        assertEquals(0, page1.previous());
        assertEquals(1, page2.list().size());
        assertEquals(0, page2.next());
        assertEquals(first, page2.list().get(0).impUid(), "newest started first, PortOne's default sorting");
        assertEquals(2, client.listPayments(PaymentStatus.PAID, now.minusSeconds(60), now, 1, 1000, null).total());
        assertEquals(0, client.listPayments(null, before.minusSeconds(60), before, 1, 1000, null).total());
        assertEquals(first, client.listPayments(null, now.minusSeconds(60), now, 1, 1, "started").list().get(0).impUid());
    }

    @Test
    void the_client_closes_a_virtual_account_which_then_takes_no_deposit() {
        String impUid = h.issueVbank("order_e13", 20000);
        PortOneClient client = client(false);

        Payment closed = client.closeVbank(impUid);

        assertEquals(PaymentStatus.FAILED, closed.status());
        assertEquals(0, closed.cancelAmount().signum(), "no money moved");
        assertTrue(h.control("POST", "/payments/" + impUid + "/deposit", null).status() >= 400);
        assertThrows(PortOneApiException.class, () -> client.closeVbank(impUid));
        assertThrows(PortOneApiException.class, () -> client.closeVbank(h.payByCard("order_e14", 1000)));
    }

    @Test
    void the_client_sees_test_channel_payments_only_with_include_sandbox() {
        String impUid = h.created(h.control("POST", "/payments", Map.of("merchant_uid", "order_e4", "amount", 1000,
                "test_channel", true)));

        assertThrows(PortOneNotFoundException.class, () -> client(false).getPayment(impUid));
        assertTrue(client(true).getPayment(impUid).sandbox());
    }

    @Test
    void the_client_recovers_from_expired_tokens_by_fetching_a_new_one() {
        String impUid = h.payByCard("order_e5", 1000);
        PortOneClient client = client(false);
        client.getPayment(impUid);

        h.control("POST", "/tokens/expire", null);

        assertEquals(impUid, client.getPayment(impUid).impUid());
    }

    @Test
    void the_client_maps_unknown_payments_and_wrong_credentials() {
        assertThrows(PortOneNotFoundException.class, () -> client(false).getPayment("imp_000000000000"));
        assertThrows(PortOneAuthException.class, () -> client(
                new PortOneCredentials(h.sandbox.apiKey(), "not-the-secret"), false).getPayment("imp_000000000000"));
    }
}
