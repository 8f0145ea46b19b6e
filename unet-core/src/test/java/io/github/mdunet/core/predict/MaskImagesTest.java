package io.github.mdunet.core.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.metrics.SegmentationEvaluation;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MaskImagesTest {

    /** A sigmoid output is class 1 from the threshold on, as {@link SegmentationEvaluation} counts it. */
    @Test
    void aSigmoidOutputIsClassOneFromTheThresholdOnAsTheEvaluationCountsIt() {
        INDArray probabilities = Nd4j.create(new float[] {0.25f, 0.5f, 0.75f, 1f}, 1, 1, 4);
        assertThat(MaskImages.classIds(probabilities)).isDeepEqualTo(new int[][] {{0, 1, 1, 1}});
        assertThat(MaskImages.classIds(probabilities, 0.75)).isDeepEqualTo(new int[][] {{0, 0, 1, 1}});
        for (double threshold : new double[] {0.5, 0.75}) {
            int[][] ids = MaskImages.classIds(probabilities, threshold);
            INDArray labels = Nd4j.create(DataType.FLOAT, 1, 1, 1, 4);
            for (int x = 0; x < 4; x++) {
                labels.putScalar(new int[] {0, 0, 0, x}, ids[0][x]);
            }
            SegmentationEvaluation evaluation = new SegmentationEvaluation(2, null, true, threshold);
            evaluation.eval(labels, probabilities.reshape(1, 1, 1, 4));
            assertThat(evaluation.pixelAccuracy()).as("threshold %s", threshold).isEqualTo(1.0);
        }
    }

    @Test
    void aThresholdOutsideZeroToOneIsNamed() {
        INDArray probabilities = Nd4j.create(new float[] {0.25f}, 1, 1, 1);
        assertThatThrownBy(() -> MaskImages.classIds(probabilities, 1.0))
                .hasMessageContaining("threshold must be in (0, 1) but was 1.0");
    }

    /** Past the palette, classes cycle over its class colours: never the background's black. */
    @Test
    void classesPastThePaletteCycleOverItsClassColours() {
        int[][] ids = {{0, 1, 11, 12, 22, 23, 24}};
        BufferedImage overlay = MaskImages.overlay(new BufferedImage(7, 1, BufferedImage.TYPE_INT_RGB), ids, 1.0);
        List<Integer> palette = MaskImages.PALETTE;
        int[] expected = {0, palette.get(1), palette.get(11), palette.get(1), palette.get(11), palette.get(1),
            palette.get(2)};
        for (int x = 0; x < ids[0].length; x++) {
            assertThat(overlay.getRGB(x, 0) & 0xFFFFFF).as("class %d", ids[0][x]).isEqualTo(expected[x]);
            assertThat(MaskImages.colourOf(ids[0][x])).as("class %d", ids[0][x]).isEqualTo(expected[x]);
        }
    }
}
