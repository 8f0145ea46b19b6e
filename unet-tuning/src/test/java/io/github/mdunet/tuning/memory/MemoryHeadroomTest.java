package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** An app's word before its first step: the estimate against the native memory limit, and a warning past it. */
class MemoryHeadroomTest {

    private static final UNetConfig CONFIG = new CalibrationCase("classic:3:8", 64, 2, ChannelReduction.EQ_SKIP, 1.0)
            .toConfig();
    private static final long USED = 300L << 20;

    private final MemoryEstimate estimate = new MemoryEstimator().estimate(CONFIG, 2);

    @Test
    void aRunUnderTheLimitFitsAndGetsNoWarning() {
        MemoryHeadroom headroom = new MemoryHeadroom(estimate, 1, USED, USED + estimate.total());

        assertThat(headroom.fits()).isTrue();
        assertThat(headroom.warning("--batch")).isEmpty();
        assertThat(headroom.line()).isEqualTo("Training memory: about " + MemoryBudget.format(estimate.total())
                + " estimated; 300.0 MiB in use, native memory limit " + MemoryBudget.format(USED + estimate.total()));
        assertThat(new MemoryHeadroom(estimate, 1, USED, 0).line()).endsWith("native memory limit none");
    }

    @Test
    void aRunOverTheLimitIsWarnedOfWithTheFiguresAndTheFixes() {
        long limit = USED + 2 * estimate.total() - 1;
        MemoryHeadroom oneCopy = new MemoryHeadroom(estimate, 1, USED, limit);
        MemoryHeadroom twoCopies = new MemoryHeadroom(estimate, 2, USED, limit);

        assertThat(oneCopy.fits()).isTrue();
        assertThat(twoCopies.fits()).isFalse();
        assertThat(twoCopies.neededBytes()).isEqualTo(2 * estimate.total());
        assertThat(twoCopies.line()).contains("(2 model copies x " + MemoryBudget.format(estimate.total()) + ")");
        assertThat(twoCopies.warning("--batch")).hasValueSatisfying(warning -> assertThat(warning)
                .startsWith("warning: the training step is estimated at " + MemoryBudget.format(2 * estimate.total())
                        + ", which with the 300.0 MiB this process holds is over its native memory limit of "
                        + MemoryBudget.format(limit) + " (org.bytedeco.javacpp.maxphysicalbytes)")
                .contains("Lower --batch or the workers", "-Dorg.bytedeco.javacpp.maxphysicalbytes=..."));
    }

    /** What an app prints: the line, then the warning only for a run over the limit. */
    @Test
    void aReportIsTheLineAndTheWarningWhenThereIsOne() {
        MemoryHeadroom over = new MemoryHeadroom(estimate, 1, USED, USED);
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        over.report(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8), "--batch");

        assertThat(printed.toString(java.nio.charset.StandardCharsets.UTF_8).lines().toList())
                .containsExactly(over.line(), over.warning("--batch").orElseThrow());
    }

    /** DOUBLE measured far above its estimate: no judgement rather than a wrong one. */
    @Test
    void aDoubleRunIsNotJudged() {
        MemoryEstimate doubles = new MemoryEstimator().estimate(CONFIG.withDataType(DataType.DOUBLE), 2);
        MemoryHeadroom headroom = new MemoryHeadroom(doubles, 1, USED, USED + 1);

        assertThat(headroom.fits()).isTrue();
        assertThat(headroom.line()).contains("outside the estimator's calibration (DOUBLE: not judged");
    }

    @Test
    void copiesAreAtLeastOne() {
        assertThatThrownBy(() -> new MemoryHeadroom(estimate, 0, USED, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("copies");
    }
}
