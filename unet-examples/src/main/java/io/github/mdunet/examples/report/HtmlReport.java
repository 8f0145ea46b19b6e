package io.github.mdunet.examples.report;

import io.github.mdunet.core.files.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * One self-contained HTML page, written section by section: headings, paragraphs, tables, preformatted text and
 * PNG pictures embedded as data URIs. No script, no style sheet or picture outside the file, so it opens anywhere
 * and can be mailed as it is. The markup is well-formed XML (every element closed, text escaped), which lets a test
 * read it with an XML parser.
 */
public final class HtmlReport {

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
            h1 { font-size: 1.5em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
            table { border-collapse: collapse; margin: 0.5em 0; }
            th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: right; }
            th { background: #f0f0f0; } td.name, th.name { text-align: left; }
            pre { background: #f7f7f7; padding: 0.6em; white-space: pre-wrap; font-size: 0.85em; }
            figure { display: inline-block; margin: 0.4em; vertical-align: top; }
            figure img { max-width: 100%; border: 1px solid #ddd; image-rendering: pixelated; }
            figcaption { font-size: 0.85em; color: #555; }
            """;

    private final String title;
    private final StringBuilder body = new StringBuilder();

    public HtmlReport(String title) {
        this.title = title;
    }

    /** A section heading; {@code id} is its anchor. */
    public HtmlReport section(String id, String heading) {
        body.append("<h2 id=\"").append(escape(id)).append("\">").append(escape(heading)).append("</h2>\n");
        return this;
    }

    public HtmlReport paragraph(String text) {
        body.append("<p>").append(escape(text)).append("</p>\n");
        return this;
    }

    /** A two-column table of names and values. */
    public HtmlReport definitions(String id, Map<String, String> values) {
        body.append("<table id=\"").append(escape(id)).append("\">\n");
        values.forEach((name, value) -> body.append("<tr><th class=\"name\">").append(escape(name))
                .append("</th><td class=\"name\">").append(escape(value)).append("</td></tr>\n"));
        body.append("</table>\n");
        return this;
    }

    /** A table; the first column is left-aligned (names), the others right-aligned (numbers). */
    public HtmlReport table(String id, List<String> header, List<List<String>> rows) {
        body.append("<table id=\"").append(escape(id)).append("\">\n<tr>");
        for (int c = 0; c < header.size(); c++) {
            body.append(c == 0 ? "<th class=\"name\">" : "<th>").append(escape(header.get(c))).append("</th>");
        }
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            for (int c = 0; c < row.size(); c++) {
                body.append(c == 0 ? "<td class=\"name\">" : "<td>").append(escape(row.get(c))).append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        return this;
    }

    public HtmlReport preformatted(String id, String text) {
        body.append("<pre id=\"").append(escape(id)).append("\">").append(escape(text)).append("</pre>\n");
        return this;
    }

    /** A PNG picture embedded in the page, with its caption. */
    public HtmlReport picture(String caption, BufferedImage image) {
        body.append("<figure><img src=\"data:image/png;base64,").append(png(image)).append("\" alt=\"")
                .append(escape(caption)).append("\" width=\"").append(image.getWidth()).append("\" height=\"")
                .append(image.getHeight()).append("\"/><figcaption>").append(escape(caption))
                .append("</figcaption></figure>\n");
        return this;
    }

    /** The page. */
    public String html() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body
                + "</body>\n</html>\n";
    }

    /**
     * Writes the page atomically: a kill or a full disk leaves the earlier page (a resumed run's) or the new one,
     * never half of one.
     */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        String page = html();
        AtomicFiles.durable().writeString(file, page);
    }

    /**
     * {@code text} as markup shows it: {@code & < > "} escaped, and the control characters that XML 1.0 forbids (a
     * file name may hold them) shown as U+FFFD, so the page stays well-formed.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\t', '\n', '\r' -> out.append(c);
                default -> out.append(c < 0x20 || c == 0xFFFE || c == 0xFFFF ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static String png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a picture for the report", e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
