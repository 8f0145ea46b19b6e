package io.github.mdunet.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads a report as a test checks it: as XML (its markup is), and in a headless browser where one is installed. */
public final class ReportPages {

    private static final List<String> BROWSERS = List.of("chromium-headless-shell", "chromium", "chromium-browser",
            "google-chrome");

    private ReportPages() {
    }

    public static Document read(Path page) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(page.toFile());
    }

    static Element byId(Document page, String id) throws Exception {
        Element element = (Element) XPathFactory.newInstance().newXPath().evaluate("//*[@id='" + id + "']", page,
                XPathConstants.NODE);
        assertThat(element).as("element with id '%s'", id).isNotNull();
        return element;
    }

    /** The text of the element with {@code id}. */
    public static String text(Document page, String id) throws Exception {
        return byId(page, id).getTextContent();
    }

    /** The data rows (rows with cells, not only headings) of the table with {@code id}. */
    public static int rows(Document page, String id) throws Exception {
        NodeList rows = byId(page, id).getElementsByTagName("tr");
        int count = 0;
        for (int i = 0; i < rows.getLength(); i++) {
            count += ((Element) rows.item(i)).getElementsByTagName("td").getLength() > 0 ? 1 : 0;
        }
        return count;
    }

    /** Every picture of the page, decoded from its data URI (so none refers to a file outside it). */
    public static List<BufferedImage> pictures(Document page) throws IOException {
        NodeList images = page.getElementsByTagName("img");
        List<BufferedImage> decoded = new ArrayList<>();
        for (int i = 0; i < images.getLength(); i++) {
            String source = ((Element) images.item(i)).getAttribute("src");
            assertThat(source).startsWith("data:image/png;base64,");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(java.util.Base64.getDecoder().decode(
                    source.substring(source.indexOf(',') + 1))));
            assertThat(image).as("picture %d", i).isNotNull();
            decoded.add(image);
        }
        return decoded;
    }

    /**
     * Opens the page in a headless Chromium, when one is on the PATH (Debian: {@code apt-get install
     * chromium-headless-shell}): the DOM it built holds {@code texts}, and its screenshot is not blank. Without a
     * browser this says so and checks nothing more than the XML reading did.
     */
    public static void checkInBrowserIfInstalled(Path page, Path work, String... texts) throws Exception {
        Optional<String> browser = BROWSERS.stream().filter(ReportPages::onPath).findFirst();
        if (browser.isEmpty()) {
            System.out.println("No headless browser on the PATH (" + BROWSERS + "): the report was checked as XML");
            return;
        }
        String url = page.toAbsolutePath().toUri().toString();
        String dom = run(work, browser.get(), "--no-sandbox", "--disable-gpu", "--dump-dom", url);
        assertThat(dom).contains(texts);
        Path screenshot = work.resolve("report-screenshot.png");
        run(work, browser.get(), "--no-sandbox", "--disable-gpu", "--window-size=1200,2400",
                "--screenshot=" + screenshot, url);
        BufferedImage shot = ImageIO.read(screenshot.toFile());
        assertThat(shot.getWidth()).isEqualTo(1200);
        long coloured = 0;
        for (int y = 0; y < shot.getHeight(); y += 4) {
            for (int x = 0; x < shot.getWidth(); x += 4) {
                int rgb = shot.getRGB(x, y) & 0xFFFFFF;
                coloured += rgb != 0xFFFFFF ? 1 : 0;
            }
        }
        assertThat(coloured).as("non-white pixels of the screenshot").isGreaterThan(1000);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }

    private static String run(Path work, String... command) throws Exception {
        Path log = Files.createTempFile(work, "browser", ".out");
        Process process = new ProcessBuilder(command).redirectOutput(log.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 90 s");
        }
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
