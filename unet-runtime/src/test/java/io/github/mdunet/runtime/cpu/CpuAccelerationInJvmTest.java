package io.github.mdunet.runtime.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import io.github.mdunet.runtime.cpu.CpuAcceleration.NativeReport;
import io.github.mdunet.runtime.cpu.CpuAcceleration.Status;
import io.github.mdunet.runtime.testing.SavedProperties;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * In this test JVM, configured by {@link ConfigureCpuAccelerationListener} before ND4J loaded: the build that
 * was loaded is the best one the CPU runs, and DL4J's conv, batch-norm and pooling layers take the oneDNN path
 * and agree with DL4J's built-in implementation.
 */
class CpuAccelerationInJvmTest {

    private static final int HEIGHT = 20;
    private static final int WIDTH = 24;
    private static final int CHANNELS = 3;
    private static final int CLASSES = 2;

    /** The build this machine should get: the best one its CPU runs among those on the classpath. */
    static NativeBuild expectedBuild() {
        String optOut = System.getProperty(CpuAcceleration.OPT_OUT_PROPERTY,
                System.getenv(CpuAcceleration.OPT_OUT_ENVIRONMENT_VARIABLE));
        if (BuildChooser.optedOut(optOut, null, new ArrayList<>())) {
            return NativeBuild.PLAIN;
        }
        CpuFeatures cpu = CpuFeatures.read(CpuFeatures.CPU_INFO);
        Set<NativeBuild> available = JavaCpp.findAvailableBuilds(JavaCpp.platform(),
                CpuAcceleration.class.getClassLoader());
        return Arrays.stream(NativeBuild.values())
                .filter(b -> cpu.supports(b) && available.contains(b))
                .findFirst()
                .orElse(null);
    }

    @Test
    void listenerConfiguredBeforeNd4jLoaded() {
        Status status = CpuAcceleration.status().orElseThrow(
                () -> new AssertionError("ConfigureCpuAccelerationListener did not run: check META-INF/services"));

        assertThat(status.nd4jAlreadyLoaded()).isFalse();
        assertThat(status.build()).isEqualTo(expectedBuild());
        assertThat(CpuAcceleration.configure()).as("idempotent").isSameAs(status);
    }

    @Test
    void loadedBuildIsTheOneTheCpuSupports() {
        NativeBuild expected = expectedBuild();
        assumeThat(expected).as("no nd4j-native CPU build on the classpath (cuda profile)").isNotNull();

        NativeReport report = CpuAcceleration.nativeReport();

        assertThat(report.backend()).isEqualToIgnoringCase("CPU");
        assertThat(report.loadedBuild()).as(report.describe()).isEqualTo(expected);
        assertThat(report.builtWithOneDnn()).isEqualTo(expected.oneDnn());
        assertThat(report.dl4jLayersUseOneDnn()).as(report.describe()).isEqualTo(expected.oneDnn());
    }

    @Test
    void convBatchNormAndPoolingTakeTheOneDnnPath() throws Exception {
        assumeThat(expectedBuild()).isNotNull().matches(NativeBuild::oneDnn, "is a oneDNN build");
        MultiLayerNetwork net = network();

        assertThat(helperOf(net, org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class))
                .allMatch(h -> h instanceof MKLDNNConvHelper).hasSize(3);
        assertThat(helperOf(net, org.deeplearning4j.nn.layers.normalization.BatchNormalization.class))
                .allMatch(h -> h instanceof MKLDNNBatchNormHelper).hasSize(1);
        assertThat(helperOf(net, org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer.class))
                .allMatch(h -> h instanceof MKLDNNSubsamplingHelper).hasSize(1);

        net.fit(features(), labels());

        for (Layer layer : net.getLayers()) {
            if (layer.getHelper() != null) {
                // DL4J counts helper failures and then silently falls back to its own implementation
                assertThat(helperFailures(layer)).as("helper failures of layer %d (%s)", layer.getIndex(),
                        layer.getClass().getSimpleName()).isZero();
            }
        }
    }

    @Test
    void oneDnnAgreesWithTheBuiltInImplementation() {
        assumeThat(expectedBuild()).isNotNull().matches(NativeBuild::oneDnn, "is a oneDNN build");
        MultiLayerNetwork oneDnn = network();
        MultiLayerNetwork builtIn = withHelpersDisabled(CpuAccelerationInJvmTest::network);
        builtIn.setParams(oneDnn.params().dup());
        assertThat(builtIn.getLayer(0).getHelper()).isNull();

        INDArray x = features();
        INDArray y = labels();
        oneDnn.setInput(x);
        oneDnn.setLabels(y);
        builtIn.setInput(x);
        builtIn.setLabels(y);
        oneDnn.computeGradientAndScore();
        builtIn.computeGradientAndScore();

        assertThat(oneDnn.score()).isCloseTo(builtIn.score(), withinPercentage(1e-3));
        INDArray g1 = oneDnn.gradient().gradient();
        INDArray g2 = builtIn.gradient().gradient();
        double relative = g1.sub(g2).norm2Number().doubleValue() / g2.norm2Number().doubleValue();
        assertThat(relative).as("relative L2 difference of all gradients").isLessThan(1e-4);
        assertThat(oneDnn.output(x, false).equalsWithEps(builtIn.output(x, false), 1e-4)).isTrue();
    }

    /** conv -> BN -> pool -> conv -> upsample -> conv, on a non-square input, float. */
    static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(42)
                .dataType(DataType.FLOAT)
                .updater(new Sgd(0.01))
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(12).activation(Activation.RELU).build())
                .layer(new Upsampling2D.Builder(2).build())
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(CLASSES).activation(Activation.IDENTITY).build())
                .layer(new CnnLossLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(HEIGHT, WIDTH, CHANNELS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    static INDArray features() {
        Nd4j.getRandom().setSeed(7);
        return Nd4j.rand(DataType.FLOAT, 2, CHANNELS, HEIGHT, WIDTH);
    }

    /** Two one-hot classes: foreground where the first input channel is above 0.5. */
    static INDArray labels() {
        INDArray foreground = features().get(all(), interval(0, 1), all(), all()).gt(0.5).castTo(DataType.FLOAT);
        return Nd4j.concat(1, foreground, foreground.rsub(1.0));
    }

    private static List<Object> helperOf(MultiLayerNetwork net, Class<? extends Layer> type) {
        List<Object> helpers = new ArrayList<>();
        for (Layer layer : net.getLayers()) {
            if (layer.getClass() == type) {
                helpers.add(layer.getHelper());
            }
        }
        return helpers;
    }

    /** DL4J's protected {@code helperCountFail} of conv, batch-norm and pooling layers. */
    private static int helperFailures(Layer layer) throws ReflectiveOperationException {
        for (Class<?> c = layer.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField("helperCountFail");
                field.setAccessible(true);
                return field.getInt(layer);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException("helperCountFail in " + layer.getClass());
    }

    /** DL4J reads the property when each layer is created, so a network built here has no helpers. */
    private static synchronized MultiLayerNetwork withHelpersDisabled(Supplier<MultiLayerNetwork> build) {
        try (SavedProperties saved = SavedProperties.of(CpuAcceleration.HELPERS_DISABLE_PROPERTY)) {
            System.setProperty(CpuAcceleration.HELPERS_DISABLE_PROPERTY, "true");
            return build.get();
        }
    }
}
