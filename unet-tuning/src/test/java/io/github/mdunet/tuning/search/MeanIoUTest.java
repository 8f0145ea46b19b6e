package io.github.mdunet.tuning.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MeanIoUTest {

    /** One 1x4 image: truth [0, 0, 1, 1], prediction [0, 1, 1, 1]: IoU 1/2 for class 0, 2/3 for class 1. */
    @Test
    void matchesHandComputedValues() {
        INDArray labels = oneHot(new int[] {0, 0, 1, 1});
        INDArray predictions = oneHot(new int[] {0, 1, 1, 1}).mul(0.8).add(0.1);
        MeanIoU iou = new MeanIoU(2);
        iou.add(labels, predictions);

        assertThat(iou.iou(0)).isCloseTo(0.5, within(1e-9));
        assertThat(iou.iou(1)).isCloseTo(2.0 / 3, within(1e-9));
        assertThat(iou.meanIoU()).isCloseTo((0.5 + 2.0 / 3) / 2, within(1e-9));
    }

    private static INDArray oneHot(int[] classes) {
        INDArray out = Nd4j.zeros(DataType.FLOAT, 1, 2, 1, classes.length);
        for (int i = 0; i < classes.length; i++) {
            out.putScalar(new long[] {0, classes[i], 0, i}, 1f);
        }
        return out;
    }
}
