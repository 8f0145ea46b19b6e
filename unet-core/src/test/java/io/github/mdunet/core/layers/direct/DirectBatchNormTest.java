package io.github.mdunet.core.layers.direct;

import static io.github.mdunet.core.layers.LayerTestSupport.LAYER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.layers.LayerTestSupport;
import io.github.mdunet.core.testing.DoubleOneThreadTestBase;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.exception.DL4JInvalidConfigException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link DirectBatchNorm} against DL4J's {@code BatchNormalization} with the same parameters (outputs in training and
 * inference mode, every gradient, the parameters after an SGD step), finite differences in DOUBLE, the SGD step,
 * a restore with non-default settings, and each refused setting.
 */
class DirectBatchNormTest extends DoubleOneThreadTestBase {

    private static final String GAMMA = BatchNormalizationParamInitializer.GAMMA;
    private static final String BETA = BatchNormalizationParamInitializer.BETA;
    private static final String MEAN = BatchNormalizationParamInitializer.GLOBAL_MEAN;
    private static final String VARIANCE = BatchNormalizationParamInitializer.GLOBAL_VAR;
    private static final Set<String> RUNNING_STATISTICS = Set.of(MEAN, VARIANCE);
    private static final double LEARNING_RATE = 0.1;

    private static INDArray random(long... shape) {
        return Nd4j.randn(DataType.DOUBLE, shape);
    }

    /** Gamma and the running variance in [0.5, 1.5), beta and the running mean in [-0.5, 0.5). */
    private static void randomizeNormalization(Layer layer) {
        for (String key : new String[] {GAMMA, BETA, MEAN, VARIANCE}) {
            INDArray values = Nd4j.rand(layer.getParam(key).dataType(), layer.getParam(key).shape());
            layer.setParam(key, key.equals(GAMMA) || key.equals(VARIANCE) ? values.addi(0.5) : values.subi(0.5));
        }
    }

    /** {@code in -> 1x1 conv "before" -> norm "layer" -> MSE}, plain SGD. */
    private static ComputationGraph graph(DataType dataType, org.deeplearning4j.nn.conf.layers.Layer norm,
                                          InputType input) {
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder().seed(5)
                .dataType(dataType).updater(new Sgd(LEARNING_RATE)).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs(LayerTestSupport.INPUT).setInputTypes(input)
                .addLayer(LayerTestSupport.BEFORE, new ConvolutionLayer.Builder(1, 1)
                        .nOut(((InputType.InputTypeConvolutional) input).getChannels())
                        .activation(Activation.IDENTITY).build(), LayerTestSupport.INPUT)
                .addLayer(LAYER, norm, LayerTestSupport.BEFORE);
        return LayerTestSupport.withMseOutput(builder, LAYER);
    }

