package dev.portoneverify.checkout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portoneverify.testsupport.Browser;
import dev.portoneverify.testsupport.TestServer;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The checkout page in headless Chromium, against the server in sandbox mode. */
class CheckoutPageTest {
    @RegisterExtension
    final TestServer shop = TestServer.sandboxMode();
    private Browser browser;

    @BeforeEach
    void start() {
        browser = Browser.start();
        browser.open(shop.url("/"));
        browser.awaitText("#mode", "샌드박스 모드: PortOne 키 없이 내장 시뮬레이터로 결제합니다.");
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void a_card_payment_ends_paid() {
        browser.click("#pay");
        browser.click("#window-pay");

        browser.awaitText("#result-title", "결제 완료");
        browser.awaitText("#result-status", "결제 완료");
        assertTrue(Files.exists(browser.screenshot("checkout-card-paid")));
    }

    @Test
    void a_virtual_account_waits_for_the_deposit_and_ends_paid_after_it() {
        browser.click("input[name=pay-method][value=vbank]");
        browser.click("#pay");
        browser.click("#window-pay");

        browser.awaitText("#result-title", "가상계좌 발급");
        browser.awaitText("#result-status", "입금 대기");
        assertEquals("KB국민은행", browser.text("#vbank-name"));
        assertFalse(browser.text("#vbank-num").isBlank());
        browser.screenshot("checkout-vbank-issued");

        browser.click("#deposit");

        browser.awaitText("#result-title", "입금 확인, 결제 완료");
        browser.awaitText("#result-status", "결제 완료");
        browser.screenshot("checkout-vbank-paid");
    }

    @Test
    void a_forged_amount_ends_rejected_and_the_order_unpaid() {
        browser.click("#tamper");
        browser.click("#pay");
        browser.click("#window-pay");

        browser.awaitText("#result-title", "위조된 결제");
        browser.awaitText("#result-status", "결제 대기");
        assertTrue(browser.text("#result-message").startsWith("위조된 결제시도"));
        browser.screenshot("checkout-forgery-rejected");
    }

    @Test
    void a_declined_card_ends_with_a_clear_failure() {
        browser.click("#pay");
        browser.click("#window-decline");

        browser.awaitText("#result-title", "결제 실패");
        assertTrue(browser.text("#result-message").contains("카드사 승인이 거절되었습니다"), browser.text("#result-message"));
        browser.screenshot("checkout-card-declined");
    }

    @Test
    void input_the_server_refuses_in_english_is_explained_to_the_buyer_in_korean() {
        browser.find("#buyer-tel").clear();
        browser.find("#buyer-tel").sendKeys("call me maybe");
        browser.click("#pay");

        browser.awaitText("#result-title", "입력을 확인해 주세요");
        assertEquals("휴대폰 번호를 010-1234-5678처럼 입력해 주세요", browser.text("#result-message"));
        assertFalse(browser.text("#result").matches("(?s).*[A-Za-z].*"), "no English: " + browser.text("#result"));
        browser.screenshot("checkout-bad-phone");
    }
}
