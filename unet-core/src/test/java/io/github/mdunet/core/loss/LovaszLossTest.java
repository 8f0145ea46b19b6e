package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.loss.LovaszLoss.Surrogate;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Lovasz-Softmax loss against its definition: {@code 1 - IoU} at predictions of 0s and 1s (the extension agrees
 * with the set function on its vertices), a hand computation of Berman et al.'s algorithm, and its handling of
 * absent classes, masks and class weights, probabilities given (identity activation); the sigmoid head's hinge on
 * the logits against smp's {@code _lovasz_hinge}, written out here as smp writes it.
 */
class LovaszLossTest extends DoubleOneThreadTestBase {

    private static final ActivationIdentity GIVEN = new ActivationIdentity();

    private static INDArray rows(double[][] values) {
        return Nd4j.createFromArray(values).castTo(DataType.DOUBLE);
    }

    /** At 0/1 predictions the loss is the mean over present classes of 1 - IoU, on random label maps. */
    @Test
    void atHardPredictionsItIsOneMinusTheMeanIou() {
        SplittableRandom random = new SplittableRandom(3);
        int pixels = 40;
        int classes = 3;
        for (int trial = 0; trial < 20; trial++) {
            double[][] labels = new double[pixels][classes];
            double[][] predicted = new double[pixels][classes];
            for (int i = 0; i < pixels; i++) {
                labels[i][random.nextInt(classes - 1)] = 1; // class 2 never occurs: absent
                predicted[i][random.nextInt(classes)] = 1;
            }
            double expected = 0;
            for (int c = 0; c < 2; c++) {
                int intersection = 0;
                int union = 0;
                for (int i = 0; i < pixels; i++) {
                    intersection += labels[i][c] == 1 && predicted[i][c] == 1 ? 1 : 0;
                    union += labels[i][c] == 1 || predicted[i][c] == 1 ? 1 : 0;
                }
                expected += (1 - intersection / (double) union) / 2;
            }
            assertThat(new LovaszLoss().computeScore(rows(labels), rows(predicted), GIVEN, null, false))
                    .as("trial %d", trial).isCloseTo(expected, within(1e-12));
        }
    }

    /**
     * One class, foreground pixels a and b, background c: p = (0.9, 0.3, 0.4), errors (0.1, 0.7, 0.4). Sorted: b
     * (0.7, fg), c (0.4, bg), a (0.1, fg); Jaccard losses of the growing mistake sets 1 - 1/2, 1 - 1/3, 1 - 0/3,
     * increments 0.5, 1/6, 1/3: loss 0.7 * 0.5 + 0.4 / 6 + 0.1 / 3 = 0.45.
     */
    @Test
    void aHandComputedExample() {
        INDArray labels = rows(new double[][] {{1}, {1}, {0}});
        INDArray probabilities = rows(new double[][] {{0.9}, {0.3}, {0.4}});
        LovaszLoss loss = new LovaszLoss();
        assertThat(loss.computeScore(labels, probabilities, GIVEN, null, false)).isCloseTo(0.45, within(1e-12));
        assertThat(loss.computeGradient(labels, probabilities, GIVEN, null).toDoubleVector())
                .containsExactly(new double[] {-1 / 3.0, -0.5, 1 / 6.0}, within(1e-12));
    }

