package io.github.mdunet.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

/** The page is well-formed, self-contained (pictures inside it) and escapes what it shows. */
class HtmlReportTest {

    @Test
    void writesWellFormedSelfContainedMarkup() throws Exception {
        BufferedImage picture = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        String html = new HtmlReport("run <1> & \"2\"").section("metrics", "Metrics")
                .definitions("options", Map.of("--data", "a&b"))
                .table("per-class", List.of("class", "IoU"), List.of(List.of("<cat>", "0.5")))
                .preformatted("plan", "x < y").picture("a picture", picture).html();
        Document page = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(html)));
        assertThat(page.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("run <1> & \"2\"");
        assertThat(ReportPages.rows(page, "per-class")).isEqualTo(1);
        assertThat(html).contains("<td class=\"name\">&lt;cat&gt;</td>", "x &lt; y", "a&amp;b")
                .doesNotContain("<script", "http://", "https://");
        List<BufferedImage> images = ReportPages.pictures(page);
        assertThat(images).hasSize(1);
        assertThat(images.get(0).getWidth()).isEqualTo(7);
    }

    /** A file name may hold control characters, which XML 1.0 forbids: they once made the page unreadable as XML. */
    @Test
    void controlCharactersInWhatItShowsKeepThePageWellFormed() throws Exception {
        String html = new HtmlReport("run\u0001").section("worst", "Worst images")
                .table("images", List.of("image"), List.of(List.of("cat\u001b[31m.png\tx"))).html();
        Document page = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(html)));

        assertThat(page.getElementsByTagName("title").item(0).getTextContent()).isEqualTo("run\uFFFD");
        assertThat(html).contains("cat\uFFFD[31m.png\tx");
    }

    @Test
    void writingReplacesAnEarlierPageWholeAndLeavesNoOtherFile(@TempDir Path directory) throws Exception {
        Path file = directory.resolve("report.html");
        Files.writeString(file, "an earlier run's report");
        HtmlReport report = new HtmlReport("run 2").section("metrics", "Metrics");
        report.write(file);

        assertThat(file).hasContent(report.html());
        try (Stream<Path> files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }
}
