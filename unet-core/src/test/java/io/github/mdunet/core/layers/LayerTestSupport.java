package io.github.mdunet.core.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Tiny DOUBLE graphs around one custom layer, and the checks every layer test runs on them. */
public final class LayerTestSupport {

    public static final String INPUT = "in";
    public static final String BEFORE = "before";
    public static final String LAYER = "layer";
    public static final String OUTPUT = "out";

    private LayerTestSupport() {
    }

    /**
     * What initialising {@code layer}'s one-layer graph throws after its saved JSON was edited from {@code saved} to
     * {@code edited} (a hand-edited file: Jackson sets the field without the constructor's checks).
     */
    public static Throwable restoredWithEditedJson(Layer layer, InputType inputType, String saved, String edited) {
        String json = layerOnly(layer, inputType).getConfiguration().toJson();
        assertThat(json).contains(saved);
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(json.replace(saved, edited));
        return catchThrowable(() -> new ComputationGraph(restored).init());
    }

    /** {@code in -> layer -> MSE CnnLossLayer}: the graph's output is the layer's output. */
    public static ComputationGraph layerOnly(Layer layer, InputType inputType) {
        return graph(layer, inputType, false, new NoOp());
    }

    /**
     * {@code in -> [1x1 conv with as many channels as the input] -> layer -> MSE CnnLossLayer}. The convolution
     * before the layer has parameters whose gradients depend on the epsilon that the layer passes back.
     */
    public static ComputationGraph graph(Layer layer, InputType inputType, boolean convolutionBefore,
                                         IUpdater updater) {
        long channels = ((InputType.InputTypeConvolutional) inputType).getChannels();
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .seed(12345)
                .dataType(DataType.DOUBLE)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(INPUT)
                .setInputTypes(inputType);
        String layerInput = INPUT;
        if (convolutionBefore) {
            builder.addLayer(BEFORE, new ConvolutionLayer.Builder(1, 1).nOut(channels)
                    .activation(Activation.IDENTITY).build(), INPUT);
            layerInput = BEFORE;
        }
        return withMseOutput(builder.addLayer(LAYER, layer, layerInput), LAYER);
    }

    /** Ends {@code builder} with an MSE {@code CnnLossLayer} {@value #OUTPUT} reading {@code last}; builds, inits. */
    public static ComputationGraph withMseOutput(ComputationGraphConfiguration.GraphBuilder builder, String last) {
        builder.addLayer(OUTPUT, new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build(), last)
                .setOutputs(OUTPUT);
        ComputationGraph graph = new ComputationGraph(builder.build());
        graph.init();
        return graph;
    }

    /** DL4J's gradient check (DOUBLE, eps 1e-6, max relative error 1e-3, min absolute error 1e-8). */
    public static void assertGradientsMatchFiniteDifferences(ComputationGraph graph, INDArray input, INDArray labels) {
        assertGradientsMatchFiniteDifferences(graph, input, labels, Set.of());
    }

    /**
     * As above, skipping the parameters in {@code excluded} (graph keys such as {@code layer_mean}): batch norm's
     * running statistics, whose "gradient" is their update step, not a derivative of the score.
     */
    public static void assertGradientsMatchFiniteDifferences(ComputationGraph graph, INDArray input, INDArray labels,
                                                             Set<String> excluded) {
        boolean passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(graph)
                .excludeParams(excluded)
                .inputs(new INDArray[] {input})
                .labels(new INDArray[] {labels})
                .epsilon(1e-6)
                .maxRelError(1e-3)
                .minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertThat(passed).as("gradient check").isTrue();
    }

