package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.files.UnusableFileException;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.TemporaryDl4jResources;
import io.github.mdunet.zoo.graph.ConvBatchNormChains;
import io.github.mdunet.zoo.graph.Fusions;
import io.github.mdunet.zoo.graph.GraphCopy;
import io.github.mdunet.zoo.graph.GraphSource;
import io.github.mdunet.zoo.graph.LayerDefaults;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Pretrained weights with a locally saved zoo model standing in for the download: ResNet50 built with random
 * weights (and random batch-norm statistics) and written with {@code ModelSerializer} under the zoo's file name in a
 * temporary DL4J resources directory.
 */
class PretrainedWeightsTest {

    private static final String ZOO_FILE = "resnet50_dl4j_inference.v3.zip";
    private static final List<String> KERAS_VGG16_CONVOLUTIONS = List.of("block1_conv1", "block1_conv2",
            "block2_conv1", "block2_conv2", "block3_conv1", "block3_conv2", "block3_conv3", "block4_conv1",
            "block4_conv2", "block4_conv3", "block5_conv1", "block5_conv2", "block5_conv3");

    @RegisterExtension
    final TemporaryDl4jResources resources = new TemporaryDl4jResources();

    private static UNetConfig config(Weights weights) {
        return config(ZooBackbone.RESNET50, weights);
    }

    private static UNetConfig config(ZooBackbone layout, Weights weights) {
        return config(layout, weights, BlockLayers.STOCK);
    }

    private static UNetConfig config(ZooBackbone layout, Weights weights, BlockLayers layers) {
        // a small decoder: this test is about the encoder
        List<Integer> widths = List.of(32, 16, 16, 8, 8).subList(0, layout.skips().size());
        return UNetConfig.builder().encoder(new ZooEncoder(layout, weights))
                .input(new ImageShape(3, 64, 96)).numClasses(2).decoderChannels(widths)
                .midChannelScale(0.0625).layers(layers).build();
    }

    private Path writeStandIn() throws IOException {
        ComputationGraph zoo = ResNet50.builder().numClasses(10).build().init();
        Nd4j.getRandom().setSeed(17);
        for (Layer layer : zoo.getLayers()) {
            if (layer.paramTable().containsKey("mean")) {
                // running statistics, gamma and beta that a fresh U-Net would not have, near what the He-scaled
                // weights below give (so that the deepest maps stay finite in inference mode)
                layer.getParam("mean").assign(Nd4j.rand(layer.getParam("mean").shape()).muli(0.2).subi(0.1));
                layer.getParam("log10stdev").assign(Nd4j.rand(layer.getParam("log10stdev").shape()).muli(0.2));
                layer.getParam("gamma").assign(Nd4j.rand(layer.getParam("gamma").shape()).muli(0.5).addi(0.5));
                layer.getParam("beta").assign(Nd4j.rand(layer.getParam("beta").shape()).muli(0.2).subi(0.1));
            } else if (layer.paramTable().containsKey("b") && layer.getParam("W").rank() == 4) {
                INDArray weights = layer.getParam("W");
                double fanIn = weights.size(1) * weights.size(2) * weights.size(3);
                weights.assign(Nd4j.randn(weights.dataType(), weights.shape()).muli(Math.sqrt(2 / fanIn)));
                // convolution biases, which the fused blocks fold into the running mean
                layer.getParam("b").assign(Nd4j.rand(layer.getParam("b").shape()).muli(0.2).subi(0.1));
            }
        }
        Path directory = PretrainedWeights.cacheDirectory(ZooBackbone.RESNET50);
        Files.createDirectories(directory);
        Path file = directory.resolve(ZOO_FILE);
        ModelSerializer.writeModel(zoo, file.toFile(), false);
        return file;
    }

    @Test
    void theCacheDirectoryIsTheZoosOwn() {
        assertThat(PretrainedWeights.cacheDirectory(ZooBackbone.RESNET50))
                .isEqualTo(resources.directory().resolve("models").resolve("resnet50"));
    }

    @Test
    void withoutTheFileTheErrorNamesFileDirectoryAndDownload() {
        assertThatThrownBy(() -> PretrainedWeights.build(config(Weights.imagenet())))
                .isInstanceOf(FileNotFoundException.class)
                .hasMessageNotContaining("UnknownHost")
                .hasMessageContaining("ResNet50 IMAGENET weights not found")
                .hasMessageContaining(ZOO_FILE)
                .hasMessageContaining(resources.directory().resolve("models").resolve("resnet50").toString())
                .hasMessageContaining("https://")
                .hasMessageContaining("Weights.file(path)");
    }

