package io.github.mdunet.core.loss;

import static io.github.mdunet.core.loss.LossFixtures.HEIGHT;
import static io.github.mdunet.core.loss.LossFixtures.WIDTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.loss.LovaszLoss.Surrogate;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Every loss x {softmax K=3, sigmoid K=1} x {plain, class weights, class weights + row mask}, plus sigmoid K=3
 * multi-label with weights and mask: computeGradient equals central differences of computeScore (double
 * precision), and the score methods agree with each other.
 */
class LossGradientTest extends DoubleOneThreadTestBase {

    enum Head {
        SOFTMAX(3), SIGMOID_BINARY(1), SIGMOID_MULTI_LABEL(3);

        final int classes;

        Head(int classes) {
            this.classes = classes;
        }

        IActivation activation() {
            return this == SOFTMAX ? new ActivationSoftmax() : new ActivationSigmoid();
        }

        INDArray labels(long seed) {
            return this == SOFTMAX ? LossFixtures.oneHotLabels(seed, classes)
                    : LossFixtures.binaryLabels(seed, classes);
        }

        double[] weights() {
            return classes == 1 ? new double[] {2.5} : new double[] {0.5, 2.0, 1.25};
        }
    }

    enum Variant { PLAIN, WEIGHTED, WEIGHTED_AND_MASKED }

    /** Makes the loss under test for a head and class weights (or null). */
    interface LossFactory {
        ILossFunction create(Head head, double[] classWeights);
    }

    private record NamedLoss(String name, LossFactory factory) {
    }

    private static final List<NamedLoss> LOSSES =
            List.of(
                    new NamedLoss("DiceLoss per minibatch", (head, w) -> new DiceLoss(w, 1.0, 0)),
                    new NamedLoss("DiceLoss per example", (head, w) -> new DiceLoss(w, 0.5, HEIGHT * WIDTH)),
                    new NamedLoss("TverskyLoss per minibatch", (head, w) -> new TverskyLoss(w, 0.3, 0.7, 1.0, 0)),
                    new NamedLoss("TverskyLoss per example", (head, w) -> new TverskyLoss(w, 0.8, 0.1, 0.5,
                            HEIGHT * WIDTH)),
                    new NamedLoss("FocalLoss gamma 2", (head, w) -> new FocalLoss(2.0,
                            head == Head.SOFTMAX ? null : 0.25, w)),
                    new NamedLoss("FocalLoss gamma 0.5", (head, w) -> new FocalLoss(0.5, null, w)),
                    new NamedLoss("FocalLoss gamma 0 (cross-entropy)", (head, w) -> new FocalLoss(0, null, w)),
                    new NamedLoss("PixelMeanLoss of cross-entropy", (head, w) -> new PixelMeanLoss(
                            FocalLoss.crossEntropy(w), HEIGHT * WIDTH)),
                    new NamedLoss("CrossEntropyDiceLoss per minibatch",
                            (head, w) -> new CrossEntropyDiceLoss(1.0, 1.0, w, 1.0, 0)),
                    new NamedLoss("CrossEntropyDiceLoss per example", (head, w) -> new CrossEntropyDiceLoss(0.7, 1.3, w,
                            1.0, HEIGHT * WIDTH)),
                    new NamedLoss("LovaszLoss per minibatch", (head, w) -> new LovaszLoss(w, 0, lovasz(head))),
                    new NamedLoss("LovaszLoss per example", (head, w) -> new LovaszLoss(w, HEIGHT * WIDTH,
                            lovasz(head))),
                    new NamedLoss("LovaszLoss on probabilities", (head, w) -> new LovaszLoss(w, HEIGHT * WIDTH,
                            head == Head.SOFTMAX ? Surrogate.SOFTMAX : Surrogate.SIGMOID_PROBABILITIES)));

