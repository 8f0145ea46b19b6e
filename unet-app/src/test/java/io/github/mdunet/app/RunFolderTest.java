package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RunFolderTest {

    @Test
    void keepsTheSpellingsOfEarlierRuns() {
        assertThat(RunFolder.checkpoints(Path.of("output", "train"))).isEqualTo(Path.of("output", "train",
                "checkpoints"));
        assertThat(RunFolder.CHECKPOINTS_SET_ASIDE).isEqualTo("checkpoints-previous-<date>-<time>");
    }
}
