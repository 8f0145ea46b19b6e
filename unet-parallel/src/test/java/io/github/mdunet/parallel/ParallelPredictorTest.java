package io.github.mdunet.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.TiledPredictor;
import io.github.mdunet.data.testing.SmallShapes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
        INDArray expected = TiledPredictor.of(unet, 8).predict(image);
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

    @Test
    void refusesNoWorkersAndNoTilesInFlight() {
        UNet unet = UNet.build(SmallShapes.model());
        assertThatThrownBy(() -> ParallelPredictor.start(unet, 0))
                .hasMessageContaining("workers must be >= 1 but was 0");
        assertThatThrownBy(() -> new TiledPredictor(unet::predict, 32, 32, 8, 0))
                .hasMessageContaining("tilesInFlight must be >= 1 (1 = one tile at a time) but was 0");
    }
}
