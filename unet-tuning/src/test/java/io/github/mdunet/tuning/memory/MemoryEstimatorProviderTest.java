package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.nativememory.MemoryRequirementEstimator;
import io.github.mdunet.core.nativememory.NativeMemoryErrors;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.nativememory.Workload;
import io.github.mdunet.core.nativememory.Workload.Phase;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

class MemoryEstimatorProviderTest {

    private static final UNetConfig CONFIG = UNetConfig.builder()
            .encoder(new ClassicEncoder(3, 16, Normalization.BATCH))
            .input(new ImageShape(3, 96, 96))
            .numClasses(2)
            .build();

    @Test
    void isFoundByServiceLoaderFromUnetCore() {
        assertThat(ServiceLoader.load(MemoryRequirementEstimator.class).stream().map(ServiceLoader.Provider::type))
                .contains(MemoryEstimatorProvider.class);
    }

    @Test
    void givesTheEstimatorsTrainingAndInferenceFigures() {
        MemoryEstimate estimate = new MemoryEstimator().estimate(CONFIG, 4);
        MemoryEstimatorProvider provider = new MemoryEstimatorProvider();

        assertThat(provider.estimateBytes(new Workload(Phase.TRAINING_STEP, CONFIG, 4, CONFIG.input())))
                .hasValue(estimate.total());
        assertThat(provider.estimateBytes(new Workload(Phase.PREDICTION, CONFIG, 4, CONFIG.input())))
                .hasValue(estimate.inference());
        assertThat(provider.estimateBytes(new Workload(Phase.VALIDATION, CONFIG, 0, CONFIG.input()))).isEmpty();
    }

    /** DOUBLE measured 3.8 GiB where it was estimated at 2.2: an out-of-memory message must not quote such a figure. */
    @Test
    void givesNothingForADataTypeTheEstimateIsNotBackedFor() {
        UNetConfig twice = CONFIG.withDataType(DataType.DOUBLE);
        assertThat(new MemoryEstimatorProvider().estimateBytes(new Workload(Phase.TRAINING_STEP, twice, 4,
                twice.input()))).isEmpty();
        UNetConfig half = CONFIG.toBuilder().dataType(DataType.HALF).updater(new Sgd(1e-3)).build();
        assertThat(new MemoryEstimatorProvider().estimateBytes(new Workload(Phase.TRAINING_STEP, half, 4,
                half.input()))).as("HALF, measured as FLOAT").isPresent();
    }

    @Test
    void estimatesTheShapeThatWasGiven() {
        ImageShape larger = new ImageShape(3, 192, 192);

        assertThat(new MemoryEstimatorProvider().estimateBytes(new Workload(Phase.TRAINING_STEP, CONFIG, 4, larger)))
                .hasValue(new MemoryEstimator().estimate(CONFIG.withInput(larger), 4).total());
    }

    @Test
    void theNativeMemoryErrorQuotesTheEstimate() {
        OutOfMemoryError javaCpp = new OutOfMemoryError("Cannot allocate new PointerPointer(1): totalBytes = 256, "
                + "physicalBytes = 8223M");
        javaCpp.initCause(new OutOfMemoryError(
                "Physical memory usage is too high: physicalBytes (8223M) > maxPhysicalBytes (8192M)"));
        Workload step = new Workload(Phase.TRAINING_STEP, CONFIG, 4, CONFIG.input());

        assertThatThrownBy(() -> NativeMemoryErrors.throwIfOutOfNativeMemory(javaCpp, step))
                .isInstanceOfSatisfying(NativeOutOfMemoryError.class, e -> assertThat(e.estimatedBytes())
                        .hasValue(new MemoryEstimator().estimate(CONFIG, 4).total()))
                .hasMessageContaining("for training at batch 4 on top of the idle process (estimate of unet-tuning's "
                        + "MemoryEstimator)");
    }
}