    @Test
    void aFileThatFailsTheZoosChecksumIsRefusedAndKept() throws IOException {
        Path directory = PretrainedWeights.cacheDirectory(ZooBackbone.RESNET50);
        Files.createDirectories(directory);
        Path file = Files.write(directory.resolve(ZOO_FILE), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> PretrainedWeights.read(ZooBackbone.RESNET50, Weights.imagenet()))
                .isInstanceOf(UnusableFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("fails the zoo's checksum")
                .hasMessageContaining("expected 3914447815")
                .hasMessageContaining("Weights.ownFile(path)");
        assertThat(file).exists();
        // the same check passes with the file's own checksum
        PretrainedWeights.verifyChecksum(file, PretrainedWeights.checksum(file), "test");
    }

    /** A checksum is read once per file version: a changed file (its size or time) is read again. */
    @Test
    void aChangedFileIsChecksummedAnew() throws IOException {
        Path file = Files.write(resources.directory().resolve("w.zip"), new byte[] {1, 2, 3});
        long first = PretrainedWeights.checksum(file);
        assertThat(PretrainedWeights.checksum(file)).isEqualTo(first);
        Files.write(file, new byte[] {1, 2, 3, 4});
        java.util.zip.Adler32 expected = new java.util.zip.Adler32();
        expected.update(new byte[] {1, 2, 3, 4});
        assertThat(PretrainedWeights.checksum(file)).isEqualTo(expected.getValue()).isNotEqualTo(first);
    }

    /** A file that is no model (here cut to three bytes) is named as unusable, not thrown as DL4J's failure. */
    @Test
    void aFileThatIsNoModelIsRefusedNamingIt() throws IOException {
        Path file = Files.write(resources.directory().resolve("cut.zip"), new byte[] {'P', 'K', 3});
        assertThatThrownBy(() -> PretrainedWeights.read(ZooBackbone.SQUEEZENET, Weights.ownFile(file.toString())))
                .isInstanceOf(UnusableFileException.class)
                .hasMessageContaining("SqueezeNet weights: " + file.toAbsolutePath() + " is not a DL4J model file");
        assertThat(PretrainedWeights.verify(ZooBackbone.SQUEEZENET, Weights.ownFile(file.toString())))
                .as("verify only finds a file of your own: it has no checksum to check").isEqualTo(file);
    }

    /** Strides carry no weights: the same file loads into the reference layout and into DL4J's. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ZooBackbone.class, names = {"RESNET50", "RESNET50_DL4J"})
    void weightsAreBitIdenticalInsideTheUNetBatchNormStatisticsIncluded(ZooBackbone layout) throws IOException {
        Path file = writeStandIn();
        // the stand-in is not the zoo's file: the checksum refuses it for Weights.file, Weights.ownFile opts out
        assertThatThrownBy(() -> PretrainedWeights.build(config(layout, Weights.file(file.toString()))))
                .hasMessageContaining("fails the zoo's checksum");
        UNet unet = PretrainedWeights.build(config(layout, Weights.ownFile(file.toString())));

        ComputationGraph zoo = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        Set<String> encoder = UNetGraphFactory.create(unet.config()).encoderVertices();
        int layersCompared = 0;
        for (String name : encoder) {
            Layer inUNet = unet.graph().getLayer(name);
            if (inUNet == null || inUNet.numParams() == 0) {
                continue;
            }
            for (Map.Entry<String, INDArray> param : inUNet.paramTable().entrySet()) {
                float[] expected = zoo.getLayer(name).getParam(param.getKey()).dup('c').data().asFloat();
                float[] actual = param.getValue().dup('c').data().asFloat();
                assertThat(java.util.Arrays.mismatch(actual, expected)).as(name + "." + param.getKey()
                        + " first differing element (-1: bit-identical)").isEqualTo(-1);
            }
            layersCompared++;
        }
        assertThat(layersCompared).isEqualTo(53 + 53); // 53 convolutions and 53 batch norms
        assertThat(unet.config().encoder().inputNormalization())
                .isEqualTo(io.github.mdunet.core.encoder.InputNormalization.CAFFE_BGR);

        // the imagenet path finds the same file in the cache and stops at the checksum, not at a download
        assertThatThrownBy(() -> PretrainedWeights.build(config(layout, Weights.imagenet())))
                .hasMessageContaining("fails the zoo's checksum").hasMessageContaining(file.toString());
    }

    /**
     * The fused encoder with the same file computes what the stock encoder computes (bottleneck and every skip, in
     * inference and in training mode), its weights bit for bit the zoo's, the conv biases folded into the running
     * means.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ZooBackbone.class, names = {"RESNET50", "RESNET50_DL4J"})
    void fusedEncoderWithPretrainedWeightsComputesWhatTheStockEncoderComputes(ZooBackbone layout) throws IOException {
        Path file = writeStandIn();
        UNet stock = PretrainedWeights.build(config(layout, Weights.ownFile(file.toString()), BlockLayers.STOCK));
        UNet fused = PretrainedWeights.build(config(layout, Weights.ownFile(file.toString()), BlockLayers.FUSED));
        assertThat(fused.graph().getConfiguration().getVertices().get("res2a_branch2a")).isNull();
        Set<String> encoderVertices = UNetGraphFactory.create(config(layout, Weights.ownFile(file.toString()),
                BlockLayers.FUSED)).encoderVertices();
        List<io.github.mdunet.core.layers.direct.ConvNormActivation> blocks = fused.graph().getConfiguration()
                .getVertices().values().stream()
                .filter(v -> v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex)
                .map(v -> ((org.deeplearning4j.nn.conf.graph.LayerVertex) v).getLayerConf().getLayer())
                .filter(l -> l instanceof io.github.mdunet.core.layers.direct.ConvNormActivation)
                .map(l -> (io.github.mdunet.core.layers.direct.ConvNormActivation) l)
                .filter(l -> encoderVertices.contains(l.getLayerName()))
                .toList();
        // every convolution of the encoder, 33 with their ReLU (stem, 2a and 2b of 16 blocks), 20 without (2c, 1)
        assertThat(blocks).hasSize(53);
        assertThat(blocks.stream().filter(b -> b.getActivationFn() instanceof
                org.nd4j.linalg.activations.impl.ActivationReLU)).hasSize(33);
        assertThat(((org.deeplearning4j.nn.conf.graph.LayerVertex) fused.graph().getConfiguration().getVertices()
                .get("act2a_branch2a")).getLayerConf().getLayer())
                .isInstanceOf(io.github.mdunet.core.layers.direct.ConvNormActivation.class);

        ComputationGraph zoo = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        INDArray weights = fused.graph().getLayer("act2a_branch2a").getParam("W");
        float[] expected = zoo.getLayer("res2a_branch2a").getParam("W").dup('c').data().asFloat();
        assertThat(java.util.Arrays.mismatch(weights.dup('c').data().asFloat(), expected)).isEqualTo(-1);
        INDArray foldedMean = zoo.getLayer("bn2a_branch2a").getParam("mean")
                .sub(zoo.getLayer("res2a_branch2a").getParam("b").reshape(-1));
        assertThat(fused.graph().getLayer("act2a_branch2a").getParam("mean").sub(foldedMean).amaxNumber()
                .doubleValue()).isLessThan(1e-6);

        Nd4j.getRandom().setSeed(5);
        INDArray image = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 64, 96).muli(2).subi(1);
        List<String> taps = new java.util.ArrayList<>();
        layout.skips().forEach(tap -> taps.add(tap.vertexName()));
        taps.add(layout.bottleneck().vertexName());
        for (boolean training : new boolean[] {false, true}) {
            Map<String, INDArray> expectedActivations = stock.graph().feedForward(image, training);
            Map<String, INDArray> actualActivations = fused.graph().feedForward(image, training);
            for (String tap : taps) {
                INDArray want = expectedActivations.get(tap);
                assertThat(want.isInfinite().any() || want.isNaN().any()).as("%s finite", tap).isFalse();
                double scale = Math.max(1.0, want.amaxNumber().doubleValue());
                // In training, batch norm divides by the batch's own spread; where a channel has only a few values
                // (the deepest maps: 2 images x 1 x 2 pixels in DL4J's layout) that amplifies float rounding, such as
                // the folded bias's
                long valuesPerChannel = want.size(0) * want.size(2) * want.size(3);
                double tolerance = training && valuesPerChannel < 32 ? 2e-2 : 1e-4;
                assertThat(actualActivations.get(tap).sub(want).amaxNumber().doubleValue() / scale)
                        .as("%s, training=%s", tap, training).isLessThan(tolerance);
            }
        }
    }

    /**
     * A U-Net of your own, saved with either layout ({@code FUSED}, the default, has one {@code ConvNormActivation}
     * per conv-norm-activation chain; {@code STOCK} the zoo's separate layers), loads with {@code Weights.ownFile}
     * into either layout: the encoder's parameters are the saved ones (the running variance as a variance, since
     * the two layouts store it differently) and its skips and bottleneck are the saved U-Net's in inference mode.
     */
    @ParameterizedTest(name = "saved {0}")
    @EnumSource(BlockLayers.class)
    void anOwnFileOfEitherLayoutLoadsIntoEitherLayout(BlockLayers saved) throws IOException {
        UNetConfig savedConfig = config(ZooBackbone.TINY_YOLO, Weights.random(), saved);
        UNet trained = UNet.build(savedConfig);
        Nd4j.getRandom().setSeed(31);
        for (Layer layer : trained.graph().getLayers()) {
            // running statistics, gamma and beta that a freshly built U-Net would not have
            for (String key : List.of("gamma", "beta", "mean", "var", "log10stdev")) {
                if (layer.paramTable().containsKey(key)) {
                    INDArray param = layer.getParam(key);
                    param.assign(Nd4j.rand(param.dataType(), param.shape()).muli(0.4).addi(key.equals("gamma")
                            || key.equals("var") ? 0.8 : -0.2));
                }
            }
        }
        Path file = resources.directory().resolve("own-" + saved + ".zip");
        trained.save(file);
        Nd4j.getRandom().setSeed(5);
        INDArray image = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 64, 96);
        Map<String, INDArray> expectedActivations = trained.graph().feedForward(image, false);
        Map<String, Map<String, INDArray>> savedParameters = encoderParameters(trained);
        for (BlockLayers target : BlockLayers.values()) {
            UNet loaded = PretrainedWeights.build(config(ZooBackbone.TINY_YOLO, Weights.ownFile(file.toString()),
                    target));
            Map<String, Map<String, INDArray>> loadedParameters = encoderParameters(loaded);
            assertThat(loadedParameters.keySet()).as("%s -> %s encoder layers", saved, target)
                    .isEqualTo(savedParameters.keySet());
            for (String parameter : savedParameters.keySet()) {
                Map<String, INDArray> want = savedParameters.get(parameter);
                Map<String, INDArray> got = loadedParameters.get(parameter);
                for (String layer : want.keySet()) {
                    INDArray difference = got.get(layer).sub(want.get(layer));
                    double tolerance = saved == target ? 0.0 : 1e-5 * Math.max(1.0, want.get(layer).amaxNumber()
                            .doubleValue());
                    assertThat(difference.amaxNumber().doubleValue()).as("%s -> %s %s.%s", saved, target, layer,
                            parameter).isLessThanOrEqualTo(tolerance);
                }
            }
            Map<String, INDArray> actualActivations = loaded.graph().feedForward(image, false);
            List<String> taps = new java.util.ArrayList<>();
            ZooBackbone.TINY_YOLO.skips().forEach(tap -> taps.add(tap.vertexName()));
            taps.add(ZooBackbone.TINY_YOLO.bottleneck().vertexName());
            for (String tap : taps) {
                INDArray want = expectedActivations.get(tap);
                double tolerance = saved == target ? 0.0 : 1e-4 * Math.max(1.0, want.amaxNumber().doubleValue());
                assertThat(actualActivations.get(tap).sub(want).amaxNumber().doubleValue())
                        .as("%s -> %s activations at %s", saved, target, tap).isLessThanOrEqualTo(tolerance);
            }
        }
    }

