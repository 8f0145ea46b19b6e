package io.github.mdunet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.encoder.ClassicEncoder;
import org.junit.jupiter.api.Test;

/** The changed components of two configurations, named down to the innermost record's field. */
class RecordChangesTest {

    private static UNetConfig config(int depth) {
        return UNetConfig.builder().encoder(new ClassicEncoder(depth, 4, Normalization.BATCH))
                .input(new ImageShape(1, 32, 32)).numClasses(2).build();
    }

    @Test
    void namesEachChangedFieldWithBothValuesAndNothingElse() {
        UNetConfig saved = config(2);
        assertThat(RecordChanges.between("UNetConfig", saved, saved)).isEmpty();
        UNetConfig now = config(3).toBuilder().numClasses(3).build();
        assertThat(RecordChanges.between("UNetConfig", saved, now)).containsExactly(
                "UNetConfig.encoder.depth: 2 in the checkpoint, 3 now",
                "UNetConfig.numClasses: 2 in the checkpoint, 3 now");
    }

    @Test
    void refusesRecordsOfTwoClasses() {
        assertThatThrownBy(() -> RecordChanges.between("", new ImageShape(1, 2, 3), config(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("records of two classes");
    }
}
