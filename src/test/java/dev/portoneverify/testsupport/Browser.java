package dev.portoneverify.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium, driven through its chromedriver (no browser download). Without
 * them the page tests are skipped with one line saying why, unless REQUIRE_BROWSER_TESTS=true
 * (CI installs them and sets it, so there they always run).
 */
public final class Browser implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final WebDriverWait wait;

    private Browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // the flags a root sandbox without network needs; background networking would be refused anyway
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=900,1100", "--lang=ko-KR");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        // the pages re-render parts of themselves: an element found a moment ago may be replaced
        wait.ignoring(StaleElementReferenceException.class);
    }

    public static Browser start() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!installed && !"true".equals(System.getenv("REQUIRE_BROWSER_TESTS"))) {
            System.out.println("SKIPPED browser tests: install Debian's chromium and chromium-driver to run them");
            Assumptions.abort("chromium or chromedriver is not installed");
        }
        return new Browser();
    }

    public void open(String url) {
        driver.get(url);
    }

    public WebElement find(String cssSelector) {
        return driver.findElement(By.cssSelector(cssSelector));
    }

    public void click(String cssSelector) {
        wait.until(d -> {
            WebElement element = d.findElement(By.cssSelector(cssSelector));
            return element.isDisplayed() && element.isEnabled() ? element : null;
        }).click();
    }

    /** Waits (bounded) until the element's text is {@code expected}. */
    public void awaitText(String cssSelector, String expected) {
        try {
            wait.until(d -> expected.equals(d.findElement(By.cssSelector(cssSelector)).getText()));
        } catch (RuntimeException e) {
            throw new AssertionError("'" + cssSelector + "' never read '" + expected + "' but '"
                    + find(cssSelector).getText() + "'; page says: " + find("body").getText(), e);
        }
    }

    public String text(String cssSelector) {
        return find(cssSelector).getText();
    }

    /** Saves a PNG of the page under target/screenshots/. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