    /** The head's Lovasz, as {@code HeadLosses} picks it. */
    private static Surrogate lovasz(Head head) {
        return head == Head.SOFTMAX ? Surrogate.SOFTMAX : Surrogate.SIGMOID_HINGE;
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (NamedLoss loss : LOSSES) {
            for (Head head : List.of(Head.SOFTMAX, Head.SIGMOID_BINARY)) {
                for (Variant variant : Variant.values()) {
                    cases.add(Arguments.of(loss.name(), head, variant, loss.factory()));
                }
            }
            cases.add(Arguments.of(loss.name(), Head.SIGMOID_MULTI_LABEL, Variant.WEIGHTED_AND_MASKED,
                    loss.factory()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, {1}, {2}")
    @MethodSource("cases")
    void gradientEqualsFiniteDifferencesOfScore(String name, Head head, Variant variant,
            LossFactory factory) {
        ILossFunction loss = factory.create(head, variant == Variant.PLAIN ? null : head.weights());
        INDArray labels = head.labels(7);
        INDArray preOutput = LossFixtures.preOutput(11, head.classes);
        INDArray mask = variant == Variant.WEIGHTED_AND_MASKED ? LossFixtures.rowMask() : null;
        IActivation activation = head.activation();

        LossFixtures.assertGradientMatchesScore(loss, labels, preOutput, activation, mask);

        double score = loss.computeScore(labels, preOutput, activation, mask, false);
        assertThat(score).isFinite().isPositive();
        INDArray scoreArray = loss.computeScoreArray(labels, preOutput, activation, mask);
        assertThat(scoreArray.shape()).containsExactly(LossFixtures.ROWS, 1);
        assertThat(scoreArray.sumNumber().doubleValue()).as("score array sums to the score").isCloseTo(score,
                within(1e-9));
        Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, preOutput, activation, mask, false);
        assertThat(both.getFirst()).isCloseTo(score, within(1e-12));
        assertThat(both.getSecond()).isEqualTo(loss.computeGradient(labels, preOutput, activation, mask));
        assertThat(loss.computeScore(labels, preOutput, activation, mask, true)).isLessThanOrEqualTo(score);
    }

    /** A class absent from one example's labels counts 0 there: the gradient stays that of the score. */
    @Test
    void aClassAbsentFromAnExampleIsDifferentiatedConsistently() {
        INDArray labels = LossFixtures.oneHotLabels(7, 3);
        for (int row = LossFixtures.HEIGHT * LossFixtures.WIDTH; row < LossFixtures.ROWS; row++) {
            labels.putRow(row, Nd4j.createFromArray(new double[] {row % 2, 1 - row % 2, 0}));
        }
        INDArray logits = LossFixtures.preOutput(11, 3);
        int pixels = LossFixtures.HEIGHT * LossFixtures.WIDTH;
        double[] weights = {0.5, 2.0, 1.25};
        for (ILossFunction loss : new ILossFunction[] {new DiceLoss(weights, 1.0, pixels),
            new TverskyLoss(weights, 0.3, 0.7, 1.0, pixels), new CrossEntropyDiceLoss(1.0, 1.0, weights, 1.0,
                    pixels), new LovaszLoss(weights, pixels, Surrogate.SOFTMAX),
            new LovaszLoss(weights, pixels, Surrogate.SIGMOID_PROBABILITIES),
            new LovaszLoss(weights, pixels, Surrogate.SIGMOID_HINGE)}) {
            LossFixtures.assertGradientMatchesScore(loss, labels, logits, new ActivationSoftmax(),
                    LossFixtures.rowMask());
            LossFixtures.assertGradientMatchesScore(loss, labels, logits, new ActivationSigmoid(), null);
        }
    }

    /** A per-output mask {@code [rows, K]} (DL4J's other mask form) enters the score and gradient consistently. */
    @Test
    void perOutputMasksAreDifferentiatedConsistently() {
        INDArray mask = LossFixtures.rowMask().repeat(1, 3);
        mask.putScalar(2, 1, 0.0);
        mask.putScalar(7, 0, 0.0);
        INDArray logits = LossFixtures.preOutput(13, 3);
        for (ILossFunction loss : new ILossFunction[] {new DiceLoss(null, 1.0, HEIGHT * WIDTH), new FocalLoss(),
                new CrossEntropyDiceLoss(), new LovaszLoss(null, HEIGHT * WIDTH, Surrogate.SIGMOID_PROBABILITIES),
            new LovaszLoss(null, HEIGHT * WIDTH, Surrogate.SIGMOID_HINGE)}) {
            LossFixtures.assertGradientMatchesScore(loss, LossFixtures.binaryLabels(3, 3), logits,
                    new ActivationSigmoid(), mask);
        }
        LossFixtures.assertGradientMatchesScore(new DiceLoss(), LossFixtures.oneHotLabels(3, 3), logits,
                new ActivationSoftmax(), mask);
    }
}
