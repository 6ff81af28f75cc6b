package dev.portoneverify.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portoneverify.sms.SmsFailure;
import dev.portoneverify.testsupport.Browser;
import dev.portoneverify.testsupport.TestServer;
import dev.portoneverify.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import kong.unirest.core.Unirest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The admin page (/admin.html) in headless Chromium, over the admin API of the server in sandbox mode. */
class AdminPageTest {
    private static final String TOKEN = "page-test-admin-token-0123456789abcdef";
    private final ObjectMapper json = Json.newMapper();
    @RegisterExtension
    // a sandbox that forgets on restart (no test but the one that restarts it can tell)
    final TestServer shop = TestServer.sandboxMode(Map.of("ADMIN_TOKEN", TOKEN, "SANDBOX_DATABASE", "memory"));
    private Browser browser;

    @BeforeEach
    void start() {
        browser = Browser.start();
        // the page itself is public (it holds no data); only the API behind it needs the token
        int status = Unirest.get(shop.url("/admin.html")).asString().getStatus();
        assertEquals(200, status, "GET /admin.html without a token; the /admin guard must not cover /admin.html");
        browser.open(shop.url("/admin.html"));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void a_wrong_token_is_refused_with_a_clear_message_and_shows_no_orders() {
        shop.order("노트북 거치대", 15000);

        signIn("not-the-admin-token");

        await("the 401 message", () -> browser.find("#auth-message").isDisplayed()
                && browser.text("#auth-message").startsWith("관리자 토큰이 맞지 않습니다 (401)."));
        assertFalse(browser.find("#list-view").isDisplayed());
        browser.screenshot("admin-wrong-token");

        signIn(TOKEN);
        awaitOrders("all:1");
        assertFalse(browser.find("#auth-message").isDisplayed());
    }

    @Test
    void the_orders_table_lists_every_order_and_the_status_filter_narrows_it() throws InterruptedException {
        String paid = paidCardOrder("노트북 거치대", 15000);
        // buyers write order names: the page must show this as text, not run it
        String pending = shop.order("<img src=x onerror=alert(1)>케이블", 9900);
        String awaiting = shop.order("기계식 키보드", 89000);
        shop.ok("/sandbox/payments", Map.of("merchant_uid", awaiting, "amount", 89000, "pay_method", "vbank"));
        TestServer.eventually(() -> shop.get("/orders/" + awaiting).body().path("status").asText(), "awaiting_deposit");

        signIn(TOKEN);
        awaitOrders("all:1");

        assertEquals(List.of(awaiting, pending, paid), rowIds(), "newest first");
        assertEquals("1–3 / 총 3건", browser.text("#page-info"));
        assertEquals("89,000 KRW", browser.text("#orders-body tr:first-child td.num"));
        assertEquals("입금 대기", browser.text("#orders-body tr:first-child .badge"));
        assertEquals("<img src=x onerror=alert(1)>케이블", browser.text("#orders-body tr:nth-child(2) td.name"));
        assertTrue(browser.find("#orders-body").findElements(By.cssSelector("img")).isEmpty());
        browser.screenshot("admin-orders");

        select("#status-filter", "paid");
        awaitOrders("paid:1");

        assertEquals(List.of(paid), rowIds());
        assertEquals("paid", browser.find("#orders-body tr").getDomAttribute("data-status"));
        assertEquals("1–1 / 총 1건", browser.text("#page-info"));
        browser.screenshot("admin-orders-paid");

        select("#status-filter", "cancelled");
        awaitOrders("cancelled:1");
        assertEquals(List.of(), rowIds());
        assertTrue(browser.find("#orders-empty").isDisplayed());
    }

    @Test
    void the_orders_table_pages_with_previous_and_next() {
        for (int i = 0; i < 22; i++) {
            shop.order("양말 " + i, 1000 + i);
        }

        signIn(TOKEN);
        awaitOrders("all:1");
        assertEquals(20, rowIds().size());
        assertEquals("1–20 / 총 22건", browser.text("#page-info"));
        assertFalse(browser.find("#prev").isEnabled());

        browser.click("#next");
        awaitOrders("all:2");
        assertEquals(2, rowIds().size());
        assertEquals("21–22 / 총 22건", browser.text("#page-info"));
        assertFalse(browser.find("#next").isEnabled());

        browser.click("#prev");
        awaitOrders("all:1");
        assertEquals(20, rowIds().size());
    }

    @Test
    void an_sms_the_provider_refused_for_good_is_listed_for_the_owner() {
        shop.sms.refuse(new SmsFailure.Rejected("1062", "Solapi did not accept the message: 1062 발신번호 미등록"));
        String order = shop.order("기계식 키보드", 89000);
        String impUid = shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 89000, "pay_method", "vbank"))
                .get("imp_uid").asText();
        assertEquals("vbankIssued", shop.post("/payments/complete", Map.of("imp_uid", impUid, "merchant_uid", order)).text("status"));

