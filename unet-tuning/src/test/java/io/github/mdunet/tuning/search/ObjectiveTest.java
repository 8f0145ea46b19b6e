package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.metrics.SegmentationEvaluation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.BrightShapes;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The search's mean IoU counts what core's {@link SegmentationEvaluation} counts. */
class ObjectiveTest {

    private static final int SIZE = 32;

    /**
     * Pixels the labels mask ignores (all-zero one-hot labels, as the data pipeline gives them for --mask-ignore) are
     * not scored, as background or otherwise.
     */
    @Test
    void meanIoUSkipsThePixelsTheLabelsMaskIgnores() {
        UNet unet = UNet.build(SearchFixtures.tinyUNet(SIZE));
        DataSet data = BrightShapes.generate(2, SIZE, 3);
        INDArray mask = Nd4j.ones(data.getFeatures().dataType(), 2, 1, SIZE, SIZE);
        mask.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, SIZE / 2))
                .assign(0);
        INDArray labels = data.getLabels().mul(mask);
        DataSet masked = new DataSet(data.getFeatures(), labels, null, mask);

        double score = Objective.MEAN_IOU.score(unet, new ListDataSetIterator<>(masked.asList(), 2));

        INDArray predictions = unet.predict(data.getFeatures());
        SegmentationEvaluation expected = new SegmentationEvaluation();
        expected.eval(labels, predictions, mask);
        SegmentationEvaluation ignoredAsBackground = new SegmentationEvaluation();
        ignoredAsBackground.eval(labels.add(mask.rsub(1).repeat(1, 2).mul(Nd4j.create(new float[] {1, 0})
                .reshape(1, 2, 1, 1))), predictions);
        assertThat(ignoredAsBackground.meanIoU()).as("the ignored pixels scored as background")
                .isNotCloseTo(expected.meanIoU(), within(1e-6));
        assertThat(score).isCloseTo(expected.meanIoU(), within(1e-9));
    }

    /** A one-channel sigmoid head has two classes, its output thresholded at 0.5; not one class always right. */
    @Test
    void meanIoUOfAOneChannelSigmoidHeadThresholdsAtAHalf() {
        UNet unet = UNet.build(SearchFixtures.tinyUNet(SIZE).toBuilder().numClasses(1)
                .head(new HeadActivation.Sigmoid()).build());
        DataSet data = BrightShapes.generate(2, SIZE, 4);
        INDArray foreground = data.getLabels().get(NDArrayIndex.all(), NDArrayIndex.interval(1, 2),
                NDArrayIndex.all(), NDArrayIndex.all()).dup();
        DataSet binary = new DataSet(data.getFeatures(), foreground);

        double score = Objective.MEAN_IOU.score(unet, new ListDataSetIterator<>(binary.asList(), 2));

        SegmentationEvaluation expected = new SegmentationEvaluation(2);
        expected.eval(foreground, unet.predict(data.getFeatures()));
        assertThat(expected.meanIoU()).as("an untrained network's mean IoU").isLessThan(1.0);
        assertThat(score).isCloseTo(expected.meanIoU(), within(1e-9));
    }

    /** The search's message and chart name the score so. */
    @Test
    void eachObjectiveHasTheLabelTheSearchShows() {
        assertThat(Objective.MEAN_IOU.label()).isEqualTo("mean IoU");
        assertThat(Objective.LOSS.label()).isEqualTo("loss");
    }
}
