package io.github.mdunet.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import io.github.mdunet.core.testing.LossGraphs;
import io.github.mdunet.core.testing.LossNumericGradient;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * The feature loss on a tiny random frozen network ({@link TinyFeatures}), in double precision: its value against a
 * computation written out with loops, its gradient against central differences (directly and through DL4J's own
 * gradient check of a graph), and its refusals.
 */
class FeatureLossTest extends DoubleOneThreadTestBase {

    private static final int EXAMPLES = 2;
    private static final int HEIGHT = 6;
    private static final int WIDTH = 8;
    private static final int CHANNELS = 3;
    private static final int ROWS = EXAMPLES * HEIGHT * WIDTH;
    private static final List<Double> LAYER_WEIGHTS = List.of(1.5, 0.5);

    private static FeatureLoss loss(double pixelWeight, double gramWeight) {
        return new FeatureLoss(new TinyFeatures(7, LAYER_WEIGHTS), InputNormalization.UNIT_RANGE, pixelWeight,
                gramWeight, HEIGHT, WIDTH);
    }

    /** The loss through {@link DropoutAndBatchNormFeatures}, with a Gram weight of 1. */
    private static FeatureLoss lossThroughDropoutAndBatchNorm(double pixelWeight) {
        return new FeatureLoss(new DropoutAndBatchNormFeatures(), InputNormalization.UNIT_RANGE, pixelWeight, 1.0,
                HEIGHT, WIDTH);
    }