        signIn(TOKEN);
        awaitOrders("all:1");
        await("the refused SMS in the problems section", () -> !browser.find("#failed-sms").findElements(By.cssSelector("li")).isEmpty());
        String listed = browser.text("#failed-sms");
        assertTrue(listed.contains("*******5678") && listed.contains("발송 거부") && listed.contains("1062"), listed);
        assertFalse(listed.contains("010-1234-5678"), "the number is masked: " + listed);
        assertEquals("1", browser.text("#failed-sms-count"));
        browser.screenshot("admin-failed-sms");
    }

    @Test
    void a_forged_order_shows_the_forgery_and_its_refund_in_the_timeline() throws InterruptedException {
        String order = shop.order("USB-C 케이블", 9900);
        String impUid = shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 99)).get("imp_uid").asText();
        assertEquals("forgery", shop.post("/payments/complete", Map.of("imp_uid", impUid, "merchant_uid", order)).text("status"));
        // the webhook's verification refunds the 99 won after its commit: wait until that is recorded
        TestServer.eventually(() -> adminGet("/admin/orders/" + order).at("/payments/0/refund_state").asText(), "refunded");

        signIn(TOKEN);
        awaitOrders("all:1");
        await("the forgery in the problems section",
                () -> !browser.find("#forgeries").findElements(By.cssSelector("a[data-merchant-uid='" + order + "']")).isEmpty());
        browser.screenshot("admin-problems");
        browser.click("#forgeries a[data-merchant-uid='" + order + "']");

        awaitDetail(order);
        WebElement forgery = browser.find("#timeline li[data-outcome=forgery]");
        assertTrue(forgery.getDomAttribute("class").contains("alarm"), forgery.getDomAttribute("class"));
        assertTrue(forgery.getText().contains("99 KRW") && forgery.getText().contains("9,900 KRW"), forgery.getText());
        WebElement refund = browser.find("#timeline li[data-outcome=refunded]");
        assertTrue(refund.getText().contains("환불"), refund.getText());
        assertEquals("pending", browser.find("#order-status").getDomAttribute("data-status"));
        assertEquals("환불됨", browser.text("#payments-body tr td:nth-child(6)"));
        assertFalse(browser.find("#refund-form").isDisplayed(), "a forged payment is not the order's to refund");
        browser.screenshot("admin-forgery-timeline");
    }

    @Test
    void a_full_refund_through_the_form_and_the_confirmation_cancels_the_order() throws InterruptedException {
        String order = paidCardOrder("노트북 거치대", 15000);

        signIn(TOKEN);
        awaitOrders("all:1");
        browser.click("#orders-body a[data-merchant-uid='" + order + "']");
        awaitDetail(order);
        assertEquals("paid", browser.find("#order-status").getDomAttribute("data-status"));
        assertEquals("전액 15,000 KRW", browser.find("#refund-amount").getDomProperty("placeholder"));

        // the first time, the owner thinks again: nothing is sent
        type("#refund-reason", "고객 변심");
        browser.click("#refund-submit");
        await("the confirmation dialog", () -> browser.find("#refund-dialog").isDisplayed());
        assertEquals("전액 15,000 KRW 환불", browser.text("#confirm-amount"));
        browser.screenshot("admin-refund-confirm");
        browser.click("#confirm-cancel");
        await("the dialog to close", () -> !browser.find("#refund-dialog").isDisplayed());
        assertEquals("paid", shop.get("/orders/" + order).body().path("status").asText());

        browser.click("#refund-submit");
        browser.click("#confirm-refund");

        browser.awaitText("#refund-outcome", "cancelled");
        assertEquals("전액 환불되었습니다. 주문이 취소되었습니다.", browser.text("#refund-result-text"));
        await("the order shown cancelled", () -> "cancelled".equals(browser.find("#order-status").getDomAttribute("data-status")));
        assertTrue(browser.find("#timeline li[data-outcome=refunded][data-source=admin]").getText().contains("고객 변심"));
        assertEquals("15,000 KRW", browser.text("#payments-body tr td:nth-child(5)"));
        assertFalse(browser.find("#refund-form").isDisplayed(), "nothing is left to refund");
        assertEquals("cancelled", shop.get("/orders/" + order).body().path("status").asText());
        assertEquals("cancelled", shop.get("/orders/" + order).body().at("/payment/status").asText());
        assertTrue(Files.exists(browser.screenshot("admin-refund-result")));
    }

    @Test
    void a_deposited_virtual_account_is_refunded_to_the_account_typed_into_the_form() throws InterruptedException {
        String order = shop.order("기계식 키보드", 89000);
        String impUid = shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 89000, "pay_method", "vbank"))
                .get("imp_uid").asText();
        TestServer.eventually(() -> shop.get("/orders/" + order).body().path("status").asText(), "awaiting_deposit");
        shop.ok("/sandbox/payments/" + impUid + "/deposit", Map.of());
        TestServer.eventually(() -> shop.get("/orders/" + order).body().path("status").asText(), "paid");

        signIn(TOKEN);
        awaitOrders("all:1");
        browser.click("#orders-body a[data-merchant-uid='" + order + "']");
        awaitDetail(order);
        assertTrue(browser.find("#refund-vbank").isDisplayed(), "a virtual account asks for the buyer's account");

        type("#refund-amount", "9,000");
        type("#refund-reason", "일부 품절");
        type("#refund-holder", "홍길동");
        type("#refund-bank", "088");
        type("#refund-account", "110-123-456789");
        browser.click("#refund-submit");
        await("the confirmation dialog", () -> browser.find("#refund-dialog").isDisplayed());
        assertEquals("일부 9000 KRW 환불", browser.text("#confirm-amount").replace(",", ""));
        assertEquals("환불 계좌: 신한은행 (088) 110123456789 (홍길동)", browser.text("#confirm-account"));
        browser.click("#confirm-refund");

        browser.awaitText("#refund-outcome", "partially_cancelled");
        assertEquals("partially_refunded", shop.get("/orders/" + order).body().path("status").asText());
        assertEquals("부분 환불", browser.text("#order-status"));
        assertEquals(9000, shop.get("/sandbox/payments/" + impUid).body().path("cancel_amount").asInt());
        assertEquals("전액 80,000 KRW", browser.find("#refund-amount").getDomProperty("placeholder"));
        browser.screenshot("admin-vbank-partial-refund");
    }

    @Test
    void a_deposit_after_a_card_paid_waits_for_the_shop_who_refunds_that_payment_from_its_own_button() {
        // every webhook lost, so the abandoned account is still open when the buyer deposits into it
        try (TestServer lossy = TestServer.sandboxMode(Map.of("ADMIN_TOKEN", TOKEN, "SANDBOX_DATABASE", "memory",
                "WEBHOOK_ALLOWED_IPS", "203.0.113.9")).started()) {
            browser.open(lossy.url("/admin.html"));
            String order = lossy.order("기계식 키보드", 89000);
            String vbank = lossy.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 89000, "pay_method", "vbank"))
                    .get("imp_uid").asText();
            String card = lossy.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", 89000)).get("imp_uid").asText();
            lossy.ok("/payments/complete", Map.of("imp_uid", card, "merchant_uid", order));
            lossy.ok("/sandbox/payments/" + vbank + "/deposit", Map.of());
            lossy.reconciler().runOnce();

            signIn(TOKEN);
            awaitOrders("all:1");
            await("the refund waiting for an account", () -> browser.text("#failed-refunds").contains("계좌 필요"));
            browser.click("#orders-body a[data-merchant-uid='" + order + "']");
            awaitDetail(order);
            browser.click("#payments-body tr[data-imp-uid='" + vbank + "'] button.refund-payment");
            await("the form for the deposited account", () -> browser.text("#refund-target").contains(vbank)
                    && browser.find("#refund-vbank").isDisplayed());
            type("#refund-reason", "중복 입금");
            type("#refund-holder", "홍길동");
            type("#refund-bank", "004");
            type("#refund-account", "123-456-789012");
            browser.click("#refund-submit");
            await("the confirmation dialog", () -> browser.find("#refund-dialog").isDisplayed());
            assertEquals("전액 89000 KRW 환불", browser.text("#confirm-amount").replace(",", ""));
            browser.click("#confirm-refund");

            browser.awaitText("#refund-result-text", "이 결제를 환불했습니다. 주문 상태는 주문에 연결된 결제를 따릅니다.");
            assertEquals(89000, lossy.get("/sandbox/payments/" + vbank).body().path("cancel_amount").asInt());
            assertEquals(0, lossy.get("/sandbox/payments/" + card).body().path("cancel_amount").asInt());
            assertEquals("paid", lossy.get("/orders/" + order).body().path("status").asText());
            browser.screenshot("admin-refund-by-payment");
        }
    }

    @Test
    void re_sync_asks_portone_and_shows_what_it_said() throws InterruptedException {
        String order = paidCardOrder("기계식 키보드", 89000);

        signIn(TOKEN);
        awaitOrders("all:1");
        browser.click("#orders-body a[data-merchant-uid='" + order + "']");
        awaitDetail(order);
        int rows = timelineSize();

        browser.click("#sync");

        browser.awaitText("#sync-result", "다시 확인했습니다. 주문 상태: 결제 완료");
        await("a history row from the admin", () -> timelineSize() > rows);
        assertFalse(browser.find("#timeline").findElements(By.cssSelector("li[data-source=admin]")).isEmpty());
    }

    @Test
    void re_sync_of_a_payment_portone_does_not_know_says_so_in_red_instead_of_paid() throws InterruptedException {
        // the sandbox forgets on restart: afterwards PortOne knows nothing of the order's payment
        String order = paidCardOrder("기계식 키보드", 89000);
        shop.restart();
        browser.open(shop.url("/admin.html"));

        signIn(TOKEN);
        awaitOrders("all:1");
        browser.click("#orders-body a[data-merchant-uid='" + order + "']");
        awaitDetail(order);
        browser.click("#sync");

        await("the red notice", () -> browser.text("#sync-result").startsWith("PortOne이 이 결제")
                && browser.find("#sync-result").getAttribute("class").contains("bad"));
        assertTrue(browser.text("#sync-result").contains("PortOne이 확인한 것이 아닙니다"), browser.text("#sync-result"));
        assertEquals("결제 완료 · PortOne 미확인", browser.text("#order-status"), "no green badge for what PortOne denies");
        assertTrue(browser.find("#order-status").getAttribute("class").contains("status-unconfirmed"));
        await("the unknown_payment row", () -> !browser.find("#timeline")
                .findElements(By.cssSelector("li[data-outcome=unknown_payment]")).isEmpty());
        browser.screenshot("admin-resync-unknown-payment");
    }

    @Test
    void without_an_admin_token_on_the_server_the_page_says_once_that_there_is_no_admin_api() {
        try (TestServer bare = TestServer.sandboxMode(Map.of("SANDBOX_DATABASE", "memory")).started()) {
            browser.open(bare.url("/admin.html"));

            await("the notice", () -> browser.find("#no-admin-api").isDisplayed());
            assertTrue(browser.text("#no-admin-api").startsWith("이 서버에는 관리자 API가 없습니다."), browser.text("#no-admin-api"));
            // nothing beside it claims otherwise, nor asks for a token no one could check
            assertFalse(browser.find("#connected").isDisplayed());
            assertFalse(browser.find("#token-form").isDisplayed());
            assertFalse(browser.text("body").contains("연결됨"), browser.text("body"));
            assertFalse(browser.find("#list-view").isDisplayed());
            browser.screenshot("admin-no-admin-api");
        }
    }

    @Test
    void connected_is_said_only_once_the_server_accepted_the_token() {
        shop.order("노트북 거치대", 15000);

        signIn(TOKEN);
        awaitOrders("all:1");

        assertTrue(browser.find("#connected").isDisplayed());
        assertFalse(browser.find("#no-admin-api").isDisplayed());
    }

    @Test
    void a_partial_refund_is_badged_as_such_and_shows_how_much_of_the_total_went_back() throws InterruptedException {
        String order = paidCardOrder("노트북 거치대", 15000);

        signIn(TOKEN);
        awaitOrders("all:1");
        browser.click("#orders-body a[data-merchant-uid='" + order + "']");
        awaitDetail(order);
        assertFalse(browser.find("#order-refund").isDisplayed(), "nothing went back yet");
        refundThroughTheForm("5000", "일부 품절");

        browser.awaitText("#refund-outcome", "partially_cancelled");
        assertEquals("부분 환불", browser.text("#order-status"), browser.text("#detail"));
        assertEquals("partially_refunded", browser.text("#order-status-code"));
        assertEquals("15,000 KRW 중 5,000 KRW 환불 · 남은 금액 10,000 KRW", browser.text("#order-refund"));
        // PortOne calls a partial cancel `cancelled`: the row agrees with the order, the word stays as a code
        assertEquals("부분 취소 cancelled", browser.text("#payments-body tr td:nth-child(3)"));

        browser.click("#back");
        awaitOrders("all:1");
        assertEquals("부분 환불", browser.text("#orders-body tr[data-merchant-uid='" + order + "'] .badge"), "the list after the refund");
        browser.screenshot("admin-partial-refund");
    }

    @Test
    void the_history_reads_in_korean_and_keeps_the_servers_english_folded_away() throws InterruptedException {
        String order = paidCardOrder("노트북 거치대", 15000);

        signIn(TOKEN);
        awaitOrders("all:1");
        browser.click("#orders-body a[data-merchant-uid='" + order + "']");
        awaitDetail(order);
        refundThroughTheForm("5000", "일부 품절");
        browser.awaitText("#refund-outcome", "partially_cancelled");

        WebElement partly = browser.find("#timeline li[data-outcome=partially_cancelled]");
        assertEquals("부분 환불: 15,000 KRW 중 5,000 KRW 환불, 10,000 KRW 남음", partly.findElement(By.cssSelector(".detail-ko")).getText());
        assertTrue(partly.getText().contains("PortOne: 부분 취소 (cancelled)"), partly.getText());
        assertEquals("가게의 환불, 사유: 일부 품절",
                browser.find("#timeline li[data-outcome=refunded] .detail-ko").getText());
        assertEquals("15,000 KRW 결제 확인", browser.find("#timeline li[data-outcome=paid] .detail-ko").getText());
        for (WebElement detail : browser.find("#timeline").findElements(By.cssSelector(".detail-ko"))) {
            assertFalse(detail.getText().matches("(?s).*[a-z]{3,}.*"), "English in: " + detail.getText());
        }
        // the original, for a developer, is one click away and not shown before
        WebElement raw = partly.findElement(By.cssSelector("details.detail-raw"));
        assertFalse(raw.findElement(By.cssSelector("code")).isDisplayed());
        raw.findElement(By.cssSelector("summary")).click();
        assertTrue(raw.findElement(By.cssSelector("code")).getText().startsWith("partly refunded: 5000 KRW of 15000 KRW"),
                raw.getText());
        browser.screenshot("admin-history-korean");
    }

    @Test
    void after_a_full_refund_the_earlier_paid_notice_is_gone_and_only_the_cancelled_state_shows() throws InterruptedException {
        String order = paidCardOrder("노트북 거치대", 15000);

        signIn(TOKEN);
        awaitOrders("all:1");
        browser.click("#orders-body a[data-merchant-uid='" + order + "']");
        awaitDetail(order);
        browser.click("#sync");
        browser.awaitText("#sync-result", "다시 확인했습니다. 주문 상태: 결제 완료");

        refundThroughTheForm("", "고객 변심");

        browser.awaitText("#refund-outcome", "cancelled");
        assertEquals("취소", browser.text("#order-status"));
        assertFalse(browser.find("#sync-result").isDisplayed(), "the notice said 결제 완료 of an order now cancelled");
        // the history keeps what was true then (결제 확인 of a paid payment); the head and the notices say what is true now
        assertFalse(browser.text(".detail-head").contains("결제 완료") || browser.text("#refund-result").contains("결제 완료"),
                browser.text("#detail"));
        assertEquals("15,000 KRW 전액 환불", browser.text("#order-refund"));
        assertEquals("전액 취소 cancelled", browser.text("#payments-body tr td:nth-child(3)"));
        browser.screenshot("admin-full-refund-after-sync");
    }

    @Test
    void a_request_the_server_refuses_as_invalid_is_explained_in_korean_not_as_a_generic_failure() throws InterruptedException {
        String order = paidCardOrder("노트북 거치대", 15000);

        signIn(TOKEN);
        awaitOrders("all:1");
        browser.click("#orders-body a[data-merchant-uid='" + order + "']");
        awaitDetail(order);
        // half a won passes the page's own check (two decimals at most) but no KRW amount has a fraction
        refundThroughTheForm("0.5", "고객 변심");

        await("the refusal", () -> browser.find("#refund-result").getAttribute("class").contains("bad")
                && browser.text("#refund-result").endsWith("(invalid_request)"));
        assertTrue(browser.text("#refund-result").startsWith("요청을 확인해 주세요."), browser.text("#refund-result"));
        assertEquals("paid", shop.get("/orders/" + order).body().path("status").asText());
    }

    @Test
    void every_page_links_a_favicon_the_server_serves_so_no_page_load_asks_in_vain() {
        for (String page : List.of("/admin.html", "/")) {
            assertTrue(Unirest.get(shop.url(page)).asString().getBody().contains("<link rel=\"icon\" href=\"/favicon.svg\""), page);
        }
        var svg = Unirest.get(shop.url("/favicon.svg")).asString();
        assertEquals(200, svg.getStatus());
        assertTrue(svg.getHeaders().getFirst("Content-Type").startsWith("image/svg+xml"), svg.getHeaders().getFirst("Content-Type"));
        // what a browser asks for by itself, on a page without the link (a JSON answer opened in a tab)
        var ico = Unirest.get(shop.url("/favicon.ico")).asBytes();
        assertEquals(200, ico.getStatus());
        assertEquals(List.of(0, 0, 1, 0), List.of((int) ico.getBody()[0], (int) ico.getBody()[1], (int) ico.getBody()[2],
                (int) ico.getBody()[3]), "an ICO header");
    }

    // ---- helpers ----

    /** A card order paid in the sandbox, once PortOne's webhook made it paid. */
    private String paidCardOrder(String name, long amount) throws InterruptedException {
        String order = shop.order(name, amount);
        shop.ok("/sandbox/payments", Map.of("merchant_uid", order, "amount", amount));
        TestServer.eventually(() -> shop.get("/orders/" + order).body().path("status").asText(), "paid");
        return order;
    }

    private JsonNode adminGet(String path) {
        try {
            return json.readTree(Unirest.get(shop.url(path)).header("Authorization", "Bearer " + TOKEN).asString().getBody());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills the refund form (an empty amount refunds all that is left) and confirms in the dialog. */
    private void refundThroughTheForm(String amount, String reason) {
        await("the refund form", () -> browser.find("#refund-form").isDisplayed());
        type("#refund-amount", amount);
        type("#refund-reason", reason);
        browser.click("#refund-submit");
        await("the confirmation dialog", () -> browser.find("#refund-dialog").isDisplayed());
        browser.click("#confirm-refund");
    }

    private void signIn(String token) {
        type("#token", token);
        browser.click("#token-save");
    }

    /** Waits until the orders table finished loading {@code <status or all>:<page>}. */
    private void awaitOrders(String loaded) {
        await("the orders table loaded as " + loaded, () -> loaded.equals(browser.find("#orders").getDomAttribute("data-loaded"))
                && browser.find("#list-view").isDisplayed());
    }

    private void awaitDetail(String merchantUid) {
        await("the detail of " + merchantUid, () -> browser.find("#detail").isDisplayed()
                && merchantUid.equals(browser.text("#order-uid")));
    }

    private List<String> rowIds() {
        return browser.find("#orders-body").findElements(By.cssSelector("tr")).stream()
                .map(row -> row.getDomAttribute("data-merchant-uid")).toList();
    }

    private int timelineSize() {
        return browser.find("#timeline").findElements(By.cssSelector("li")).size();
    }

    // What Browser lacks; proposed there as type(css, text), select(css, value) and await(what, condition).

    private void type(String cssSelector, String text) {
        WebElement field = browser.find(cssSelector);
        field.clear();
        field.sendKeys(text);
    }

    private void select(String cssSelector, String value) {
        new Select(browser.find(cssSelector)).selectByValue(value);
    }

    /** Waits (bounded, 15 s) for a condition on the page; an element replaced meanwhile counts as not yet. */
    private void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (WebDriverException notYet) {
                // no such element yet, or a stale one from before a re-render
            }
            sleep();
        }
        throw new AssertionError("waited in vain for " + what + "; page says: " + browser.text("body"));
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
