package realty.local.ops;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The operator page in a real browser: headless Chromium (Debian's chromium and chromium-driver,
 * installed by scripts/browser-deps.sh) logs in at /admin, sees a dead letter and its degraded
 * queue, replays it once the cause is fixed, and sees the queue healthy again. Screenshots go to
 * target/ for the record.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminPageBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration PAGE_WAIT = Duration.ofSeconds(45);

    private final SwitchableAuditFunction.Faults faults = new SwitchableAuditFunction.Faults();
    private OpsSystem t;
    private WebDriver browser;
    private Path profile;

    @BeforeAll
    void start() throws Exception {
        installBrowser();
        t = new OpsSystem(faults, Map.of("realty.retry.audit.max-attempts", 2, "realty.retry.audit.delays", List.of("200ms")));
        profile = Files.createTempDirectory("realty-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage",
                // nothing but this machine's loopback: the page only talks to its own origin
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1",
                "--window-size=1600,1200", "--user-data-dir=" + profile);
        // The driver is named explicitly, so Selenium Manager never looks for (or downloads) one.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (t != null) {
            t.close();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void anOperatorLogsInSeesTheDeadLetterReplaysItAndTheQueueIsHealthyAgain() throws Exception {
        String admin = t.adminToken();
        String company = t.createCompany(admin, "Browser Agency");
        UUID event = t.createUser(admin, OpsSystem.email("broken"), company);
        OpsSystem.eventually(Duration.ofSeconds(15), () -> {
            try {
                return t.depth("audit_events.dlq") == 1;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        faults.broken.set(false); // the cause is fixed; now the operator replays

        browser.get(t.system.baseUrl() + "/admin");
        WebDriverWait wait = new WebDriverWait(browser, PAGE_WAIT);
        // The page re-renders its tables on every poll: an element found just before a re-render is stale.
        wait.ignoring(StaleElementReferenceException.class);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys("admin");
        browser.findElement(By.id("password")).sendKeys(OpsSystem.ADMIN_PASSWORD);
        browser.findElement(By.id("login")).click();

        By queueRow = By.cssSelector("#queues tr[data-queue='audit_events']");
        By deadLetterRow = By.cssSelector("#dead-letters tr[data-id='" + event + "']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(deadLetterRow));
        wait.until(ExpectedConditions.attributeToBe(queueRow, "data-status", "degraded"));
        WebElement row = browser.findElement(deadLetterRow);
        assertTrue(row.getText().contains("attempts-exhausted"), row.getText());
        assertTrue(row.getText().contains("the audit store is unavailable"), row.getText());
        screenshot("admin-page-dead-letter.png");

        row.findElement(By.cssSelector("button.replay")).click();

        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("message"), "Replayed 1 message(s)"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(deadLetterRow));
        wait.until(ExpectedConditions.attributeToBe(queueRow, "data-status", "healthy"));
        wait.until(ExpectedConditions.textToBe(By.id("overall-status"), "healthy"));
        assertEquals("0", browser.findElement(queueRow).findElement(By.cssSelector("td.dlq")).getText());
        assertEquals(1, faults.handled(event));

        // The event lookup shows it processed by its consumer.
        browser.findElement(By.id("event-id")).sendKeys(event.toString());
        browser.findElement(By.id("event-lookup")).click();
        wait.until(ExpectedConditions.textToBe(By.id("event-status"), "PROCESSED"));
        screenshot("admin-page-after-replay.png");
    }

    private void screenshot(String name) throws Exception {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Runs scripts/browser-deps.sh (found walking up from the working directory) when the browser is missing. */
    private static void installBrowser() throws Exception {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        Path script = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null && script == null; dir = dir.getParent()) {
            Path candidate = dir.resolve("scripts/browser-deps.sh");
            script = Files.isRegularFile(candidate) ? candidate : null;
        }
        if (script == null) {
            throw new IllegalStateException("chromium is missing and scripts/browser-deps.sh was not found");
        }
        Process p = new ProcessBuilder("bash", script.toString()).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException(script + " failed; install chromium and chromium-driver");
        }
    }
}