    /** Masked rows are left out; an absent class adds nothing and is not averaged in; weights weigh present ones. */
    @Test
    void masksAbsentClassesAndWeights() {
        INDArray labels = rows(new double[][] {{1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 1, 0}});
        INDArray probabilities = rows(new double[][] {{0.6, 0.3, 0.1}, {0.2, 0.7, 0.1}, {0.1, 0.8, 0.1},
            {0.5, 0.4, 0.1}});
        INDArray mask = rows(new double[][] {{1}, {1}, {0}, {1}});
        INDArray kept = rows(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 1, 0}});
        INDArray keptProbabilities = rows(new double[][] {{0.6, 0.3, 0.1}, {0.2, 0.7, 0.1}, {0.5, 0.4, 0.1}});
        LovaszLoss uniform = new LovaszLoss();
        assertThat(uniform.computeScore(labels, probabilities, GIVEN, mask, false))
                .isCloseTo(uniform.computeScore(kept, keptProbabilities, GIVEN, null, false), within(1e-12));

        LovaszLoss.Result perClass = LovaszLoss.compute(kept.data().asDouble(), keptProbabilities.data().asDouble(),
                null, false, 3, 3, 1, null, Surrogate.SOFTMAX, false);
        double[] single = new double[2];
        for (int c = 0; c < 2; c++) {
            INDArray column = kept.getColumn(c).reshape(3, 1);
            INDArray probabilityColumn = keptProbabilities.getColumn(c).reshape(3, 1);
            single[c] = uniform.computeScore(column, probabilityColumn, GIVEN, null, false);
        }
        assertThat(perClass.groupLoss()[0]).as("the mean of the two present classes only")
                .isCloseTo((single[0] + single[1]) / 2, within(1e-12));
        LovaszLoss weighted = new LovaszLoss(new double[] {3, 1, 100}, 0, Surrogate.SOFTMAX);
        assertThat(weighted.computeScore(kept, keptProbabilities, GIVEN, null, false))
                .as("weights of present classes; the absent one's has no say")
                .isCloseTo((3 * single[0] + single[1]) / 4, within(1e-12));
    }

    /** One loss per example with pixelsPerExample: the sum of the examples' losses, the mean with average. */
    @Test
    void perExampleGroups() {
        INDArray labels = rows(new double[][] {{1}, {0}, {0}, {1}});
        INDArray probabilities = rows(new double[][] {{0.8}, {0.3}, {0.6}, {0.1}});
        LovaszLoss perExample = new LovaszLoss(null, 2, Surrogate.SOFTMAX);
        double first = new LovaszLoss().computeScore(rows(new double[][] {{1}, {0}}),
                rows(new double[][] {{0.8}, {0.3}}), GIVEN, null, false);
        double second = new LovaszLoss().computeScore(rows(new double[][] {{0}, {1}}),
                rows(new double[][] {{0.6}, {0.1}}), GIVEN, null, false);
        assertThat(perExample.computeScore(labels, probabilities, GIVEN, null, false))
                .isCloseTo(first + second, within(1e-12));
        assertThat(perExample.computeScore(labels, probabilities, GIVEN, null, true))
                .isCloseTo((first + second) / 2, within(1e-12));
        LovaszLoss mismatched = new LovaszLoss(null, 3, Surrogate.SOFTMAX);
        assertThatThrownBy(() -> mismatched.computeScore(labels, probabilities, GIVEN, null, false))
                .hasMessageContaining("LovaszLoss.pixelsPerExample is 3 but the minibatch has 4 rows");
    }

    /**
     * For a sigmoid head a channel without foreground counts: every pixel is a false alarm, and the loss is the
     * largest probability (Berman's lovasz_grad with no foreground), its gradient 1 there; a softmax head's absent
     * class adds nothing.
     */
    @Test
    void aSigmoidChannelWithoutForegroundCountsItsLargestFalseAlarm() {
        INDArray empty = rows(new double[][] {{0}, {0}, {0}});
        INDArray probabilities = rows(new double[][] {{0.2}, {0.7}, {0.4}});
        LovaszLoss sigmoid = new LovaszLoss(null, 0, Surrogate.SIGMOID_PROBABILITIES);
        assertThat(sigmoid.computeScore(empty, probabilities, GIVEN, null, false)).isCloseTo(0.7, within(1e-12));
        assertThat(sigmoid.computeGradient(empty, probabilities, GIVEN, null).toDoubleVector())
                .containsExactly(new double[] {0, 1, 0}, within(1e-12));
        assertThat(new LovaszLoss().computeScore(empty, probabilities, GIVEN, null, false)).isZero();
    }

    /**
     * smp's {@code _lovasz_hinge_flat} of one channel's logits and 0/1 labels: hinge errors {@code 1 - z s} sorted
     * from the largest, {@code lovasz_grad} of the sorted labels as cumulative sums, the dot product of the errors'
     * positive parts with it.
     */
    private static double smpLovaszHingeFlat(double[] logits, double[] labels) {
        int n = logits.length;
        double[] errors = IntStream.range(0, n).mapToDouble(i -> 1 - logits[i] * (2 * labels[i] - 1)).toArray();
        Integer[] order = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(i -> -errors[i]))
                .toArray(Integer[]::new);
        double gts = Arrays.stream(labels).sum();
        double cumulativeForeground = 0;
        double cumulativeBackground = 0;
        double previousJaccard = 0;
        double loss = 0;
        for (int k = 0; k < n; k++) {
            double label = labels[order[k]];
            cumulativeForeground += label;
            cumulativeBackground += 1 - label;
            double jaccard = 1 - (gts - cumulativeForeground) / (gts + cumulativeBackground);
            loss += Math.max(errors[order[k]], 0) * (jaccard - previousJaccard);
            previousJaccard = jaccard;
        }
        return loss;
    }

    /**
     * A sigmoid head's hinge is smp's binary {@code LovaszLoss} per channel: on random logits and labels (one channel
     * without foreground in one example), per example and weighted over channels, the score is the weighted mean of
     * smp's per-channel values, summed over examples.
     */
    @Test
    void theHingeOfEachChannelIsSmpsBinaryLovasz() {
        SplittableRandom random = new SplittableRandom(5);
        int pixels = 30;
        int examples = 2;
        int channels = 3;
        double[] weights = {1.0, 0.5, 2.0};
        double[][] labels = new double[examples * pixels][channels];
        double[][] logits = new double[examples * pixels][channels];
        for (int row = 0; row < examples * pixels; row++) {
            for (int c = 0; c < channels; c++) {
                boolean emptyChannel = row < pixels && c == 2;
                labels[row][c] = !emptyChannel && random.nextDouble() < 0.4 ? 1 : 0;
                logits[row][c] = random.nextDouble(-3, 3);
            }
        }
        double expected = 0;
        for (int e = 0; e < examples; e++) {
            double weighted = 0;
            for (int c = 0; c < channels; c++) {
                double[] channelLogits = new double[pixels];
                double[] channelLabels = new double[pixels];
                for (int i = 0; i < pixels; i++) {
                    channelLogits[i] = logits[e * pixels + i][c];
                    channelLabels[i] = labels[e * pixels + i][c];
                }
                weighted += weights[c] * smpLovaszHingeFlat(channelLogits, channelLabels);
            }
            expected += weighted / Arrays.stream(weights).sum();
        }
        LovaszLoss hinge = new LovaszLoss(weights, pixels, Surrogate.SIGMOID_HINGE);
        assertThat(hinge.computeScore(rows(labels), rows(logits), new ActivationSigmoid(), null, false))
                .isCloseTo(expected, within(1e-12));
    }

    /**
     * One channel, foreground a and b, background c, logits (2, -1, 0.5): hinge errors (-1, 2, 1.5), sorted b (2, fg),
     * c (1.5, bg), a (-1, fg); increments 0.5, 1/6, 1/3 as in {@link #aHandComputedExample()}: loss 2 * 0.5 + 1.5 / 6
     * = 1.25, and the gradient by the logits -0.5 at b, 1/6 at c and 0 at a, whose error is below 0. The head's
     * activation is not applied: the hinge reads the logits.
     */
    @Test
    void theHingeReadsTheLogitsAndLeavesPixelsBeyondTheMarginAlone() {
        INDArray labels = rows(new double[][] {{1}, {1}, {0}});
        INDArray logits = rows(new double[][] {{2}, {-1}, {0.5}});
        LovaszLoss hinge = new LovaszLoss(null, 0, Surrogate.SIGMOID_HINGE);
        for (var activation : List.of(GIVEN, new ActivationSigmoid())) {
            assertThat(hinge.computeScore(labels, logits, activation, null, false)).isCloseTo(1.25, within(1e-12));
            assertThat(hinge.computeGradient(labels, logits, activation, null).toDoubleVector())
                    .containsExactly(new double[] {0, -0.5, 1 / 6.0}, within(1e-12));
        }
        INDArray empty = rows(new double[][] {{0}, {0}, {0}});
        assertThat(hinge.computeScore(empty, logits, GIVEN, null, false))
                .as("no foreground: the largest hinge error, 1 + 2").isCloseTo(3, within(1e-12));
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> new LovaszLoss(null, -1, Surrogate.SOFTMAX))
                .hasMessageContaining("LovaszLoss.pixelsPerExample must be >= 0");
        assertThatThrownBy(() -> new LovaszLoss(new double[] {1, -2}, 0, Surrogate.SOFTMAX))
                .hasMessageContaining("LovaszLoss").hasMessageContaining("-2.0");
        assertThatThrownBy(() -> new LovaszLoss(null, 0, null))
                .hasMessageContaining("LovaszLoss.surrogate must be one of [SOFTMAX, SIGMOID_HINGE,"
                        + " SIGMOID_PROBABILITIES] but was null");
    }
}
