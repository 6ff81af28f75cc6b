package dev.portoneverify.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.Browser;
import dev.portoneverify.testsupport.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The checkout page paying through PortOne V2 in headless Chromium, against the sandbox (which simulates both). */
class CheckoutPageV2Test {
    private static final String ADMIN = "checkout-v2-admin-token-0123456789";
    private Browser browser;
    private TestServer shop;

    @BeforeEach
    void start() {
        browser = Browser.start();
        shop = TestServer.sandboxMode(java.util.Map.of("ADMIN_TOKEN", ADMIN)).started();
        browser.open(shop.url("/"));
        browser.awaitText("#mode", "샌드박스 모드: PortOne 키 없이 내장 시뮬레이터로 결제합니다.");
        browser.click("input[name=portone-version][value=v2]");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (shop != null) {
            shop.close();
        }
    }

    @Test
    void a_v2_card_payment_ends_paid_and_the_order_shows_v2() {
        browser.click("#pay");
        browser.click("#window-pay");

        browser.awaitText("#result-title", "결제 완료");
        browser.awaitText("#result-status", "결제 완료");
        String order = browser.text("#result-order");
        assertEquals("v2", shop.admin("GET", "/orders/" + order, ADMIN, null).body().path("payment")
                .path("portone_version").asText());
        browser.screenshot("checkout-v2-card-paid");
    }

    @Test
    void a_v2_virtual_account_shows_the_korean_bank_name_and_ends_paid_after_the_deposit() {
        browser.click("input[name=pay-method][value=vbank]");
        browser.click("#pay");
        browser.click("#window-pay");

        browser.awaitText("#result-title", "가상계좌 발급");
        assertEquals("국민은행", browser.text("#vbank-name"));
        browser.click("#deposit");
        browser.awaitText("#result-title", "입금 확인, 결제 완료");
        browser.awaitText("#result-status", "결제 완료");
        browser.screenshot("checkout-v2-vbank-paid");
    }

    @Test
    void a_v2_forged_amount_ends_rejected_and_the_order_unpaid() {
        browser.click("#tamper");
        browser.click("#pay");
        browser.click("#window-pay");

        browser.awaitText("#result-title", "위조된 결제");
        browser.awaitText("#result-status", "결제 대기");
        assertTrue(browser.text("#result-message").startsWith("위조된 결제시도"));
    }
}
