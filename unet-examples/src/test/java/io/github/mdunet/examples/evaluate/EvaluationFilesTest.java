package io.github.mdunet.examples.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationFilesTest {

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