    /**
     * The encoder's parameters of {@code unet} by parameter (weights, gamma, beta, running mean, running variance)
     * and the chain's convolution: the same keys whichever the layout, so the two layouts compare.
     */
    private static Map<String, Map<String, INDArray>> encoderParameters(UNet unet) {
        Map<String, Map<String, INDArray>> byParameter = new java.util.TreeMap<>();
        Map<String, io.github.mdunet.zoo.graph.ConvBatchNormChains.Chain> chains =
                ((ZooEncoder) unet.config().encoder()).fusedChains(BlockLayers.FUSED);
        Map<String, String> chainOf = new java.util.HashMap<>();
        chains.values().forEach(chain -> {
            chainOf.put(chain.convolution(), chain.convolution());
            chainOf.put(chain.batchNorm(), chain.convolution());
            chainOf.put(chain.fusedName(), chain.convolution());
        });
        for (String name : UNetGraphFactory.create(unet.config()).encoderVertices()) {
            Layer layer = unet.graph().getLayer(name);
            if (layer == null || layer.numParams() == 0) {
                continue;
            }
            String chain = chainOf.getOrDefault(name, name);
            for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
                String key = param.getKey();
                INDArray value = param.getValue().dup('c');
                if (key.equals("log10stdev")) {
                    key = "var";
                    value = io.github.mdunet.core.layers.BatchNormParams.varianceOfLog10Std(value);
                }
                byParameter.computeIfAbsent(key, k -> new java.util.TreeMap<>()).put(chain, value.reshape(-1));
            }
        }
        return byParameter;
    }

    /**
     * DL4J's pretrained VGG16 file was converted from Keras and keeps Keras's layer names (its transfer-learning
     * examples freeze up to "block5_pool" and replace "fc2" and "predictions"), while the zoo's graph, and so the
     * encoder, numbers its vertices. A stand-in with Keras's names and VGG16's shapes loads into the encoder and into
     * the perceptual loss's network, bit for bit, by position in the table.
     */
    @Test
    void vgg16WeightsLoadFromAFileWithKerasNames() throws IOException {
        Path file = writeKerasVgg16();
        ComputationGraph zoo = ModelSerializer.restoreComputationGraph(file.toFile(), false);
        // the zoo graph's convolutions, in order, and the file's
        List<String> numbered = List.of("0", "1", "3", "4", "6", "7", "8", "10", "11", "12", "14", "15", "16");
        List<String> keras = KERAS_VGG16_CONVOLUTIONS;

        UNet unet = PretrainedWeights.build(config(ZooBackbone.VGG16, Weights.ownFile(file.toString())));
        int layersCompared = 0;
        for (String name : UNetGraphFactory.create(unet.config()).encoderVertices()) {
            Layer inUNet = unet.graph().getLayer(name);
            if (inUNet == null || inUNet.numParams() == 0) {
                continue;
            }
            assertBitIdentical(inUNet, zoo.getLayer(keras.get(numbered.indexOf(name))));
            layersCompared++;
        }
        assertThat(layersCompared).isEqualTo(13);

        ComputationGraph features = new io.github.mdunet.zoo.features.Vgg16Features(Weights.ownFile(file.toString()),
                List.of(1.0, 1.0, 1.0), 5).build(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        // Its taps end at conv5_3 ("16", block5_conv3): the whole convolution stack is copied and loaded.
        for (String name : List.of("0", "6", "12", "16")) {
            assertBitIdentical(features.getLayer(name), zoo.getLayer(keras.get(numbered.indexOf(name))));
        }
    }

    @Test
    void theVggTablesGiveKerasNamesByPosition() {
        Map<String, String> names = ZooBackbone.VGG16.pretrainedNames();
        assertThat(names).containsEntry("0", "block1_conv1").containsEntry("2", "block1_pool")
                .containsEntry("16", "block5_conv3").containsEntry("17", "block5_pool")
                .containsEntry("18", "fc1").containsEntry("19", "fc2").containsEntry("20", "predictions");
        assertThat(names.values()).containsAll(KERAS_VGG16_CONVOLUTIONS);
        assertThat(ZooBackbone.VGG19.pretrainedNames()).containsEntry("9", "block3_conv4")
                .containsEntry("19", "block5_conv4").containsEntry("20", "block5_pool");
        assertThat(ZooBackbone.RESNET50.pretrainedNames()).isEmpty();
    }

    @Test
    void aFileWithoutVggsLayersIsRefusedNamingBothNames() throws IOException {
        ComputationGraph other = new ComputationGraph(TestGraphs.smallClassifier(3));
        other.init();
        Path file = resources.directory().resolve("not-vgg.zip");
        ModelSerializer.writeModel(other, file.toFile(), false);
        assertThatThrownBy(() -> PretrainedWeights.build(config(ZooBackbone.VGG16, Weights.ownFile(file.toString()))))
                .isInstanceOf(UnusableFileException.class)
                .hasMessageContaining("VGG16 weights: " + file.toAbsolutePath() + ": ")
                .hasMessageContaining("no layer '0' nor 'block1_conv1' (its name in the zoo's pretrained file)")
                .hasMessageContaining("not this backbone's")
                .hasMessageContaining("c1");
    }

    /**
     * A file that does not fit is named, and the graph built for it (the perceptual loss's VGG16, 7.6M parameters up
     * to conv4_3, or the U-Net) is closed rather than left holding native memory until the garbage collector finds
     * it: no buffer of the graph's parameter count is left open.
     */
    @Test
    void aGraphBuiltForAFileThatDoesNotFitIsClosedAndTheFileNamed() throws IOException {
        Path file = writeSmallGraph("not-vgg.zip");
        ComputationGraph random = io.github.mdunet.zoo.features.Vgg16Features.fastai(Weights.random())
                .build(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        long vggParameters = random.numParams();
        random.close();
        List<org.nd4j.linalg.api.buffer.DataBuffer> open = UnclosedBuffers.leftBy(() -> assertThatThrownBy(() ->
                io.github.mdunet.zoo.features.Vgg16Features.fastai(Weights.ownFile(file.toString()))
                        .build(org.nd4j.linalg.api.buffer.DataType.FLOAT))
                .isInstanceOf(UnusableFileException.class)
                .hasMessageContaining("VGG16 weights: " + file.toAbsolutePath() + ": the pretrained file has no"
                        + " layer '"));
        assertThat(open).noneMatch(buffer -> buffer.length() == vggParameters);

        UNetConfig squeezeNet = config(ZooBackbone.SQUEEZENET, Weights.ownFile(file.toString()));
        UNet probe = UNet.build(squeezeNet);
        long unetParameters = probe.numParams();
        probe.graph().close();
        open = UnclosedBuffers.leftBy(() -> assertThatThrownBy(() -> PretrainedWeights.build(squeezeNet))
                .isInstanceOf(UnusableFileException.class)
                .hasMessageContaining("SqueezeNet weights: " + file.toAbsolutePath() + ": the pretrained file has no"
                        + " layer '"));
        assertThat(open).noneMatch(buffer -> buffer.length() == unetParameters);
    }

    /** {@code in -> c (kernelHeight x kernelWidth, in -> out channels, no bias) -> bn -> a (ReLU)}. */
    private static ComputationGraphConfiguration convBatchNormRelu(int kernelHeight, int kernelWidth, int in, int out) {
        return new NeuralNetConfiguration.Builder().seed(3).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("in")
                .addLayer("c", new ConvolutionLayer.Builder(kernelHeight, kernelWidth).nOut(out).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new org.deeplearning4j.nn.conf.layers.BatchNormalization(), "c")
                .addLayer("a", new org.deeplearning4j.nn.conf.layers.ActivationLayer(Activation.RELU), "bn")
                .setOutputs("a")
                .setInputTypes(InputType.convolutional(12, 12, in))
                .build();
    }

    private static Map<String, ConvBatchNormChains.Chain> chainsOf(ComputationGraphConfiguration stock) {
        GraphSource source = GraphSource.of(stock);
        return ConvBatchNormChains.find(source, source.ancestorsOf(List.of("a")), Set.of("a"));
    }

    /** {@link #convBatchNormRelu} with its chain fused into one {@code ConvNormActivation} named "a", initialised. */
    private static ComputationGraph fused(int kernelHeight, int kernelWidth, int in, int out) {
        ComputationGraphConfiguration stock = convBatchNormRelu(kernelHeight, kernelWidth, in, out);
        GraphSource source = GraphSource.of(stock);
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder().seed(5)
                .graphBuilder().addInputs("in");
        GraphCopy.copy(source, List.of("a"), graph, "in", LayerDefaults.USE_UNET_UPDATER_AND_INIT, (v, l) -> { },
                new Fusions(chainsOf(stock), Map.of()));
        graph.setOutputs("a").setInputTypes(InputType.convolutional(12, 12, in));
        ComputationGraph built = new ComputationGraph(graph.build());
        built.init();
        return built;
    }

    private static ComputationGraph initialised(ComputationGraphConfiguration configuration) {
        ComputationGraph graph = new ComputationGraph(configuration);
        graph.init();
        return graph;
    }

    /** Copies {@code pretrained}'s layers into a fused convolution of the given kernel and channels, named "a". */
    private static ThrowingCallable copyingIntoFused(ComputationGraph pretrained, int kernelHeight, int kernelWidth,
            int in, int out) {
        ComputationGraph target = fused(kernelHeight, kernelWidth, in, out);
        return () -> PretrainedWeights.copyParameters(pretrained, target, Set.of("a"),
                chainsOf(convBatchNormRelu(kernelHeight, kernelWidth, in, out)));
    }

    /**
     * A convolution of the same size in another shape is refused, naming the layer, the parameter and both shapes:
     * a 1x3 kernel into a 3x1 one, and the reviewer's transposed channels ([64, 128, 1, 1] into [128, 64, 1, 1]),
     * where the fused path once compared element counts only.
     */
    @Test
    void aKernelOfTheSameSizeInAnotherShapeIsRefusedNamingBothShapes() {
        ComputationGraph tall = initialised(convBatchNormRelu(3, 1, 4, 4));
        assertThatThrownBy(copyingIntoFused(tall, 1, 3, 4, 4))
                .isInstanceOf(UnusableFileException.class)
                .hasMessageContaining("fused layer 'a' parameter 'W'")
                .hasMessageContaining("of shape [4, 4, 1, 3] does not fit the pretrained value of shape [4, 4, 3, 1]");

        ComputationGraph wideToNarrow = initialised(convBatchNormRelu(1, 1, 128, 64));
        assertThatThrownBy(copyingIntoFused(wideToNarrow, 1, 1, 64, 128))
                .isInstanceOf(UnusableFileException.class)
                .hasMessageContaining("fused layer 'a' parameter 'W'")
                .hasMessageContaining("of shape [128, 64, 1, 1] does not fit the pretrained value of shape"
                        + " [64, 128, 1, 1]");
    }

    /**
     * timm's {@code adapt_input_conv} for the first convolution, fused or not: 1 channel takes the sum of the RGB
     * kernels; 2 and 4 channels take them cyclically, scaled by 3 / C.
     */
    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {1, 2, 4})
    void theFilesRgbKernelsAreAdaptedToTheInputsChannels(int channels) throws IOException {
        ComputationGraph rgb = initialised(convBatchNormRelu(3, 3, 3, 8));
        INDArray kernels = rgb.getLayer("c").getParam("W").dup();
        INDArray expected = expectedAdaptation(kernels, channels);

        ComputationGraph fusedTarget = fused(3, 3, channels, 8);
        PretrainedWeights.copyParameters(rgb, fusedTarget, Set.of("a"), chainsOf(convBatchNormRelu(3, 3, 3, 8)));
        assertThat(fusedTarget.getLayer("a").paramTable().get("W").sub(expected).amaxNumber().doubleValue())
                .as("fused").isLessThan(1e-6);

        ComputationGraph stockTarget = initialised(convBatchNormRelu(3, 3, channels, 8));
        PretrainedWeights.copyParameters(rgb, stockTarget, Set.of("c", "bn"));
        assertThat(stockTarget.getLayer("c").getParam("W").sub(expected).amaxNumber().doubleValue())
                .as("stock").isLessThan(1e-6);
        assertThat(stockTarget.getLayer("bn").getParam("gamma")).isEqualTo(rgb.getLayer("bn").getParam("gamma"));
    }

    /** timm's rule written out element by element. */
    private static INDArray expectedAdaptation(INDArray rgb, int channels) {
        INDArray expected = Nd4j.create(rgb.dataType(), rgb.size(0), channels, rgb.size(2), rgb.size(3));
        for (int out = 0; out < rgb.size(0); out++) {
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < rgb.size(2); y++) {
                    for (int x = 0; x < rgb.size(3); x++) {
                        double sum = rgb.getDouble(out, 0, y, x) + rgb.getDouble(out, 1, y, x)
                                + rgb.getDouble(out, 2, y, x);
                        double value = channels == 1 ? sum : rgb.getDouble(out, c % 3, y, x) * 3.0 / channels;
                        expected.putScalar(new long[] {out, c, y, x}, value);
                    }
                }
            }
        }
        return expected;
    }

    /**
     * The zoo's file (a SqueezeNet stand-in with the zoo's checksum, read with {@code Weights.file}) fills a U-Net of
     * 1 or 4 input channels: its first convolution adapted as timm does, every other layer bit for bit. The gray
     * U-Net predicts, saves and loads.
     */
    @ParameterizedTest(name = "{0} channels")
    @ValueSource(ints = {1, 4})
    void theZoosFileFillsAUNetOfAnotherChannelCount(int channels) throws IOException {
        ComputationGraph zoo = org.deeplearning4j.zoo.model.SqueezeNet.builder().numClasses(10).build().init();
        Path file = resources.directory().resolve("squeezenet-copy.zip");
        ModelSerializer.writeModel(zoo, file.toFile(), false);
        ZipChecksum.stamp(file, ZooBackbone.SQUEEZENET.zooModel().pretrainedChecksum(PretrainedType.IMAGENET));
        ImageShape input = new ImageShape(channels, 64, 64);
        UNetConfig config = UNetConfig.builder().encoder(new ZooEncoder(ZooBackbone.SQUEEZENET,
                        Weights.file(file.toString()))).input(input).numClasses(2).decoderChannels(List.of(8, 8, 8))
                .midChannelScale(0.0625).build();

        UNet unet = PretrainedWeights.build(config);
        INDArray adapted = unet.graph().getLayer("conv1").getParam("W");
        assertThat(adapted.shape()).containsExactly(64, channels, 3, 3);
        INDArray expected = expectedAdaptation(zoo.getLayer("conv1").getParam("W"), channels);
        assertThat(adapted.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertBitIdentical(unet.graph().getLayer("fire9_exp3x3"), zoo.getLayer("fire9_exp3x3"));
        assertBitIdentical(unet.graph().getLayer("conv1"), zoo.getLayer("conv1"), "b");

        if (channels == 1) {
            INDArray gray = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 64, 64);
            INDArray predicted = unet.predict(gray);
            assertThat(predicted.shape()).containsExactly(2, 2, 64, 64);
            Path saved = resources.directory().resolve("gray-unet.zip");
            unet.save(saved);
            UNet loaded = UNet.load(saved);
            assertThat(loaded.config()).isEqualTo(config);
            assertThat(loaded.predict(gray)).isEqualTo(predicted);
        }
    }

    /**
     * {@code Weights.file} takes a copy of any of the zoo's files for the backbone: Darknet19's 448 file (the zoo's
     * IMAGENET at input 448) and VGG16's CIFAR10 file pass; another file is refused, naming every file it could
     * have been. The stand-ins are small graphs given those files' checksums.
     */
    @Test
    void weightsFileAcceptsAnyOfTheZoosFilesForTheBackbone() throws IOException {
        long darknet448 = org.deeplearning4j.zoo.model.Darknet19.builder().inputShape(new int[] {3, 448, 448})
                .build().pretrainedChecksum(PretrainedType.IMAGENET);
        long vgg16Cifar = org.deeplearning4j.zoo.model.VGG16.builder().build()
                .pretrainedChecksum(PretrainedType.CIFAR10);
        for (Map.Entry<ZooBackbone, Long> zooFile : Map.of(ZooBackbone.DARKNET19, darknet448, ZooBackbone.VGG16,
                vgg16Cifar).entrySet()) {
            Path file = writeSmallGraph("stand-in-" + zooFile.getKey() + ".zip");
            ZipChecksum.stamp(file, zooFile.getValue());
            assertThat(PretrainedWeights.read(zooFile.getKey(), Weights.file(file.toString())).getLayer("c1"))
                    .as(zooFile.getKey().toString()).isNotNull();
        }
        Path other = writeSmallGraph("other.zip");
        assertThatThrownBy(() -> PretrainedWeights.read(ZooBackbone.DARKNET19, Weights.file(other.toString())))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(other.toString())
                .hasMessageContaining("fails the zoo's checksum")
                .hasMessageContaining("IMAGENET darknet19_dl4j_inference.v2.zip=691100891")
                .hasMessageContaining("IMAGENET darknet19_448_dl4j_inference.v2.zip=" + darknet448)
                .hasMessageContaining("Weights.ownFile(path)");
    }

    private Path writeSmallGraph(String name) throws IOException {
        ComputationGraph graph = new ComputationGraph(TestGraphs.smallClassifier(3));
        graph.init();
        Path file = resources.directory().resolve(name);
        ModelSerializer.writeModel(graph, file.toFile(), false);
        return file;
    }

    private static void assertBitIdentical(Layer actual, Layer expected, String... onlyParams) {
        for (Map.Entry<String, INDArray> param : actual.paramTable().entrySet()) {
            if (onlyParams.length > 0 && !List.of(onlyParams).contains(param.getKey())) {
                continue;
            }
            float[] want = expected.getParam(param.getKey()).dup('c').data().asFloat();
            float[] got = param.getValue().dup('c').data().asFloat();
            assertThat(java.util.Arrays.mismatch(got, want)).as(actual.conf().getLayer().getLayerName() + "."
                    + param.getKey() + " first differing element (-1: bit-identical)").isEqualTo(-1);
        }
    }

    /**
     * VGG16 as DL4J's pretrained file has it (converted from Keras): Keras's layer names, VGG16's convolutions, a
     * "flatten" vertex and a head; random weights and biases. The head is narrower than the real 4096 (the encoder
     * never reads it) and the input is 32 x 32, so the file stays at the convolutions' 59 MB.
     */
    private Path writeKerasVgg16() throws IOException {
        ComputationGraphConfiguration.GraphBuilder graph = new NeuralNetConfiguration.Builder().seed(23)
                .activation(Activation.RELU).convolutionMode(ConvolutionMode.Same).graphBuilder()
                .addInputs("input_1");
        int[] convolutions = {2, 2, 3, 3, 3};
        int[] widths = {64, 128, 256, 512, 512};
        String previous = "input_1";
        for (int block = 1; block <= convolutions.length; block++) {
            for (int convolution = 1; convolution <= convolutions[block - 1]; convolution++) {
                String name = "block" + block + "_conv" + convolution;
                graph.addLayer(name, new ConvolutionLayer.Builder(3, 3).nOut(widths[block - 1]).build(), previous);
                previous = name;
            }
            String pool = "block" + block + "_pool";
            graph.addLayer(pool, new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2)
                    .stride(2, 2).build(), previous);
            previous = pool;
        }
        graph.addVertex("flatten", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(1, 1, 512)), previous)
                .addLayer("fc1", new DenseLayer.Builder().nOut(32).build(), "flatten")
                .addLayer("fc2", new DenseLayer.Builder().nOut(32).build(), "fc1")
                .addLayer("predictions", new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(10).activation(Activation.SOFTMAX).build(), "fc2")
                .setOutputs("predictions")
                .setInputTypes(InputType.convolutional(32, 32, 3));
        ComputationGraph vgg = new ComputationGraph(graph.build());
        vgg.init();
        Nd4j.getRandom().setSeed(29);
        for (Layer layer : vgg.getLayers()) {
            if (layer.paramTable().containsKey("b")) {
                layer.getParam("b").assign(Nd4j.rand(layer.getParam("b").shape()).muli(0.2).subi(0.1));
            }
        }
        Path directory = PretrainedWeights.cacheDirectory(ZooBackbone.VGG16);
        Files.createDirectories(directory);
        Path file = directory.resolve("vgg16_dl4j_inference.zip");
        ModelSerializer.writeModel(vgg, file.toFile(), false);
        return file;
    }
}
