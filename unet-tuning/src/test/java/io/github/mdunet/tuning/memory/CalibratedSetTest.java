package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * What the estimate says of configurations the correction was not fitted on: HALF counted as FLOAT, DOUBLE refused by
 * a budget, and a note for each difference from the calibrated cases (with the error measured, where there is one).
 */
class CalibratedSetTest {

    private static final UNetConfig FLOAT = new CalibrationCase("classic:2:4", 32, 2, ChannelReduction.EQ_SKIP, 1.0)
            .toConfig();

    private final MemoryEstimator estimator = new MemoryEstimator();

    /**
     * HALF measured the same as FLOAT on the CPU backend; it was estimated at half of FLOAT. (With SGD: HALF refuses
     * the Adam family, see {@code HalfPrecisionUpdaters}.)
     */
    @Test
    void halfIsEstimatedAsFloatAndSaysSo() {
        UNetConfig sgd = FLOAT.toBuilder().updater(new Sgd(1e-3)).build();
        MemoryEstimate half = estimator.estimate(sgd.withDataType(DataType.HALF), 2);
        MemoryEstimate single = estimator.estimate(sgd, 2);

        assertThat(half.total()).isEqualTo(single.total());
        assertThat(half.inference()).isEqualTo(single.inference());
        assertThat(half.dataType()).isEqualTo(DataType.HALF);
        assertThat(half.calibrationNotes()).singleElement().asString().startsWith("HALF is not calibrated: counted as"
                + " FLOAT").contains("1.1 GiB both");
        assertThat(half.budgetCheckable()).isTrue();
        assertThat(MemoryBudget.ofGiB(24).fits(half)).isTrue();
        assertThat(half.toTable()).contains("note: HALF is not calibrated");
        assertThat(half.toString()).contains("HALF is not calibrated");
    }

    /** A DOUBLE network measured 3.8 GiB where it was estimated at 2.2 GiB: a budget must not admit it. */
    @Test
    void aBudgetRefusesToJudgeADoubleNetwork() {
        MemoryEstimate estimate = estimator.estimate(FLOAT.withDataType(DataType.DOUBLE), 2);

        assertThat(estimate.calibrationNotes()).singleElement().asString().startsWith("DOUBLE is not calibrated")
                .contains("3.8 GiB", "2.2 GiB");
        assertThat(estimate.budgetCheckable()).isFalse();
        assertThatThrownBy(() -> MemoryBudget.ofGiB(24).fits(estimate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the memory budget of 24.0 GiB cannot judge the estimate of a DOUBLE network")
                .hasMessageContaining("measured 3.8 GiB")
                .hasMessageContaining("Train in FLOAT (UNetConfig.withDataType(DataType.FLOAT)")
                .hasMessageContaining("MemoryBudget.unlimited()");
        assertThat(MemoryBudget.unlimited().fits(estimate)).as("no budget, nothing to judge").isTrue();
    }

    /** The flags must not fire on what was calibrated: every default case is within the calibration. */
    @Test
    void theCalibratedCasesCarryNoNote() {
        for (CalibrationCase c : MemoryCalibration.DEFAULT_CASES) {
            assertThat(MemoryEstimator.calibrationNotes(c.toConfig())).as(c.toString()).isEmpty();
        }
        MemoryEstimate estimate = estimator.estimate(FLOAT, 2);
        assertThat(estimate.withinCalibration()).isTrue();
        assertThat(estimate.toTable()).doesNotContain("note:");
    }

    /** Measured outside the calibration: mid attention 15.8% low, plain bilinear upsampling 18.5% low. */
    @Test
    void midAttentionAndBilinearUpsamplingCarryTheirMeasuredErrors() {
        MemoryEstimate attention = estimator.estimate(FLOAT.toBuilder().midAttention(true).build(), 2);
        MemoryEstimate bilinear = estimator.estimate(FLOAT.withUpsample(new UpsampleMode.Bilinear()), 2);

        assertThat(attention.calibrationNotes()).singleElement().asString()
                .startsWith("mid attention is outside the calibration").contains("15.8% below the measurement");
        assertThat(attention.budgetCheckable()).as("flagged, still judged").isTrue();
        assertThat(bilinear.calibrationNotes()).singleElement().asString()
                .startsWith("bilinear upsampling is outside the calibration").contains("18.5% below the measurement");
        assertThat(bilinear.toTable()).contains("note: bilinear upsampling");
    }

    @Test
    void otherFeaturesOutsideTheCalibrationAreFlaggedAsNotMeasured() {
        UNetConfig everything = FLOAT.toBuilder().upsample(new UpsampleMode.Transposed()).attentionGates(1)
                .lastCross(true).normalization(Normalization.NONE).dataType(DataType.DOUBLE).midAttention(true).build();

        assertThat(estimator.estimate(everything, 2).calibrationNotes()).hasSize(6)
                .anySatisfy(note -> assertThat(note).startsWith("transposed upsampling").endsWith("not measured"))
                .anySatisfy(note -> assertThat(note).startsWith("attention gates").endsWith("not measured"))
                .anySatisfy(note -> assertThat(note).startsWith("the last cross").endsWith("not measured"))
                .anySatisfy(note -> assertThat(note).startsWith("normalization NONE").endsWith("not measured"));
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.withUpsample(new UpsampleMode.PixelShuffle(true))))
                .containsExactly("pixelShuffleBlur upsampling is outside the calibration (pixel shuffle):"
                        + " not measured");
    }
}
