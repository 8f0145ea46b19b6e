package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.app.MaskPaletteConverterTest.FolderApp;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The validation options of every app that trains on a folder: a split or a folder, said once. */
class SegmentationFolderOptionsTest {

    private static int run(StringWriter err, String... args) {
        return CommandLines.of(new FolderApp()).setErr(new PrintWriter(err, true)).execute(args);
    }

    /** Once, --validation-fraction was silently ignored beside --val-data. */
    @Test
    void aValidationFractionBesideAValidationFolderIsABadOption() {
        for (String fraction : new String[] {"0.3", "0.2"}) {
            StringWriter err = new StringWriter();
            int exit = run(err, "--val-data", "checked", "--validation-fraction", fraction);

            assertThat(exit).as(err.toString()).isEqualTo(ExitCode.BAD_OPTION.code());
            assertThat(err.toString()).contains("--validation-fraction " + fraction + " and --val-data checked both"
                    + " choose the validation images: give --val-data (a folder of its own) or --validation-fraction"
                    + " (a random split of --data), not both", "Usage: folder-app").doesNotContain("\tat ");
        }
    }

    @Test
    void eitherAloneIsAcceptedAndTheFractionKeepsItsDefault() {
        assertThat(run(new StringWriter(), "--val-data", "checked")).isZero();
        assertThat(run(new StringWriter(), "--validation-fraction", "0.3")).isZero();
        assertThat(run(new StringWriter())).isZero();
        StringWriter err = new StringWriter();
        assertThat(run(err, "--validation-fraction", "1")).isEqualTo(ExitCode.BAD_OPTION.code());
        assertThat(err.toString()).contains("--validation-fraction must be in (0, 1) but was 1.0");
    }
}