    /** Rows as CnnLossLayer hands them: [N*H*W, C], example, then row, then column. */
    private static INDArray rows(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.DOUBLE, ROWS, CHANNELS);
    }

    @Test
    void valueMatchesAComputationWrittenOutWithLoops() {
        INDArray labels = rows(1);
        INDArray output = rows(2);
        double pixelWeight = 0.7;
        double gramWeight = 3.0;
        double[] expected = expectedLosses(labels, output, pixelWeight, gramWeight);

        FeatureLoss loss = loss(pixelWeight, gramWeight);
        assertThat(loss.computeScore(labels, output, new ActivationIdentity(), null, false))
                .isCloseTo(expected[0] + expected[1], within(1e-9));
        assertThat(loss.computeScore(labels, output, new ActivationIdentity(), null, true))
                .isCloseTo((expected[0] + expected[1]) / 2, within(1e-9));
        INDArray perRow = loss.computeScoreArray(labels, output, new ActivationIdentity(), null);
        assertThat(perRow.shape()).containsExactly(ROWS, 1);
        double firstExample = perRow.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, HEIGHT * WIDTH))
                .sumNumber().doubleValue();
        assertThat(firstExample).isCloseTo(expected[0], within(1e-9));
    }

    @Test
    void theGramTermsAndThePixelTermCount() {
        INDArray labels = rows(1);
        INDArray output = rows(2);
        ActivationIdentity identity = new ActivationIdentity();
        double featuresOnly = loss(0, 0).computeScore(labels, output, identity, null, false);
        assertThat(loss(1, 0).computeScore(labels, output, identity, null, false) - featuresOnly)
                .as("the pixel term is the mean absolute error per example, summed over examples")
                .isCloseTo(absoluteDifference(labels, output) / (CHANNELS * HEIGHT * WIDTH), within(1e-9));
        assertThat(loss(0, 10).computeScore(labels, output, identity, null, false)).isGreaterThan(featuresOnly);
        assertThat(loss(0, 0).computeScore(labels, labels.dup(), identity, null, false)).isZero();
    }

    @ParameterizedTest(name = "sigmoid output: {0}")
    @ValueSource(booleans = {false, true})
    void gradientMatchesCentralDifferencesOfTheScore(boolean sigmoid) {
        IActivation activation = sigmoid ? new ActivationSigmoid() : new ActivationIdentity();
        INDArray labels = rows(3);
        INDArray preOutput = rows(4).muli(sigmoid ? 4 : 1).subi(sigmoid ? 2 : 0);
        FeatureLoss loss = loss(0.7, 3.0);
        INDArray gradient = loss.computeGradient(labels, preOutput, activation, null);
        double epsilon = 1e-6;
        double worst = 0;
        int checked = 0;
        // Every third value (a third of each channel's pixels): a wrong term would move most of them.
        for (int row = 0; row < ROWS; row++) {
            for (int c = (row % 3); c < CHANNELS; c += 3) {
                checked++;
                double numeric = LossNumericGradient.centralDifference(loss, labels, preOutput, activation, row, c,
                        epsilon);
                double analytic = gradient.getDouble(row, c);
                double error = Math.abs(numeric - analytic) / Math.max(1e-6, Math.abs(numeric) + Math.abs(analytic));
                worst = Math.max(worst, error);
            }
        }
        assertThat(worst).as("largest relative error over %d values", checked).isLessThan(1e-5);
    }

    @Test
    void graphGradientsMatchFiniteDifferences() {
        assertThat(graphGradientCheck(loss(0.5, 2.0))).isTrue();
    }

    /** The graph check is sharp enough to catch a gradient 1% off (its "FAILED" log lines are expected). */
    @Test
    void graphGradientCheckCatchesASlightlyWrongGradient() {
        FeatureLoss wrong = new FeatureLoss(new TinyFeatures(7, LAYER_WEIGHTS), InputNormalization.UNIT_RANGE, 0.5,
                2.0, HEIGHT, WIDTH) {
            private static final long serialVersionUID = 1L;

            @Override
            public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn,
                    INDArray mask) {
                return super.computeGradient(labels, preOutput, activationFn, mask).muli(1.01);
            }
        };
        assertThat(graphGradientCheck(wrong)).isFalse();
    }

    private static boolean graphGradientCheck(FeatureLoss loss) {
        ComputationGraphConfiguration configuration = LossGraphs.convolutionThenLoss(
                LossGraphs.settings(new NoOp()),
                InputType.convolutional(HEIGHT, WIDTH, 2), "image", CHANNELS, loss,
                Activation.SIGMOID);
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        Nd4j.getRandom().setSeed(5);
        INDArray input = Nd4j.randn(DataType.DOUBLE, EXAMPLES, 2, HEIGHT, WIDTH);
        INDArray labels = Nd4j.rand(DataType.DOUBLE, EXAMPLES, CHANNELS, HEIGHT, WIDTH);
        return LossGraphs.gradientsMatch(graph, input, labels, null);
    }

    @Test
    void theScoreAfterAGradientIsTheScoreOfThoseArrays() {
        FeatureLoss loss = loss(1, 1);
        ActivationIdentity identity = new ActivationIdentity();
        INDArray labels = rows(1);
        INDArray output = rows(2);
        double fresh = loss(1, 1).computeScore(labels, output, identity, null, false);
        loss.computeGradient(labels, output, identity, null);
        assertThat(loss.computeScore(labels, output, identity, null, false)).isCloseTo(fresh, within(1e-12));
        INDArray otherLabels = rows(3);
        assertThat(loss.computeScore(otherLabels, output, identity, null, false))
                .isCloseTo(loss(1, 1).computeScore(otherLabels, output, identity, null, false), within(1e-12));
    }

    @Test
    void refusesOutputsThatAnotherVertexReads() {
        FeatureLoss loss = new FeatureLoss(new TinyFeatures(7, LAYER_WEIGHTS, false), InputNormalization.UNIT_RANGE,
                1, 0, HEIGHT, WIDTH);
        assertThatThrownBy(() -> loss.computeScore(rows(1), rows(2), new ActivationIdentity(), null, false))
                .hasMessageContaining("feature output 'conv1' is also read by vertex 'pool'")
                .hasMessageContaining("identity ActivationLayer");
    }

    @Test
    void refusesMasksAndRowsOfAnotherSize() {
        FeatureLoss loss = loss(1, 0);
        assertThatThrownBy(() -> loss.computeScore(rows(1), rows(2), new ActivationIdentity(),
                Nd4j.ones(DataType.DOUBLE, ROWS, 1), false)).hasMessageContaining("does not support masks");
        FeatureLoss wrongSize = new FeatureLoss(new TinyFeatures(7, LAYER_WEIGHTS), InputNormalization.UNIT_RANGE, 1,
                0, 5, 5);
        assertThatThrownBy(() -> wrongSize.computeScore(rows(1), rows(2), new ActivationIdentity(), null, false))
                .hasMessageContaining("configured for 5x5 outputs but the minibatch has 96 rows");
        assertThatThrownBy(() -> new FeatureLoss(new TinyFeatures(7, LAYER_WEIGHTS), InputNormalization.UNIT_RANGE,
                -1, 0, 4, 4)).hasMessageContaining("FeatureLoss.pixelWeight must be a finite number >= 0 but was -1");
        FeatureLoss wrongWeights = new FeatureLoss(new TinyFeatures(7, List.of(1.0)), InputNormalization.UNIT_RANGE,
                1, 0, HEIGHT, WIDTH);
        assertThatThrownBy(() -> wrongWeights.computeScore(rows(1), rows(2), new ActivationIdentity(), null, false))
                .hasMessageContaining("has 1 layer weights but its network has 2 outputs");
    }

    private static double absoluteDifference(INDArray a, INDArray b) {
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a.sub(b)).sumNumber().doubleValue();
    }

    /** Per-example losses, computed with loops from the frozen network's feature maps. */
    private static double[] expectedLosses(INDArray labelRows, INDArray outputRows, double pixelWeight,
            double gramWeight) {
        ComputationGraph network = new TinyFeatures(7, LAYER_WEIGHTS).build(DataType.DOUBLE);
        double[][][][] truth = images(labelRows);
        double[][][][] output = images(outputRows);
        INDArray[] truthFeatures = network.output(false, extractorInput(truth));
        INDArray[] outputFeatures = network.output(false, extractorInput(output));
        double[] losses = new double[EXAMPLES];
        for (int n = 0; n < EXAMPLES; n++) {
            double pixel = 0;
            for (int c = 0; c < CHANNELS; c++) {
                for (int y = 0; y < HEIGHT; y++) {
                    for (int x = 0; x < WIDTH; x++) {
                        pixel += Math.abs(output[n][c][y][x] - truth[n][c][y][x]);
                    }
                }
            }
            losses[n] = pixelWeight * pixel / (CHANNELS * HEIGHT * WIDTH);
            for (int i = 0; i < LAYER_WEIGHTS.size(); i++) {
                double w = LAYER_WEIGHTS.get(i);
                INDArray fo = outputFeatures[i];
                INDArray ft = truthFeatures[i];
                int c = (int) fo.size(1);
                int h = (int) fo.size(2);
                int wd = (int) fo.size(3);
                double sum = 0;
                for (int k = 0; k < c; k++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < wd; x++) {
                            sum += Math.abs(fo.getDouble(n, k, y, x) - ft.getDouble(n, k, y, x));
                        }
                    }
                }
                losses[n] += w * sum / (c * h * wd);
                double gramSum = 0;
                for (int a = 0; a < c; a++) {
                    for (int b = 0; b < c; b++) {
                        double go = 0;
                        double gt = 0;
                        for (int y = 0; y < h; y++) {
                            for (int x = 0; x < wd; x++) {
                                go += fo.getDouble(n, a, y, x) * fo.getDouble(n, b, y, x);
                                gt += ft.getDouble(n, a, y, x) * ft.getDouble(n, b, y, x);
                            }
                        }
                        gramSum += Math.abs(go - gt) / (c * h * wd);
                    }
                }
                losses[n] += gramWeight * w * w * gramSum / (c * c);
            }
        }
        return losses;
    }

    /** [N][C][H][W] from rows [(n*H + y)*W + x][c]. */
    private static double[][][][] images(INDArray rows) {
        double[][][][] images = new double[EXAMPLES][CHANNELS][HEIGHT][WIDTH];
        for (int n = 0; n < EXAMPLES; n++) {
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    for (int c = 0; c < CHANNELS; c++) {
                        images[n][c][y][x] = rows.getDouble((n * HEIGHT + y) * WIDTH + x, c);
                    }
                }
            }
        }
        return images;
    }

    /** From [0, 1] RGB to TinyFeatures's BGR: channel e holds colour 2 - e, (255 v - mean[e]) / std[e]. */
    private static INDArray extractorInput(double[][][][] rgb) {
        double[] mean = {100, 110, 120};
        double[] std = {50, 60, 70};
        INDArray out = Nd4j.create(DataType.DOUBLE, EXAMPLES, CHANNELS, HEIGHT, WIDTH);
        for (int n = 0; n < EXAMPLES; n++) {
            for (int e = 0; e < CHANNELS; e++) {
                for (int y = 0; y < HEIGHT; y++) {
                    for (int x = 0; x < WIDTH; x++) {
                        out.putScalar(new long[] {n, e, y, x}, (255 * rgb[n][2 - e][y][x] - mean[e]) / std[e]);
                    }
                }
            }
        }
        return out;
    }

    /**
     * The frozen network runs in inference mode for the gradient as for the target: with dropout and batch norm
     * (whose training mode differs from its inference mode) a prediction equal to its target costs 0 and gets a zero
     * gradient.
     */
    @Test
    void aPredictionEqualToItsTargetHasZeroLossAndZeroGradientThroughDropoutAndBatchNorm() {
        FeatureLoss loss = lossThroughDropoutAndBatchNorm(1.0);
        ActivationIdentity identity = new ActivationIdentity();
        INDArray labels = rows(8);
        Pair<Double, INDArray> both = loss.computeGradientAndScore(labels, labels.dup(), identity, null, false);
        assertThat(both.getFirst()).isZero();
        assertThat(both.getSecond().amaxNumber().doubleValue()).isZero();
        assertThat(loss.computeGradient(labels, labels.dup(), identity, null).amaxNumber().doubleValue()).isZero();
        assertThat(loss.computeScore(labels, labels.dup(), identity, null, false)).isZero();
    }

    /**
     * Through batch norm the gradient is inference mode's (the affine map of the running statistics), not DL4J's
     * batch-norm backprop, which takes the batch-statistics form whatever the forward pass (off by up to 4x here).
     */
    @Test
    void theGradientThroughBatchNormIsTheGradientOfInferenceMode() {
        FeatureLoss loss = lossThroughDropoutAndBatchNorm(0.5);
        ActivationIdentity identity = new ActivationIdentity();
        INDArray labels = rows(3);
        INDArray output = rows(4);
        INDArray gradient = loss.computeGradient(labels, output, identity, null);
        double worst = 0;
        for (int row = 0; row < ROWS; row += 3) {
            for (int c = 0; c < CHANNELS; c++) {
                double numeric = LossNumericGradient.centralDifference(loss, labels, output, identity, row, c, 1e-6);
                double analytic = gradient.getDouble(row, c);
                worst = Math.max(worst, Math.abs(numeric - analytic) / Math.max(1e-6, Math.abs(numeric)
                        + Math.abs(analytic)));
            }
        }
        assertThat(worst).as("largest relative error").isLessThan(1e-5);
    }

    /** The network as the loss runs it computes the extractor's maps in inference mode, batch norm replaced. */
    @Test
    void theLossesNetworkComputesTheExtractorsInferenceMaps() {
        ComputationGraph built = new DropoutAndBatchNormFeatures().build(DataType.DOUBLE);
        INDArray images = Nd4j.rand(DataType.DOUBLE, EXAMPLES, CHANNELS, HEIGHT, WIDTH).muli(4).subi(2);
        INDArray expected = built.output(false, images)[0];
        INDArray actual = new FeatureNetwork(built, CHANNELS).features(images).get(0);
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).as("max |difference| (maps up to %s)",
                expected.amaxNumber()).isLessThan(1e-12);
    }

    /** conv (3 -> 4) with dropout 0.5, batch norm with running statistics far from a batch's own, ReLU; tapped. */
    private record DropoutAndBatchNormFeatures() implements FeatureExtractor {

        @Override
        public ComputationGraphConfiguration configuration(DataType dataType) {
            return new NeuralNetConfiguration.Builder().seed(3)
                    .dataType(dataType).graphBuilder()
                    .addInputs("image")
                    .setInputTypes(InputType.convolutional(8, 8, 3))
                    .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).convolutionMode(ConvolutionMode.Same)
                            .dropOut(0.5).activation(Activation.IDENTITY).build(), "image")
                    // DL4J's batch norm ignores its activation: the sigmoid set here must not act
                    .addLayer("norm", new BatchNormalization.Builder().activation(Activation.SIGMOID).build(), "conv")
                    .addLayer("tap", new ActivationLayer(Activation.RELU), "norm")
                    .setOutputs("tap")
                    .build();
        }

        @Override
        public ComputationGraph build(DataType dataType) {
            ComputationGraph built = new ComputationGraph(configuration(dataType));
            built.init();
            built.getLayer("norm").getParam("mean").assign(0.3);
            built.getLayer("norm").getParam("log10stdev").assign(0.5);
            return built;
        }

        @Override
        public InputNormalization inputNormalization() {
            return InputNormalization.UNIT_RANGE;
        }

        @Override
        public int inputChannels() {
            return 3;
        }

        @Override
        public List<Double> layerWeights() {
            return List.of(1.0);
        }
    }
}
