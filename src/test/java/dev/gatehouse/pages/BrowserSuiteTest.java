package dev.gatehouse.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gatehouse.testing.LocalOidcProvider;
import dev.gatehouse.testing.MailServer;
import dev.gatehouse.testing.NodePackages;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, section 4: the pages clicked through in Debian's Chromium with Playwright (src/test/browser, Node's
 * playwright-core with {@code executablePath}; no browser is ever downloaded), against this Gatehouse with
 * mail really sent. The scenarios ask this test for what only it can see (the link in a mail) over the
 * process's stdin and stdout. Screenshots of every page, at desktop and phone widths, land in
 * target/screenshots; axe-core runs on each. Fails, never skips, without Chromium or Node: {@code .ci/run}
 * installs Chromium.
 */
@QuarkusTest
@TestProfile(LocalOidcProvider.Profile.class)
class BrowserSuiteTest {
    private static final Path SOURCES = Path.of("src/test/browser");
    private static final Path WORK = Path.of("target/browser");
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    /** A link in a mail: its path and query, which the test server answers whatever host the mail names. */
    private static final Pattern LINK = Pattern.compile("https?://[^/\\s]+(/[^\\s\"<>]+)");

    @TestHTTPResource("/")
    URL base;

    @Test
    void everyScenarioPassesInChromium() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), CHROMIUM + " is missing: install Debian's chromium (bash .ci/run does)");
        NodePackages.prepare(SOURCES, WORK, "playwright-core");

        ProcessBuilder run = new ProcessBuilder("node", "run.mjs").directory(WORK.toFile()).redirectErrorStream(true);
        run.environment().put("GATEHOUSE_URL", base.toString().replaceAll("/$", ""));
        run.environment().put("SCREENSHOTS", Path.of("target/screenshots").toAbsolutePath().toString());
        run.environment().put("CHROMIUM", CHROMIUM.toString());
        Process node = run.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter answers = new PrintWriter(node.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                System.out.println("[browser] " + line);
                output.add(line);
                if (line.startsWith("ASK ")) {
                    answers.println(answer(line.substring(4)));
                }
            }
        } finally {
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                fail("the browser scenarios did not end");
            }
        }
        assertEquals(0, node.exitValue(), "the browser scenarios failed:\n" + String.join("\n", output));
        assertTrue(output.stream().anyMatch(line -> line.startsWith("ok: ")), "the scenarios checked something");
    }

    /** Links already handed to the scenarios: each question wants a mail that came after the last one. */
    private final java.util.Set<String> handedOut = new java.util.HashSet<>();

    /**
     * What a scenario asked: "link-mailed-to <address>" is the link (with a path) of the newest mail to that
     * address not handed out before, on this server (the mail names the configured issuer's host). Mail leaves
     * through the outbox, so it may take a moment.
     */
    private String answer(String question) throws Exception {
        String[] parts = question.split(" ", 2);
        if (parts[0].equals("link-mailed-to")) {
            long deadline = System.currentTimeMillis() + 15_000;
            do {
                List<MimeMessage> mails = MailServer.messagesTo(parts[1]);
                for (MimeMessage mail : mails.reversed()) {
                    Matcher link = LINK.matcher(String.valueOf(mail.getContent()));
                    if (link.find() && handedOut.add(link.group(1))) {
                        return base.toString().replaceAll("/$", "") + link.group(1);
                    }
                }
                Thread.sleep(100);
            } while (System.currentTimeMillis() < deadline);
        }
        return "NONE " + question;
    }
}
