package io.github.mdunet.examples.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationFilesTest {

    /** ADE20K's 150 classes: a picture about 2,000 px wide, not 12,700 (648 MB of heap at the end of a run). */
    @Test
    void aConfusionMatrixOfManyClassesStaysAReadableSize() {
        long[][] confusion = new long[150][150];
        for (int k = 0; k < 150; k++) {
            confusion[k][k] = 10;
        }
        List<String> names = java.util.stream.IntStream.range(0, 150).mapToObj(String::valueOf).toList();

        java.awt.image.BufferedImage picture = ConfusionMatrixImage.of(confusion, names);

        assertThat(picture.getWidth()).isLessThanOrEqualTo(2200).isEqualTo(picture.getHeight());
        assertThat(ConfusionMatrixImage.cellSide(4)).as("few classes keep their large cells").isEqualTo(84);
    }

    /** A 12-megapixel photograph's strip is drawn 1,024 px high at most, a 20 px image's larger. */
    @Test
    void stripsOfLargePhotographsAreDrawnSmaller() {
        java.awt.image.BufferedImage photo = new java.awt.image.BufferedImage(2400, 1200,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        int[][] classes = new int[1200][2400];

        java.awt.image.BufferedImage strip = OverlayStrip.of(photo, classes, classes);

        assertThat(strip.getWidth()).isEqualTo(3 * 1024);
        assertThat(strip.getHeight()).isEqualTo(512);
        java.awt.image.BufferedImage tiny = new java.awt.image.BufferedImage(20, 10,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        assertThat(OverlayStrip.of(tiny, new int[10][20], new int[10][20]).getWidth()).isEqualTo(3 * 20 * 9);
    }

    /** A name with a comma or a quote stays one field, so the columns after it do not shift. */
    @Test
    void namesWithCommasOrQuotesAreQuotedFields() {
        String csv = EvaluationFiles.confusionCsv(new long[][] {{1, 2}, {3, 4}}, List.of("dog, brown", "say \"hi\""));

        assertThat(csv).isEqualTo("actual\\predicted,\"dog, brown\",\"say \"\"hi\"\"\"\n"
                + "\"dog, brown\",1,2\n"
                + "\"say \"\"hi\"\"\",3,4\n");
        assertThat(EvaluationFiles.csvField("plain_name.png")).isEqualTo("plain_name.png");
        assertThat(EvaluationFiles.csvField("two\nlines")).isEqualTo("\"two\nlines\"");
    }
}