    /**
     * One plain SGD step changes each parameter by exactly {@code -learningRate * dScore/dParameter}, the
     * derivative taken by central differences. Checked on up to four entries of every parameter array of the
     * layer and of the 1x1 convolution before it (whose gradient depends on the epsilon the layer passes back).
     * A doubled gradient shows up as a relative error of 1/3. Scores are taken in training mode, as the step's
     * gradient is (batch norm: batch statistics).
     *
     * @param setUp puts non-trivial values into the graph's parameters before the step
     */
    public static void assertSgdStepFollowsNumericalGradient(Layer layer, InputType inputType, INDArray input,
                                                      INDArray labels, Consumer<ComputationGraph> setUp) {
        assertSgdStepFollowsNumericalGradient(layer, inputType, input, labels, setUp, Set.of());
    }

    /** As above, leaving out the layer's parameters whose keys are in {@code notTrained} (running statistics). */
    public static void assertSgdStepFollowsNumericalGradient(Layer layer, InputType inputType, INDArray input,
                                                             INDArray labels, Consumer<ComputationGraph> setUp,
                                                             Set<String> notTrained) {
        double learningRate = 0.1;
        ComputationGraph graph = graph(layer, inputType, true, new Sgd(learningRate));
        setUp.accept(graph);
        Set<String> skipped = new java.util.HashSet<>();
        notTrained.forEach(key -> skipped.add(LAYER + "_" + key));
        Set<String> checked = assertSgdStepFollowsNumericalGradient(graph, learningRate, new DataSet(input, labels),
                skipped);
        assertThat(checked).anyMatch(key -> key.startsWith(BEFORE + "_"));
    }

    /**
     * One plain SGD step of {@code graph} (its updater {@code Sgd(learningRate)}) on {@code data} changes each
     * parameter by exactly {@code -learningRate * dScore/dParameter}, the derivative taken by central differences,
     * on up to four entries of every parameter array except those whose graph keys ({@code vertex_param}) are in
     * {@code skipped}. Scores are taken in training mode, as the step's gradient is.
     *
     * @return the graph keys checked
     */
    public static Set<String> assertSgdStepFollowsNumericalGradient(ComputationGraph graph, double learningRate,
                                                                    DataSet data, Set<String> skipped) {
        Map<String, INDArray> table = graph.paramTable();
        Map<String, long[]> checked = new LinkedHashMap<>();
        Map<String, double[]> before = new LinkedHashMap<>();
        Map<String, double[]> numerical = new LinkedHashMap<>();
        double h = 1e-6;
        for (Map.Entry<String, INDArray> entry : table.entrySet()) {
            if (skipped.contains(entry.getKey())) {
                continue;
            }
            INDArray parameter = entry.getValue();
            long n = parameter.length();
            long[] indices = LongStream.of(0, n / 3, 2 * n / 3, n - 1).distinct().toArray();
            double[] values = new double[indices.length];
            double[] gradient = new double[indices.length];
            for (int k = 0; k < indices.length; k++) {
                double original = parameter.getDouble(indices[k]);
                values[k] = original;
                parameter.putScalar(indices[k], original + h);
                double plus = graph.score(data, true);
                parameter.putScalar(indices[k], original - h);
                double minus = graph.score(data, true);
                parameter.putScalar(indices[k], original);
                gradient[k] = (plus - minus) / (2 * h);
            }
            checked.put(entry.getKey(), indices);
            before.put(entry.getKey(), values);
            numerical.put(entry.getKey(), gradient);
        }
        graph.fit(data);

        for (Map.Entry<String, long[]> entry : checked.entrySet()) {
            INDArray parameter = graph.paramTable().get(entry.getKey());
            long[] indices = entry.getValue();
            for (int k = 0; k < indices.length; k++) {
                double step = (before.get(entry.getKey())[k] - parameter.getDouble(indices[k])) / learningRate;
                double expected = numerical.get(entry.getKey())[k];
                double relativeError = Math.abs(step - expected) / (Math.abs(step) + Math.abs(expected) + 1e-8);
                assertThat(relativeError)
                        .as("%s[%d]: SGD step / lr = %s, numerical gradient = %s", entry.getKey(), indices[k], step,
                                expected)
                        .isLessThan(1e-4);
            }
        }
        return checked.keySet();
    }