    @ParameterizedTest
    @EnumSource(names = {"FLOAT", "DOUBLE"})
    void matchesDl4jsBatchNormalizationExceptForTheUnbiasedRunningVariance(DataType dataType) {
        InputType inputType = InputType.convolutional(5, 7, 3);
        ComputationGraph stock = graph(dataType, new BatchNormalization.Builder().useLogStd(false).decay(0.8).build(),
                inputType);
        ComputationGraph direct = graph(dataType, new DirectBatchNorm(1e-5, 0.8), inputType);
        Nd4j.getRandom().setSeed(3);
        direct.setParams(stock.params());
        randomizeNormalization(stock.getLayer(LAYER));
        direct.getLayer(LAYER).setParams(stock.getLayer(LAYER).params());
        INDArray input = Nd4j.randn(dataType, 2, 3, 5, 7).muli(2).addi(1);
        double tolerance = dataType == DataType.FLOAT ? 1e-5 : 1e-12;
        for (boolean training : new boolean[] {true, false}) {
            assertThat(LayerTestSupport.maxAbsDifference(direct.outputSingle(training, input),
                    stock.outputSingle(training, input))).as("output, training=%s", training).isLessThan(tolerance);
        }

        INDArray labels = Nd4j.randn(dataType, 2, 3, 5, 7);
        Gradient stockGradient = gradient(stock, input, labels);
        Gradient directGradient = gradient(direct, input, labels);
        for (String key : stockGradient.gradientForVariable().keySet()) {
            if (!key.equals(LAYER + "_" + VARIANCE)) {
                assertThat(LayerTestSupport.maxAbsDifference(directGradient.getGradientFor(key),
                        stockGradient.getGradientFor(key))).as("gradient of %s", key)
                        .isLessThan(dataType == DataType.FLOAT ? 1e-4 : 1e-9);
            }
        }

        INDArray varianceBefore = stock.getLayer(LAYER).getParam(VARIANCE).dup();
        stock.fit(new INDArray[] {input}, new INDArray[] {labels});
        direct.fit(new INDArray[] {input}, new INDArray[] {labels});
        // DL4J's running variance took (1 - decay) times the batch's biased variance, the direct layer's n / (n - 1)
        // times that, for the n = 2 x 5 x 7 values of a channel
        double n = 70;
        INDArray kept = varianceBefore.mul(0.8);
        INDArray unbiased = stock.getLayer(LAYER).getParam(VARIANCE).sub(kept).muli(n / (n - 1)).addi(kept);
        assertThat(LayerTestSupport.maxAbsDifference(direct.getLayer(LAYER).getParam(VARIANCE), unbiased))
                .as("running variance").isLessThan(tolerance * 10);
        for (Map.Entry<String, INDArray> parameter : stock.paramTable().entrySet()) {
            if (!parameter.getKey().equals(LAYER + "_" + VARIANCE)) {
                assertThat(LayerTestSupport.maxAbsDifference(direct.getParam(parameter.getKey()),
                        parameter.getValue())).as("%s after an SGD step", parameter.getKey())
                        .isLessThan(dataType == DataType.FLOAT ? 1e-4 : 1e-9);
            }
        }
    }

    private static Gradient gradient(ComputationGraph graph, INDArray input, INDArray labels) {
        graph.setInputs(input);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        Gradient copy = new org.deeplearning4j.nn.gradient.DefaultGradient();
        graph.gradient().gradientForVariable().forEach((key, value) -> copy.setGradientFor(key, value.dup()));
        return copy;
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Nd4j.getRandom().setSeed(5);
        ComputationGraph graph = LayerTestSupport.graph(new DirectBatchNorm(), InputType.convolutional(4, 3, 3), true,
                new NoOp());
        randomizeNormalization(graph.getLayer(LAYER));
        LayerTestSupport.assertGradientsMatchFiniteDifferences(graph, random(2, 3, 4, 3), random(2, 3, 4, 3),
                Set.of(LAYER + "_" + MEAN, LAYER + "_" + VARIANCE));
    }

    /**
     * The convolution's bias before the batch norm is left out: its shift is normalised away, so its gradient is zero
     * and the central difference float noise, which a relative comparison cannot judge.
     */
    @Test
    void sgdStepUsesTheTrueGradient() {
        Nd4j.getRandom().setSeed(6);
        ComputationGraph graph = LayerTestSupport.graph(new DirectBatchNorm(1e-3, 0.7),
                InputType.convolutional(3, 4, 2), true, new Sgd(LEARNING_RATE));
        randomizeNormalization(graph.getLayer(LAYER));
        Set<String> checked = LayerTestSupport.assertSgdStepFollowsNumericalGradient(graph, LEARNING_RATE,
                new DataSet(random(2, 2, 3, 4), random(2, 2, 3, 4)),
                Set.of(LAYER + "_" + MEAN, LAYER + "_" + VARIANCE, LayerTestSupport.BEFORE + "_b"));
        assertThat(checked).contains(LAYER + "_" + GAMMA, LAYER + "_" + BETA, LayerTestSupport.BEFORE + "_W");
    }

    @Test
    void survivesModelSerializerRoundTrip(@TempDir Path directory) throws Exception {
        Nd4j.getRandom().setSeed(4);
        DirectBatchNorm restored = LayerTestSupport.assertLayerSurvivesRoundTrip(new DirectBatchNorm(1e-3, 0.7),
                InputType.convolutional(4, 5, 3), random(2, 3, 4, 5),
                graph -> randomizeNormalization(graph.getLayer(LAYER)), directory);
        assertThat(restored.getEps()).isEqualTo(1e-3);
        assertThat(restored.getDecay()).isEqualTo(0.7);
        assertThat(restored.getNOut()).isEqualTo(3);
        assertThat(restored.isUseLogStd()).isFalse();
    }

