package io.github.mdunet.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.testing.SmallShapes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Tiled prediction spread over 2 model copies gives the single-thread result. */
class ParallelPredictorTest {

    @Test
    void twoWorkersPredictTheSameTilesAsOneThread() {
        UNet unet = UNet.build(SmallShapes.model());
        INDArray image = Nd4j.rand(DataType.FLOAT, 3, 80, 70); // 12 tiles of 32 x 32 with overlap 8
        INDArray expected = unet.tiledPredictor(8).predict(image);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (ParallelPredictor parallel = ParallelPredictor.start(unet, 2)) {
            INDArray actual = parallel.tiled(8).predict(image);
            assertThat(actual.shape()).isEqualTo(new long[] {4, 80, 70});
            assertThat(actual.equalsWithEps(expected, 1e-5)).as("parallel tiles equal the single-thread result")
                    .isTrue();
            TiledPredictor recording = new TiledPredictor(tile -> {
                threads.add(Thread.currentThread().getName());
                return parallel.predict(tile);
            }, 32, 32, 8, 4);
            assertThat(recording.predict(image).equalsWithEps(expected, 1e-5)).isTrue();
        }
        assertThat(threads).hasSizeGreaterThan(1);
    }

    /**
     * DL4J's ParallelInference workers caught only exceptions, and its requests waited without a timeout: an
     * out-of-memory Error in a worker left predict waiting forever. It now reaches the caller as the trainer's and
     * UNet.predict's native-memory error.
     */
    @Test
    void anOutOfMemoryErrorInAWorkerReachesTheCaller() {
        UNet unet = UNet.build(SmallShapes.model());
        ComputationGraph failing = new ComputationGraph(unet.graph().getConfiguration().clone()) {
            @Override
            public INDArray outputSingle(boolean train, INDArray... input) {
                throw new OutOfMemoryError("Cannot allocate new LongPointer(1): totalBytes = 256, physicalBytes"
                        + " = 8223M");
            }
        };
        failing.init();
        UNet outOfMemory = unet.withGraph(failing);
        try (ParallelPredictor parallel = ParallelPredictor.start(outOfMemory, 1)) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> parallel.predict(
                    Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32))).isInstanceOf(NativeOutOfMemoryError.class));
        }
    }

    /** A worker that cannot copy the model fails the start, naming itself, instead of failing every tile later. */
    @Test
    void aWorkerThatCannotCopyTheModelFailsTheStart() {
        UNet unet = UNet.build(SmallShapes.model());
        ComputationGraph uncopyable = new ComputationGraph(unet.graph().getConfiguration().clone()) {
            @Override
            public INDArray params() {
                if (Thread.currentThread().getName().endsWith("worker 1")) {
                    throw new IllegalStateException("no copy for worker 1");
                }
                return super.params();
            }
        };
        uncopyable.init();

        assertThatThrownBy(() -> ParallelPredictor.start(unet.withGraph(uncopyable), 2))
                .hasMessageContaining("prediction worker 1 of 2 could not copy the model")
                .hasMessageContaining("no copy for worker 1");
    }

    @Test
    void closingFailsWhatIsStillAskedInsteadOfLeavingItWaiting() {
        ParallelPredictor parallel = ParallelPredictor.start(UNet.build(SmallShapes.model()), 2);
        parallel.close();
        assertThatThrownBy(() -> parallel.predict(Nd4j.rand(DataType.FLOAT, 1, 3, 32, 32)))
                .hasMessageContaining("ParallelPredictor is closed");
    }

    /**
     * Images of a size the U-Net cannot take once reached a worker and failed there with DL4J's errors about inner
     * vertices; they are refused as UNet.predict refuses them, and the sizes it takes give UNet.predict's result.
     */
    @Test
    void imagesOfASizeTheUNetCannotTakeAreRefusedAsUNetPredictRefusesThem() {
        UNet unet = UNet.build(SmallShapes.model());
        int side = SmallShapes.SIZE + 2;
        INDArray odd = Nd4j.rand(DataType.FLOAT, 1, 3, side, side);
        INDArray twice = Nd4j.rand(DataType.FLOAT, 1, 3, 2 * SmallShapes.SIZE, 2 * SmallShapes.SIZE);
        try (ParallelPredictor parallel = ParallelPredictor.start(unet, 1)) {
            assertThatThrownBy(() -> parallel.predict(odd)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("ParallelPredictor.predict got images of " + side + "x" + side
                            + " but this U-Net is built for " + SmallShapes.SIZE + "x" + SmallShapes.SIZE)
                    .hasMessageContaining("unet.tiledPredictor(overlap)");
            assertThat(parallel.predict(twice).equalsWithEps(unet.predict(twice), 1e-5)).isTrue();
        }
    }

    @Test
    void refusesNoWorkersAndNoTilesInFlight() {
        UNet unet = UNet.build(SmallShapes.model());
        assertThatThrownBy(() -> ParallelPredictor.start(unet, 0))
                .hasMessageContaining("workers must be >= 1 but was 0");
        assertThatThrownBy(() -> new TiledPredictor(unet::predict, 32, 32, 8, 0))
                .hasMessageContaining("tilesInFlight must be >= 1 (1 = one tile at a time) but was 0");
    }
}
