package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The fused layer against DL4J's own {@code ConvolutionLayer -> BatchNormalization -> ActivationLayer} with the same
 * parameters, in FLOAT (the oneDNN path on the CPU backend) and DOUBLE: outputs in training and inference mode, all
 * gradients, and the parameters (running statistics included) after an SGD step, where the running variance moves
 * by the batch's unbiased variance (as PyTorch's) and DL4J's by the biased one.
 */
class ConvNormActivationStockParityTest {

    private static final String INPUT = "in";
    private static final String BEFORE = "before";
    private static final double LEARNING_RATE = 0.1;

    private static NeuralNetConfiguration.Builder global(DataType dataType) {
        return new NeuralNetConfiguration.Builder().seed(5).dataType(dataType).updater(new Sgd(LEARNING_RATE))
                .weightInit(WeightInit.XAVIER);
    }

    /** {@code in -> 1x1 conv -> conv -> bn -> act -> MSE}. */
    private static ComputationGraph stock(DataType dataType, InputType input, int kernel, int nOut, int stride,
                                          ConvolutionMode mode, Activation activation) {
        int pad = mode == ConvolutionMode.Same ? 0 : kernel / 2;
        return initialised(inputAndBefore(dataType, input)
                .addLayer("conv", new ConvolutionLayer.Builder(kernel, kernel).nOut(nOut).stride(stride, stride)
                        .padding(pad, pad)
                        .convolutionMode(mode).hasBias(false).activation(Activation.IDENTITY).build(), BEFORE)
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(false).build(), "conv")
                .addLayer("act", new ActivationLayer.Builder().activation(activation).build(), "bn"), "act");
    }

    private static ComputationGraph fused(DataType dataType, InputType input, int kernel, int nOut, int stride,
                                          ConvolutionMode mode, Activation activation) {
        int pad = mode == ConvolutionMode.Same ? 0 : kernel / 2;
        return initialised(inputAndBefore(dataType, input)
                .addLayer("block", ConvNormActivation.builder().nOut(nOut).kernelSize(kernel, kernel)
                        .stride(stride, stride)
                        .padding(pad, pad).convolutionMode(mode).activation(activation).build(), BEFORE), "block");
    }

    /** {@code in -> 1x1 conv} named {@value #BEFORE}, keeping the channel count: the graphs' common start. */
    private static ComputationGraphConfiguration.GraphBuilder inputAndBefore(DataType dataType, InputType input) {
        return global(dataType).graphBuilder().addInputs(INPUT).setInputTypes(input)
                .addLayer(BEFORE, new ConvolutionLayer.Builder(1, 1).nOut(((InputType.InputTypeConvolutional) input)
                        .getChannels()).activation(Activation.IDENTITY).build(), INPUT);
    }

    /** {@code graph} with an MSE loss on {@code last}, built and initialised. */
    private static ComputationGraph initialised(ComputationGraphConfiguration.GraphBuilder graph, String last) {
        ComputationGraph network = new ComputationGraph(graph
                .addLayer("out", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), last)
                .setOutputs("out").build());
        network.init();
        return network;
    }

    /**
     * The fused layer's key for each stock parameter, in a fixed order: the random values are drawn in this order, so
     * every run checks the same numbers ({@code Map.of} iterates in an order that changes from one JVM to the next).
     */
    private static final Map<String, String> STOCK_TO_FUSED = orderedKeys("before_W", "before_W", "before_b",
            "before_b", "conv_W", "block_W", "bn_gamma", "block_gamma", "bn_beta", "block_beta",
            "bn_mean", "block_mean", "bn_var", "block_var");

    /**
     * Bound on the DOUBLE gradients, relative to {@code max(1, |expected|)}. libnd4j's generic {@code batchnorm_bp}
     * (the DOUBLE path; FLOAT runs oneDNN's) computes {@code 1/N} in {@code float}, so each element of its input
     * gradient is off by up to {@code 2^-24 |mean(g)|}, about 6e-8 of the incoming gradient. The block's own gradients
     * do not show it; the layer before the block sums {@code N} such elements into each of its gradients, and their
     * exact sum nearly cancels (a constant shift of the convolution's input is undone by the normalisation, borders
     * aside), so there the float error adds up to about {@code N * 6e-8}: measured 1.8e-6 for the bias at 126
     * positions, 4.6e-7 for the weights. A wrong formula is off by the size of the gradient itself.
     */
    private static double doubleGradientBound(String key, long positions) {
        return key.startsWith(BEFORE + "_") ? Math.max(1e-6, 2.0 * positions * Math.pow(2, -24)) : 1e-6;
    }

    private static Map<String, String> orderedKeys(String... pairs) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            keys.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(keys);
    }

    /**
     * The 3 x 3 rows of 128 channels in and out (147,456 weights) and the 1 x 1 rows of 1024 to 512 (33 million
     * multiply-adds per image) are timed on the CPU backend (all their ways run once the first pass is timed, the
     * results then written by the way kept); the others take libnd4j's ops.
     */
    @ParameterizedTest(name = "{0} {1} stride={2} {3} {4}x{4} {5}->{6} channels")
    @CsvSource({"FLOAT, RELU, 1, Same, 3, 3, 4", "FLOAT, LEAKYRELU, 2, Truncate, 3, 3, 4",
            "FLOAT, IDENTITY, 2, Same, 3, 3, 4", "DOUBLE, RELU, 1, Same, 3, 3, 4",
            "DOUBLE, LEAKYRELU, 2, Same, 3, 3, 4",
            "DOUBLE, IDENTITY, 1, Truncate, 3, 3, 4", "FLOAT, RELU, 1, Same, 3, 128, 128",
            "DOUBLE, LEAKYRELU, 1, Truncate, 3, 128, 128", "FLOAT, LEAKYRELU, 1, Same, 1, 1024, 512",
            "DOUBLE, IDENTITY, 1, Truncate, 1, 1024, 512"})
    void matchesStockLayers(DataType dataType, Activation activation, int stride, ConvolutionMode mode, int kernel,
                            int inChannels, int outChannels) {
        InputType inputType = InputType.convolutional(9, 7, inChannels);
        ComputationGraph stock = stock(dataType, inputType, kernel, outChannels, stride, mode, activation);
        ComputationGraph fused = fused(dataType, inputType, kernel, outChannels, stride, mode, activation);
        Nd4j.getRandom().setSeed(7);
        for (Map.Entry<String, String> key : STOCK_TO_FUSED.entrySet()) {
            INDArray value = stock.getParam(key.getKey());
            INDArray random = Nd4j.rand(dataType, value.shape());
            if (key.getKey().equals("bn_var") || key.getKey().equals("bn_gamma")) {
                random.addi(0.5);
            } else {
                random.subi(0.5);
            }
            stock.setParam(key.getKey(), random);
            fused.setParam(key.getValue(), random);
        }
        INDArray input = Nd4j.randn(dataType, 2, inChannels, 9, 7);
        double tolerance = dataType == DataType.FLOAT ? 1e-5 : 1e-12;
        for (boolean training : new boolean[] {true, false}) {
            INDArray expected = stock.outputSingle(training, input);
            INDArray actual = fused.outputSingle(training, input);
            assertThat(actual.shape()).isEqualTo(expected.shape());
            // a 1 x 1 convolution of 1024 channels sums 1024 products: relative to the output's scale
            double scale = kernel == 1 ? Math.max(1.0, expected.amaxNumber().doubleValue()) : 1.0;
            assertThat(maxAbsDifference(actual, expected) / scale).as("output, training=%s", training)
                    .isLessThan(tolerance);
        }

        INDArray labels = Nd4j.randn(dataType, stock.outputSingle(input).shape());
        long positions = labels.length() / labels.size(1); // the normalisation's N: batch x height x width
        Gradient stockGradient = gradient(stock, input, labels);
        Gradient fusedGradient = gradient(fused, input, labels);
        INDArray varianceBefore = stock.getParam("bn_var").dup();
        INDArray stockVarianceAfter = varianceBefore.sub(stockGradient.getGradientFor("bn_var"));
        for (Map.Entry<String, String> key : STOCK_TO_FUSED.entrySet()) {
            INDArray expected = key.getKey().equals("bn_var")
                    ? varianceBefore.sub(unbiasedRunningVariance(varianceBefore, stockVarianceAfter, decay(stock),
                            positions))
                    : stockGradient.getGradientFor(key.getKey());
            INDArray actual = fusedGradient.getGradientFor(key.getValue());
            double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
            assertThat(maxAbsDifference(actual.reshape(expected.shape()), expected) / scale)
                    .as("gradient of %s", key.getKey())
                    .isLessThan(dataType == DataType.FLOAT ? 1e-4 : doubleGradientBound(key.getKey(), positions));
        }

        stock.fit(new INDArray[] {input}, new INDArray[] {labels});
        fused.fit(new INDArray[] {input}, new INDArray[] {labels});
        for (Map.Entry<String, String> key : STOCK_TO_FUSED.entrySet()) {
            INDArray expected = key.getKey().equals("bn_var")
                    ? unbiasedRunningVariance(varianceBefore, stock.getParam("bn_var"), decay(stock), positions)
                    : stock.getParam(key.getKey());
            double scale = kernel == 1 ? Math.max(1.0, expected.amaxNumber().doubleValue()) : 1.0;
            assertThat(maxAbsDifference(fused.getParam(key.getValue()).reshape(expected.shape()), expected) / scale)
                    .as("%s after an SGD step", key.getKey()).isLessThan(dataType == DataType.FLOAT ? 1e-4
                            : Math.max(1e-6, LEARNING_RATE * doubleGradientBound(key.getKey(), positions)));
        }
    }

    /**
     * The fused layer's running variance after the step whose stock one went from {@code before} to {@code after}
     * (a running statistic's "gradient" is its step, {@code before - after}):
     * DL4J's batch norm moves it by {@code (1 - decay)} times the batch's biased variance, the fused layer (as
     * PyTorch's) by the unbiased one, {@code n / (n - 1)} times that for {@code n} values per channel.
     */
    private static INDArray unbiasedRunningVariance(INDArray before, INDArray after, double decay, long n) {
        INDArray kept = before.mul(decay);
        return after.sub(kept).muli((double) n / (n - 1)).addi(kept);
    }

    /** The stock batch norm's decay, which the fused layer's default equals. */
    private static double decay(ComputationGraph stock) {
        double decay = ((BatchNormalization) stock.getLayer("bn").conf().getLayer()).getDecay();
        assertThat(decay).isEqualTo(ConvNormActivation.DEFAULT_DECAY);
        return decay;
    }

    private static Gradient gradient(ComputationGraph graph, INDArray input, INDArray labels) {
        graph.setInputs(input);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        Gradient gradient = graph.gradient();
        Gradient copy = new org.deeplearning4j.nn.gradient.DefaultGradient();
        gradient.gradientForVariable().forEach((k, v) -> copy.setGradientFor(k, v.dup()));
        return copy;
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