    /** A default {@code DirectBatchNorm} of a one-layer graph, with its gradient view, to call directly. */
    private static Layer standalone(InputType inputType) {
        ComputationGraph graph = LayerTestSupport.layerOnly(new DirectBatchNorm(), inputType);
        graph.initGradientsView();
        return graph.getLayer(LAYER);
    }

    /** In a U-Net the input is an encoder's skip, which the encoder's next layer reads in its own backward pass. */
    @Test
    void backpropLeavesTheInputAsItWas() {
        Nd4j.getRandom().setSeed(7);
        Layer layer = standalone(InputType.convolutional(4, 4, 3));
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray input = random(2, 3, 4, 4);
        INDArray inputBefore = input.dup();
        for (boolean training : new boolean[] {true, false}) {
            layer.setInput(input, noWorkspaces);
            layer.activate(training, noWorkspaces);
            layer.backpropGradient(random(2, 3, 4, 4), noWorkspaces);
            assertThat(input).as("training=%s", training).isEqualTo(inputBefore);
        }
    }

    /**
     * Backprop after {@code activate(training = false)}, as DL4J's FrozenLayerWithBackprop runs its layer: the
     * gradients of {@code sum(output * r)} for every parameter and input entry against central differences of the
     * inference output, and zero steps for the running statistics.
     */
    @Test
    void backpropAfterAnInferenceForwardPassMatchesFiniteDifferences() {
        Nd4j.getRandom().setSeed(8);
        Layer layer = standalone(InputType.convolutional(3, 4, 2));
        randomizeNormalization(layer);
        LayerTestSupport.assertInferenceBackpropMatchesFiniteDifferences(layer, random(2, 2, 3, 4), RUNNING_STATISTICS);
    }

    @Test
    void equalSettingsMakeEqualLayersButNeverDl4jsOwn() {
        assertThat(new DirectBatchNorm(1e-3, 0.7)).isEqualTo(new DirectBatchNorm(1e-3, 0.7))
                .hasSameHashCodeAs(new DirectBatchNorm(1e-3, 0.7))
                .isNotEqualTo(new DirectBatchNorm(1e-3, 0.8))
                .isNotEqualTo(new DirectBatchNorm());
        BatchNormalization stock = new BatchNormalization.Builder().useLogStd(false).build();
        assertThat(new DirectBatchNorm()).isNotEqualTo(stock);
        assertThat(stock).isNotEqualTo(new DirectBatchNorm());
        assertThat(new DirectBatchNorm(1e-3, 0.7).toString()).isEqualTo(
                "DirectBatchNorm(layerName=null, nIn=0, nOut=0, eps=0.001, decay=0.7)");
    }