    /**
     * Backprop after {@code activate(training = false)}, as DL4J's FrozenLayerWithBackprop runs its layer: the
     * gradients of {@code sum(output * r)} for every parameter and input entry of {@code layer} (an initialised graph's
     * layer with its gradient view) against central differences of the inference output, within
     * {@code 1e-6 (1 + |expected|)}; the parameters whose keys are in {@code zeroSteps} (running statistics) must get a
     * zero step instead.
     */
    public static void assertInferenceBackpropMatchesFiniteDifferences(org.deeplearning4j.nn.api.Layer layer,
                                                                       INDArray input, Set<String> zeroSteps) {
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(input, noWorkspaces);
        INDArray scoreWeights = Nd4j.randn(DataType.DOUBLE, layer.activate(false, noWorkspaces).shape());
        Pair<Gradient, INDArray> backprop = layer.backpropGradient(scoreWeights.dup(), noWorkspaces);

        Map<String, INDArray> arrays = new LinkedHashMap<>(layer.paramTable());
        Map<String, INDArray> gradients = new LinkedHashMap<>();
        arrays.keySet().forEach(key -> gradients.put(key, backprop.getFirst().getGradientFor(key).dup()));
        arrays.put("input", input);
        gradients.put("input", backprop.getSecond().dup());
        Supplier<Double> score = () -> layer.activate(false, noWorkspaces).mul(scoreWeights).sumNumber()
                .doubleValue();
        double h = 1e-6;
        for (Map.Entry<String, INDArray> entry : arrays.entrySet()) {
            INDArray values = entry.getValue();
            for (long i = 0; i < values.length(); i++) {
                double original = values.getDouble(i);
                values.putScalar(i, original + h);
                double plus = score.get();
                values.putScalar(i, original - h);
                double minus = score.get();
                values.putScalar(i, original);
                double expected = zeroSteps.contains(entry.getKey()) ? 0 : (plus - minus) / (2 * h);
                assertThat(gradients.get(entry.getKey()).getDouble(i)).as("%s[%d]", entry.getKey(), i)
                        .isCloseTo(expected, within(1e-6 + 1e-6 * Math.abs(expected)));
            }
        }
    }

    /** One fit step on random labels, so that the parameters and the updater state are not the initial ones. */
    public static void fitOnce(ComputationGraph graph, INDArray input) {
        INDArray labels = Nd4j.randn(DataType.DOUBLE, graph.outputSingle(input).shape());
        graph.fit(new INDArray[] {input}, new INDArray[] {labels});
    }

    /** {@code ModelSerializer} round trip with the updater. */
    public static ComputationGraph saveAndRestore(ComputationGraph graph, Path directory) throws IOException {
        File file = directory.resolve("model.zip").toFile();
        ModelSerializer.writeModel(graph, file, true);
        return ModelSerializer.restoreComputationGraph(file, true);
    }

    /**
     * The restore check in one call: {@link #fitOnce}, {@link #saveAndRestore} and {@link #assertRestoredEqual};
     * returns the restored graph for the caller's checks of its own fields.
     */
    public static ComputationGraph assertSurvivesRoundTrip(ComputationGraph graph, INDArray input, Path directory)
            throws IOException {
        fitOnce(graph, input);
        ComputationGraph restored = saveAndRestore(graph, directory);
        assertRestoredEqual(graph, restored, input);
        return restored;
    }

