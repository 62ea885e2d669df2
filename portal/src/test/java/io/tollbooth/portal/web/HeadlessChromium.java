package io.tollbooth.portal.web;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless {@code chromium} driven through its {@code chromium-driver}, for the browser tests. Both come
 * from the system's packages ({@code .ci/run} installs them), never downloaded by Selenium; the paths can be changed
 * with {@code -Dtollbooth.test.chromium=…} and {@code -Dtollbooth.test.chromedriver=…}.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final Path CHROMIUM = Path.of(System.getProperty("tollbooth.test.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER =
            Path.of(System.getProperty("tollbooth.test.chromedriver", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;
    private final Path downloads;
    private final Path screenshots;

    private HeadlessChromium(ChromeDriver driver, Path downloads, Path screenshots) {
        this.driver = driver;
        this.downloads = downloads;
        this.screenshots = screenshots;
    }

    /** Why the browser tests cannot run here, or empty when chromium and its driver are installed. */
    static Optional<String> missing() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            return Optional.of("headless chromium is not installed (" + CHROMIUM + ", " + CHROMEDRIVER
                    + "): apt-get install chromium chromium-driver, as .ci/run does");
        }
        return Optional.empty();
    }

    /**
     * Starts a browser whose downloads land in {@code artifacts/downloads} without asking and whose screenshots are
     * kept in {@code artifacts/screenshots}.
     */
    static HeadlessChromium start(Path artifacts) throws IOException {
        Path downloads = Files.createDirectories(artifacts.resolve("downloads"));
        try (Stream<Path> earlier = Files.list(downloads)) {
            for (Path file : earlier.toList()) {
                Files.delete(file);
            }
        }
        Path screenshots = Files.createDirectories(artifacts.resolve("screenshots"));
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--window-size=1280,1000", "--lang=en-US");
        options.setExperimentalOption("prefs", Map.of(
                "download.default_directory", downloads.toString(),
                "download.prompt_for_download", false,
                "intl.accept_languages", "en-US"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(driver, downloads, screenshots);
    }

    ChromeDriver driver() {
        return driver;
    }

    Path downloads() {
        return downloads;
    }

    /** Keeps what the browser shows now as {@code <name>.png}, a test artifact. */
    Path screenshot(String name) throws IOException {
        File shot = driver.getScreenshotAs(OutputType.FILE);
        Path kept = screenshots.resolve(name + ".png");
        Files.copy(shot.toPath(), kept, StandardCopyOption.REPLACE_EXISTING);
        return kept;
    }

    /** Forgets every cookie of every site, so that the next visit signs in again, as someone else if need be. */
    void signOutEverywhere() {
        driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    }

    @Override
    public void close() {
        driver.quit();
    }
}