    @Test
    void rejectsInvalidSettingsNamingTheField() {
        assertThatThrownBy(() -> new DirectBatchNorm(0, 0.9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DirectBatchNorm: eps must be > 0 but was 0.0");
        assertThatThrownBy(() -> new DirectBatchNorm(1e-5, 1.0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("DirectBatchNorm: decay must be in [0, 1) but was 1.0");
        InputType inputType = InputType.convolutional(4, 4, 2);
        assertThat(LayerTestSupport.restoredWithEditedJson(new DirectBatchNorm(), inputType,
                "\"lockGammaBeta\" : false", "\"lockGammaBeta\" : true")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DirectBatchNorm 'layer': lockGammaBeta is not supported");
        assertThat(LayerTestSupport.restoredWithEditedJson(new DirectBatchNorm(), inputType,
                "\"cnn2DFormat\" : \"NCHW\"", "\"cnn2DFormat\" : \"NHWC\"")).isInstanceOf(
                        IllegalArgumentException.class)
                .hasMessage("DirectBatchNorm 'layer': cnn2DFormat must be NCHW but was NHWC");
        assertThatThrownBy(() -> new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .setInputTypes(InputType.feedForward(4)).addLayer(LAYER, new DirectBatchNorm(), "in").setOutputs(LAYER)
                .build()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("DirectBatchNorm 'layer' expects a convolutional NCHW input type but got"
                        + " InputTypeFeedForward(4");
    }

    /**
     * nOut unset (no input type to take it from) and nIn and nOut set apart are refused; an input type sets both, as
     * for DL4J's layers.
     */
    @Test
    void rejectsMissingOrUnequalChannelCountsNamingTheLayer() {
        ComputationGraphConfiguration noChannels = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer(LAYER, new DirectBatchNorm(), "in").setOutputs(LAYER).build();
        assertThatThrownBy(() -> new ComputationGraph(noChannels).init())
                .isInstanceOf(DL4JInvalidConfigException.class)
                .hasMessage("DirectBatchNorm (index=1, name=layer) nOut=0; nOut must be > 0");
        ComputationGraphConfiguration apart = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .addLayer(LAYER, DirectBatchNorm.builder().nIn(3).nOut(4).build(), "in").setOutputs(LAYER).build();
        assertThatThrownBy(() -> new ComputationGraph(apart).init()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DirectBatchNorm 'layer': nIn and nOut are the channels and must be equal, but"
                        + " nIn is 3 and nOut 4; set both");
        ComputationGraphConfiguration typed = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("in")
                .setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer(LAYER, DirectBatchNorm.builder().nIn(3).nOut(3).build(), "in").setOutputs(LAYER).build();
        DirectBatchNorm fitted = (DirectBatchNorm) ((LayerVertex) typed.getVertices().get(LAYER)).getLayerConf()
                .getLayer();
        assertThat(new long[] {fitted.getNIn(), fitted.getNOut()}).as("DL4J sets them from the input type")
                .containsExactly(2, 2);
    }

    /**
     * DL4J's global dropout sets every layer's, which DL4J's batch norm ignores: so does this one (also in an edited
     * file, which Jackson restores through the setter), and a constraint on
     * every parameter of a stock batch norm (its {@code log10stdev}) constrains the copy's variance.
     */
    @Test
    void globalDropoutIsIgnoredAndConstraintsFollowTheVariance() {
        ComputationGraphConfiguration configuration = new NeuralNetConfiguration.Builder().dropOut(0.5).graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer(LAYER, new DirectBatchNorm(), "in").setOutputs(LAYER).build();
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        assertThat(graph.getLayer(LAYER).conf().getLayer().getIDropout()).isNull();
        String json = configuration.toJson();
        String withDropout = json.replace("\"idropout\" : null",
                "\"idropout\" : {\"@class\" : \"org.deeplearning4j.nn.conf.dropout.Dropout\", \"p\" : 0.5}");
        assertThat(withDropout).as("an edited file").isNotEqualTo(json);
        assertThat(((LayerVertex) ComputationGraphConfiguration.fromJson(withDropout).getVertices().get(LAYER))
                .getLayerConf().getLayer().getIDropout()).isNull();

        BatchNormalization stock = new BatchNormalization.Builder().constrainAllParameters(new NonNegativeConstraint())
                .nIn(2).nOut(2).build();
        assertThat(stock.getConstraints().get(0).getParams()).contains("log10stdev");
        assertThat(DirectBatchNorm.of(stock).getConstraints().get(0).getParams())
                .containsExactlyInAnyOrder(GAMMA, BETA, MEAN, VARIANCE);
    }

    /**
     * DL4J's graph deserializer sets {@code useLogStd} from the parameters a configuration lists, none before
     * {@code init()}: such a JSON still restores a layer that stores the variance, which then initialises and runs.
     */
    @Test
    void aConfigurationSavedBeforeInitRestoresWithTheVarianceStoredAsAVariance() {
        ComputationGraphConfiguration configuration = new NeuralNetConfiguration.Builder().graphBuilder()
                .addInputs("in").setInputTypes(InputType.convolutional(4, 4, 2))
                .addLayer(LAYER, new DirectBatchNorm(1e-3, 0.7), "in").setOutputs(LAYER).build();
        ComputationGraphConfiguration restored = ComputationGraphConfiguration.fromJson(configuration.toJson());
        ComputationGraph graph = new ComputationGraph(restored);
        graph.init();
        DirectBatchNorm layer = (DirectBatchNorm) graph.getLayer(LAYER).conf().getLayer();
        assertThat(layer.isUseLogStd()).isFalse();
        assertThat(layer.getEps()).isEqualTo(1e-3);
        assertThat(graph.getLayer(LAYER).paramTable()).containsKey(VARIANCE);
        assertThat(graph.outputSingle(random(1, 2, 4, 4)).shape()).containsExactly(1, 2, 4, 4);
        DirectBatchNorm asked = new DirectBatchNorm();
        asked.setUseLogStd(true);
        assertThat(asked.isUseLogStd()).isFalse();
    }

    /**
     * {@link DirectBatchNorm#builder()} and {@link DirectBatchNorm#of} keep every setting of DL4J's batch norm
     * (name, eps, decay, updaters) and store the variance as a variance; they refuse what {@code instantiate} refuses.
     */
    @Test
    void builderAndCopyOfAStockConfigurationKeepItsSettings() {
        BatchNormalization stock = new BatchNormalization.Builder().name("bn").eps(1e-3).decay(0.7)
                .updater(new Sgd(0.3)).biasUpdater(new Sgd(0.2)).dropOut(new Dropout(0.5))
                .nIn(3).nOut(3).build();
        DirectBatchNorm direct = DirectBatchNorm.of(stock);
        assertThat(stock.getIDropout()).isNotNull();
        assertThat(direct.getIDropout()).as("ignored, as DL4J's layer ignores it").isNull();
        assertThat(direct.getLayerName()).isEqualTo("bn");
        assertThat(direct.getEps()).isEqualTo(1e-3);
        assertThat(direct.getDecay()).isEqualTo(0.7);
        assertThat(direct.getIUpdater()).isEqualTo(new Sgd(0.3));
        assertThat(direct.getBiasUpdater()).isEqualTo(new Sgd(0.2));
        assertThat(direct.getNIn()).isEqualTo(3);
        assertThat(direct.isUseLogStd()).as("stock default true").isFalse();
        assertThat(stock.isUseLogStd()).isTrue();

        BatchNormalization built = DirectBatchNorm.builder().name("bn").eps(1e-3).decay(0.7).updater(new Sgd(0.3))
                .biasUpdater(new Sgd(0.2)).nIn(3).nOut(3).build();
        assertThat(built).isInstanceOf(DirectBatchNorm.class).isEqualTo(direct);
        assertThat(NeuralNetConfiguration.mapper().valueToTree(direct).toString())
                .isEqualTo(NeuralNetConfiguration.mapper().valueToTree(stock).toString()
                        .replace(BatchNormalization.class.getName(), DirectBatchNorm.class.getName())
                        .replace("\"useLogStd\":true", "\"useLogStd\":false")
                        .replaceAll("\"idropout\":\\{[^}]*\\}", "\"idropout\":null"))
                .as("every other setting kept");
        assertThatThrownBy(() -> DirectBatchNorm.builder().lockGammaBeta(true).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("DirectBatchNorm: lockGammaBeta is not supported");
    }

    /** A {@code CNNFlat} input, as DL4J's batch norm takes it: reshaped to NCHW by DL4J's preprocessor. */
    @Test
    void aFlatConvolutionalInputIsNormalisedAsItsNchwImage() {
        Nd4j.getRandom().setSeed(9);
        ComputationGraphConfiguration configuration = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutionalFlat(3, 4, 2))
                .addLayer(LAYER, new DirectBatchNorm(), "in").setOutputs(LAYER).build();
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        randomizeNormalization(graph.getLayer(LAYER));
        INDArray image = random(2, 2, 3, 4);
        Layer layer = graph.getLayer(LAYER);
        INDArray expected = image.sub(layer.getParam(MEAN).reshape(1, 2, 1, 1))
                .divi(Transforms.sqrt(layer.getParam(VARIANCE).add(1e-5)).reshape(1, 2, 1, 1))
                .muli(layer.getParam(GAMMA).reshape(1, 2, 1, 1)).addi(layer.getParam(BETA).reshape(1, 2, 1, 1));
        assertThat(graph.outputSingle(image.reshape(2, 24)).equalsWithEps(expected, 1e-12)).isTrue();
    }

    @Test
    void backpropWithoutAForwardPassIsRefused() {
        Layer layer = LayerTestSupport.layerOnly(new DirectBatchNorm(), InputType.convolutional(4, 4, 2))
                .getLayer(LAYER);
        layer.setInput(random(1, 2, 4, 4), LayerWorkspaceMgr.noWorkspaces());
        assertThatThrownBy(() -> layer.backpropGradient(random(1, 2, 4, 4), LayerWorkspaceMgr.noWorkspaces()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("DirectBatchNorm 'layer': backpropGradient needs a forward pass (activate) first");
    }
}