    /**
     * The restore check of one layer with non-default settings: {@code layer} in a {@link #graph} with the
     * convolution before it and Adam, {@code setUp} applied to it, then {@link #assertSurvivesRoundTrip}. Returns
     * the restored layer's configuration for the caller's checks of its own fields.
     */
    @SuppressWarnings("unchecked")
    public static <L extends Layer> L assertLayerSurvivesRoundTrip(L layer, InputType inputType, INDArray input,
                                                                   Consumer<ComputationGraph> setUp, Path directory)
            throws IOException {
        ComputationGraph graph = graph(layer, inputType, true, new Adam(1e-2));
        setUp.accept(graph);
        return (L) assertSurvivesRoundTrip(graph, input, directory).getLayer(LAYER).conf().getLayer();
    }

    /**
     * Asserts that the restored graph's layer configuration, parameters, updater state and outputs equal the
     * original's.
     */
    public static void assertRestoredEqual(ComputationGraph original, ComputationGraph restored, INDArray input) {
        Layer originalLayer = original.getLayer(LAYER).conf().getLayer();
        Layer restoredLayer = restored.getLayer(LAYER).conf().getLayer();
        assertThat(restoredLayer).isEqualTo(originalLayer);
        assertThat(restoredLayer.hashCode()).isEqualTo(originalLayer.hashCode());
        assertRestoredGraphEqual(original, restored, input);
    }

    /** Asserts that the restored graph's configuration, parameters, updater state and outputs equal the original's. */
    public static void assertRestoredGraphEqual(ComputationGraph original, ComputationGraph restored, INDArray input) {
        assertThat(restored.getConfiguration()).isEqualTo(original.getConfiguration());
        assertThat(restored.params()).isEqualTo(original.params());
        INDArray updaterState = original.getUpdater().getStateViewArray();
        if (updaterState != null) {
            assertThat(restored.getUpdater().getStateViewArray()).isEqualTo(updaterState);
        }
        assertThat(restored.outputSingle(input)).isEqualTo(original.outputSingle(input));
    }

    /**
     * {@code computeGradientAndScore} on {@code data} (fit's path: one workspace for the whole forward pass) gives the
     * same score and the same gradient for every parameter, within {@code tolerance}, in both graphs.
     */
    public static void assertSameScoreAndGradients(ComputationGraph got, ComputationGraph want, DataSet data,
                                                   double tolerance) {
        for (ComputationGraph graph : new ComputationGraph[] {got, want}) {
            graph.setInputs(data.getFeatures());
            graph.setLabels(data.getLabels());
            graph.computeGradientAndScore();
        }
        assertThat(got.score()).isCloseTo(want.score(), org.assertj.core.data.Offset.offset(tolerance));
        assertThat(got.gradient().gradientForVariable().keySet())
                .isEqualTo(want.gradient().gradientForVariable().keySet());
        for (String key : want.gradient().gradientForVariable().keySet()) {
            assertThat(maxAbsDifference(got.gradient().getGradientFor(key), want.gradient().getGradientFor(key)))
                    .as(key).isLessThan(tolerance);
        }
    }

    /** The activation named {@code name}: an {@link Activation} constant, or {@code LEAKYRELU} with slope 0.2. */
    public static org.nd4j.linalg.activations.IActivation activationNamed(String name) {
        return name.equals("LEAKYRELU") ? new org.nd4j.linalg.activations.impl.ActivationLReLU(0.2)
                : Activation.valueOf(name).getActivationFunction();
    }

    /** A DOUBLE graph (seed 7, Xavier weights, {@code updater}) with one input {@code input} of {@code type}. */
    public static ComputationGraphConfiguration.GraphBuilder doubleGraph(IUpdater updater, String input,
                                                                         InputType type) {
        return new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.DOUBLE)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .graphBuilder()
                .addInputs(input)
                .setInputTypes(type);
    }

    public static double maxAbsDifference(INDArray a, INDArray b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        return a.sub(b).amaxNumber().doubleValue();
    }

    /** {@link #maxAbsDifference} over {@code expected}'s largest magnitude. */
    public static double relativeMaxDifference(INDArray actual, INDArray expected) {
        return maxAbsDifference(actual, expected) / expected.amaxNumber().doubleValue();
    }
}
