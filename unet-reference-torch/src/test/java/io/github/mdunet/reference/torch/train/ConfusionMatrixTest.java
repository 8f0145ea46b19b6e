package io.github.mdunet.reference.torch.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    @Test
    void iouPerClassAndTheMeanLeaveOutAbsentClasses() {
        ConfusionMatrix confusion = new ConfusionMatrix(4);
        // Class 0: 3 right, 1 predicted as 1. Class 1: 2 right. Class 2: 1 predicted as 0. Class 3: absent.
        confusion.add(new long[] {0, 0, 0, 0, 1, 1, 2}, new long[] {0, 0, 0, 1, 1, 1, 0});

        double[] iou = confusion.perClassIoU();
        assertThat(iou[0]).isCloseTo(3.0 / 5, offset(1e-12));
        assertThat(iou[1]).isCloseTo(2.0 / 3, offset(1e-12));
        assertThat(iou[2]).isZero();
        assertThat(iou[3]).isNaN();
        assertThat(confusion.meanIoU()).isCloseTo((3.0 / 5 + 2.0 / 3 + 0) / 3, offset(1e-12));
        assertThat(confusion.pixelAccuracy()).isCloseTo(5.0 / 7, offset(1e-12));
    }

    @Test
    void sampleStandardDeviationUsesNMinusOne() {
        assertThat(TrainRun.sampleStd(new double[] {0.5, 0.7, 0.9})).isCloseTo(0.2, offset(1e-12));
        assertThat(TrainRun.sampleStd(new double[] {0.5})).isNaN();
    }
}
