package io.github.mdunet.zoo.pretrained;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.files.UnusableFileException;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.layers.BatchNormParams;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.ZooBackbone;
import io.github.mdunet.zoo.ZooEncoder;
import io.github.mdunet.zoo.graph.ConvBatchNormChains;
import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.Adler32;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Pretrained zoo weights for a U-Net's encoder: finds the zoo's file (never downloads it), verifies it with the
 * zoo's Adler32 checksum, reads it with {@code ModelSerializer} and copies every encoder layer's parameters into the
 * U-Net by vertex name, batch-norm running mean and variance included (DL4J keeps them as parameters). A layer that
 * the file does not have under the vertex's name is looked up under the name the zoo's file gives it
 * ({@link ZooBackbone#pretrainedNames()}: Keras's {@code block1_conv1} for VGG's vertex "0"). Either layout
 * ({@link BlockLayers}) loads from a file of either: the zoo's separate convolution and batch-norm layers fill a
 * fused block, and a fused block of a U-Net saved with {@code FUSED} layers fills a fused block or the separate
 * layers.
 *
 * <p>Typical use: {@code UNet unet = PretrainedWeights.build(config)} with a {@link ZooEncoder} whose weights are
 * {@link Weights#imagenet()} or {@link Weights#file(String)}.
 */
public final class PretrainedWeights {

    /** The checksums computed in this JVM, by file, with the size and modification time they were computed for. */
    private static final Map<Path, ComputedChecksum> CHECKSUMS = new ConcurrentHashMap<>();

    /** The input channels of the zoo's pretrained kernels, which adapt to other counts. */
    private static final int RGB_CHANNELS = 3;

    private PretrainedWeights() {
    }

    /**
     * {@code UNet.build(config)} with the encoder's pretrained weights when its {@link Weights} ask for them. The
     * file is found and verified before the U-Net is allocated, so a missing file fails fast.
     */
    public static UNet build(UNetConfig config) throws IOException {
        if (!(config.encoder() instanceof ZooEncoder encoder && encoder.weights().pretrained())) {
            return UNet.build(config);
        }
        Path file = verify(encoder.backbone(), encoder.weights());
        ComputationGraph zoo = read(encoder.backbone(), file);
        try {
            UNet unet = UNet.build(config);
            try {
                copyFromFile(zoo, file, encoder.backbone(), unet.graph(),
                        UNetGraphFactory.create(config).encoderVertices(), encoder.fusedChains(BlockLayers.FUSED));
            } catch (IOException | RuntimeException e) {
                unet.graph().close(); // native memory that nobody else holds
                throw e;
            }
            return unet;
        } finally {
            zoo.close(); // the whole zoo network, classifier included, is native memory the U-Net does not need
        }
    }

    /**
     * Copies the weights named by {@code encoder.weights()} into {@code unet}'s encoder layers.
     *
     * @return the number of parameters copied
     * @throws FileNotFoundException naming the expected file, directory and download address when it is absent
     * @throws IOException           when the file fails the checksum or does not fit the encoder (naming the file)
     */
    public static long load(UNet unet, ZooEncoder encoder) throws IOException {
        Path file = verify(encoder.backbone(), encoder.weights());
        ComputationGraph zoo = read(encoder.backbone(), file);
        try {
            return copyFromFile(zoo, file, encoder.backbone(), unet.graph(),
                    UNetGraphFactory.create(unet.config()).encoderVertices(), encoder.fusedChains(BlockLayers.FUSED));
        } finally {
            zoo.close();
        }
    }

    /**
     * Copies the weights named by {@code weights} for {@code backbone} into the layers {@code layers} of
     * {@code graph}, a graph of the backbone's separate zoo layers (no fused blocks) under the zoo graph's vertex
     * names, each found in the file by that name or by the zoo file's name for it
     * ({@link ZooBackbone#pretrainedNames()}). The file's network is closed afterwards; {@code graph} is the caller's.
     *
     * @return the number of parameters copied
     * @throws IOException naming the file when it is missing, fails its checksum or does not fit {@code graph}
     */
    public static long load(ComputationGraph graph, Set<String> layers, ZooBackbone backbone, Weights weights)
            throws IOException {
        Path file = verify(backbone, weights);
        ComputationGraph zoo = read(backbone, file);
        try {
            return copyFromFile(zoo, file, backbone, graph, layers, Map.of());
        } finally {
            zoo.close(); // VGG16's fully connected layers alone are most of its 138M parameters
        }
    }

    /** {@link #copyParameters(ComputationGraph, ComputationGraph, Set, Map, Map)}, its errors naming {@code file}. */
    private static long copyFromFile(ComputationGraph zoo, Path file, ZooBackbone backbone, ComputationGraph to,
                                     Set<String> layers, Map<String, ConvBatchNormChains.Chain> fused)
            throws IOException {
        try {
            return copyParameters(zoo, to, layers, fused, backbone.pretrainedNames());
        } catch (UnusableFileException unusable) {
            throw new UnusableFileException(backbone + " weights: " + file.toAbsolutePath() + ": "
                    + unusable.getMessage(), unusable);
        }
    }

    /**
     * Reads the zoo model file that {@code weights} names, after checking it ({@link #verify}).
     *
     * @throws UnusableFileException when the file fails its checksum or is no DL4J graph (not a model, cut short)
     */
    public static ComputationGraph read(ZooBackbone backbone, Weights weights) throws IOException {
        return read(backbone, verify(backbone, weights));
    }

    private static ComputationGraph read(ZooBackbone backbone, Path file) throws IOException {
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new UnusableFileException(backbone + " weights: " + file.toAbsolutePath() + " is not a DL4J model"
                    + " file of a graph that can be read (" + e + "): give the " + backbone + " zoo model saved with"
                    + " ModelSerializer, or download the zoo's file again", e);
        }
    }

    /**
     * Finds the file that {@code weights} name for {@code backbone} and checks its checksum where the weights ask
     * for one, without reading the model: what an app checks before it reads any data.
     *
     * @return the file
     * @throws FileNotFoundException naming the expected file, directory and download address when it is absent
     * @throws UnusableFileException when the file fails the zoo's checksum
     */
    public static Path verify(ZooBackbone backbone, Weights weights) throws IOException {
        Path file = locate(backbone, weights);
        if (weights instanceof Weights.ZooCache cache) {
            verifyChecksum(file, expectedChecksum(backbone, cache.dataset()), backbone + " " + cache.dataset()
                    + " weights");
        } else if (weights instanceof Weights.LocalFile local && local.verifyChecksum()) {
            verifyAnyZooChecksum(file, backbone);
        }
        return file;
    }

    /**
     * The file that {@code weights} name for {@code backbone}: the zoo's cache file for {@link Weights.ZooCache}
     * (DL4J's {@code <resources directory>/models/<model>/<file>}), the given path for {@link Weights.LocalFile}.
     *
     * @throws FileNotFoundException naming the file, where to place it and where the zoo downloads it from (a
     *                               {@link MissingWeightsException} for the zoo's cache, whose remedy an app can
     *                               replace by its own)
     */
    public static Path locate(ZooBackbone backbone, Weights weights) throws FileNotFoundException {
        if (weights instanceof Weights.LocalFile local) {
            Path path = Path.of(local.path());
            if (!Files.isRegularFile(path)) {
                throw new FileNotFoundException(backbone + " weights not found: no file " + path.toAbsolutePath());
            }
            return path;
        }
        if (!(weights instanceof Weights.ZooCache cache)) {
            throw new IllegalArgumentException(backbone + " has random weights (" + weights + "): nothing to load");
        }
        String url = url(backbone, cache.dataset());
        String fileName = new File(url).getName();
        Path directory = cacheDirectory(backbone);
        Path file = directory.resolve(fileName);
        if (!Files.isRegularFile(file)) {
            throw new MissingWeightsException(backbone + " " + cache.dataset() + " weights not found: place "
                    + fileName + " in " + directory + File.separator + " (download: " + url + "), move DL4J's"
                    + " resources directory with -D" + DL4JResources.DL4J_RESOURCES_DIR_PROPERTY + "=<dir>");
        }
        return file;
    }

    /** DL4J's cache directory for {@code backbone}'s zoo files: {@code <resources directory>/models/<model>}. */
    public static Path cacheDirectory(ZooBackbone backbone) {
        return new File(DL4JResources.getBaseDirectory(),
                ResourceType.ZOO_MODEL.resourceName() + File.separator + zoo(backbone).modelName()).toPath();
    }

    /**
     * The Adler32 checksum of a file, as the zoo computes it. Remembered for the file's size and modification time, so
     * that an app's check before it reads its data and the read that follows read a large file once.
     */
    public static long checksum(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        BasicFileAttributes attributes = Files.readAttributes(key, BasicFileAttributes.class);
        FileStamp stamp = new FileStamp(attributes.size(), attributes.lastModifiedTime().toMillis());
        ComputedChecksum known = CHECKSUMS.get(key);
        if (known != null && known.stamp().equals(stamp)) {
            return known.checksum();
        }
        long checksum = adler32(file);
        CHECKSUMS.put(key, new ComputedChecksum(stamp, checksum));
        return checksum;
    }

    private record FileStamp(long size, long modifiedMillis) {
    }

    private record ComputedChecksum(FileStamp stamp, long checksum) {
    }

    private static long adler32(Path file) throws IOException {
        Adler32 adler = new Adler32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                adler.update(buffer, 0, read);
            }
        }
        return adler.getValue();
    }

    /**
     * Refuses a file whose Adler32 checksum is not {@code expected}. Unlike the zoo, it does not delete the file.
     *
     * @throws IOException naming the file, both checksums and the ways out
     */
    public static void verifyChecksum(Path file, long expected, String what) throws IOException {
        long actual = checksum(file);
        if (actual != expected) {
            throw new UnusableFileException(what + ": " + file.toAbsolutePath() + " fails the zoo's checksum (Adler32 "
                    + actual + ", expected " + expected + "): the file is incomplete or not the zoo's. Download it"
                    + " again, or load a file of your own with Weights.ownFile(path), which skips the check.");
        }
    }

    /**
     * Refuses a file whose Adler32 checksum is none of the zoo's pretrained files' for {@code backbone}, whichever
     * dataset or input size (VGG16's CIFAR10 and VGGFACE files, Darknet19's 448 file).
     *
     * @throws IOException naming the file, its checksum, each zoo file with its checksum and the ways out
     */
    public static void verifyAnyZooChecksum(Path file, ZooBackbone backbone) throws IOException {
        long actual = checksum(file);
        Map<String, Long> expected = new LinkedHashMap<>();
        for (ZooModel<?> model : backbone.zooModels()) {
            for (PretrainedType dataset : PretrainedType.values()) {
                String url = model.pretrainedUrl(dataset);
                long checksum = model.pretrainedChecksum(dataset);
                if (url != null && checksum != 0L) {
                    expected.put(dataset + " " + new File(url).getName(), checksum);
                }
            }
        }
        if (!expected.containsValue(actual)) {
            throw new UnusableFileException(backbone + " weights: " + file.toAbsolutePath() + " fails the zoo's"
                    + " checksum (Adler32 " + actual + ", expected one of the zoo's " + backbone + " files: " + expected
                    + "): the file is incomplete or not the zoo's. Download it again, or load a file of your own with"
                    + " Weights.ownFile(path), which skips the check.");
        }
    }

    /**
     * Copies the parameters of every layer named in {@code layers} from {@code from} to {@code to}, param by param,
     * bit for bit. A batch norm's running variance is converted where the two store it differently (not bit-identical
     * then): a variance ("var", DL4J before 1.0.0-beta4, or a {@code DirectBatchNorm}) into the log10 standard
     * deviation of DL4J's current default, and back (a FUSED U-Net saved before its standalone batch norms became
     * {@code DirectBatchNorm}). A convolution that reads
     * {@code to}'s input (through parameter-free vertices only, such as a padding) and has another input channel
     * count than the file's 3-channel (RGB) kernels gets them adapted as timm's {@code adapt_input_conv} does: for 1
     * channel the sum of the three kernels, for C channels the kernels repeated cyclically (channel {@code c} takes
     * the file's kernel {@code c mod 3}) and scaled by {@code 3 / C}.
     *
     * @return the number of parameters copied
     * @throws IOException naming the layer and parameter that the source lacks or has in another shape
     */
    public static long copyParameters(ComputationGraph from, ComputationGraph to, Set<String> layers)
            throws IOException {
        return copyParameters(from, to, layers, Map.of());
    }

    /**
     * As {@link #copyParameters(ComputationGraph, ComputationGraph, Set)}, for the conv-norm-activation chains in
     * {@code fused} (keyed by their fused name, as {@code ZooEncoder.fusedChains(BlockLayers.FUSED)} gives them),
     * which either graph may hold as one fused block ({@code ConvNormActivation}) or as separate layers:
     * <ul>
     *   <li>a fused block in {@code to} takes a fused block of {@code from} parameter by parameter, or else the
     *       chain's layers: the convolution's weights bit for bit, the batch norm's gamma, beta and running mean as
     *       they are and its running variance (from {@code log10stdev} when stored so); a convolution bias is folded
     *       into the running mean ({@code mean - b}: the same output in inference, and no effect in training, where
     *       batch norm subtracts the batch mean);</li>
     *   <li>a chain's separate layers in {@code to} take the layers of the same names, or else {@code from}'s fused
     *       block split: its weights (and bias, else a zero bias) to the convolution, its gamma, beta, running mean
     *       and variance to the batch norm (as {@code log10stdev} when the batch norm stores that).</li>
     * </ul>
     */
    public static long copyParameters(ComputationGraph from, ComputationGraph to, Set<String> layers,
                                      Map<String, ConvBatchNormChains.Chain> fused) throws IOException {
        return copyParameters(from, to, layers, fused, Map.of());
    }

    /**
     * As {@link #copyParameters(ComputationGraph, ComputationGraph, Set, Map)}, where a layer that {@code from} does
     * not have under its own name is taken from the layer that {@code pretrainedNames} names for it (the zoo file's
     * name, see {@link ZooBackbone#pretrainedNames()}).
     *
     * @throws IOException naming the layer (and its name in the file) that the file lacks, with the file's layers, or
     *                     the parameter that does not fit, with both shapes
     */
    public static long copyParameters(ComputationGraph from, ComputationGraph to, Set<String> layers,
                                      Map<String, ConvBatchNormChains.Chain> fused,
                                      Map<String, String> pretrainedNames) throws IOException {
        Map<String, ConvBatchNormChains.Chain> chainOfLayer = new HashMap<>();
        for (ConvBatchNormChains.Chain chain : fused.values()) {
            chainOfLayer.put(chain.convolution(), chain);
            chainOfLayer.put(chain.batchNorm(), chain);
        }
        Set<String> readingInput = layersReadingTheInput(to);
        long copied = 0;
        for (String name : layers) {
            Layer target = to.getLayer(name);
            if (target == null || target.numParams() == 0) {
                continue;
            }
            boolean inputLayer = readingInput.contains(name);
            ConvBatchNormChains.Chain chain = fused.get(name);
            if (chain != null && isFused(target)) {
                Layer source = layerOrNull(from, name);
                copied += source != null && isFused(source)
                        ? copyLayer(source.paramTable(), target, "'" + name + "'", inputLayer)
                        : copyChain(from, chain, target, pretrainedNames, inputLayer);
                continue;
            }
            chain = chainOfLayer.get(name);
            Layer fusedSource = chain == null ? null : layerOrNull(from, chain.fusedName());
            if (fusedSource != null && isFused(fusedSource) && !isFused(target)
                    && (name.equals(chain.fusedName()) || layerOrNull(from, name) == null)) {
                copied += copyLayer(split(fusedSource.paramTable(), chain, name, target), target, "'" + name
                        + "' (from the file's fused layer '" + chain.fusedName() + "')", inputLayer);
                continue;
            }
            Layer source = sourceLayer(from, name, pretrainedNames);
            copied += copyLayer(source.paramTable(), target, describe(name, source), inputLayer);
        }
        return copied;
    }

    /**
     * The layers with parameters that read a network input of {@code graph} directly or through parameter-free
     * vertices (a padding, a preprocessor): the first convolutions, whose kernels see the image's channels.
     */
    private static Set<String> layersReadingTheInput(ComputationGraph graph) {
        ComputationGraphConfiguration configuration = graph.getConfiguration();
        Map<String, List<String>> readers = new HashMap<>();
        configuration.getVertexInputs().forEach((vertex, inputs) -> inputs.forEach(input ->
                readers.computeIfAbsent(input, k -> new ArrayList<>()).add(vertex)));
        Set<String> found = new HashSet<>();
        Set<String> visited = new HashSet<>(configuration.getNetworkInputs());
        Deque<String> pending = new ArrayDeque<>(configuration.getNetworkInputs());
        while (!pending.isEmpty()) {
            for (String reader : readers.getOrDefault(pending.poll(), List.of())) {
                if (!visited.add(reader)) {
                    continue;
                }
                Layer layer = layerOrNull(graph, reader);
                if (layer != null && layer.numParams() > 0) {
                    found.add(reader);
                } else {
                    pending.add(reader);
                }
            }
        }
        return found;
    }

    /**
     * Copies {@code sourceParams} into {@code target}'s parameters of the same names, a variance into a
     * {@code log10stdev} and back; {@code inputLayer}: the target reads the image, so RGB kernels adapt to its
     * channels.
     */
    private static long copyLayer(Map<String, INDArray> sourceParams, Layer target, String described,
                                  boolean inputLayer) throws IOException {
        long copied = 0;
        for (Map.Entry<String, INDArray> param : target.paramTable().entrySet()) {
            INDArray value = sourceParams.get(param.getKey());
            if (value == null && BatchNormalizationParamInitializer.GLOBAL_LOG_STD.equals(param.getKey())
                    && sourceParams.containsKey(BatchNormalizationParamInitializer.GLOBAL_VAR)) {
                value = BatchNormParams.log10StdOfVariance(
                        sourceParams.get(BatchNormalizationParamInitializer.GLOBAL_VAR));
            }
            if (value == null && BatchNormalizationParamInitializer.GLOBAL_VAR.equals(param.getKey())
                    && sourceParams.containsKey(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
                // a stock batch norm (useLogStd, DL4J's default) into one storing the variance: a FUSED U-Net saved
                // before its standalone batch norms became DirectBatchNorm
                value = BatchNormParams.runningVariance(sourceParams);
            }
            if (value == null) {
                throw new UnusableFileException("layer " + described + " parameter '" + param.getKey() + "' of shape "
                        + Arrays.toString(param.getValue().shape()) + " does not fit the pretrained layer, whose"
                        + " parameters are " + sourceParams.keySet());
            }
            copied += assign(param.getValue(), value, inputLayer && isWeights(param.getKey()),
                    "layer " + described + " parameter '" + param.getKey() + "'");
        }
        return copied;
    }

    private static boolean isWeights(String key) {
        return ConvolutionParamInitializer.WEIGHT_KEY.equals(key);
    }

    /**
     * Writes {@code value} into {@code target}: as it is where the shapes are equal or both are vectors of the same
     * length (a bias or running mean stored as {@code [1, n]} or {@code [n]}), adapted to the target's input
     * channels where {@code inputKernels} and the file has 3-channel kernels ({@link #adaptedInputKernels}). Nothing
     * else is reshaped: a {@code [64, 128, 1, 1]} kernel does not fill a {@code [128, 64, 1, 1]} one, nor a 1x3
     * kernel a 3x1 one, though their sizes agree.
     *
     * @return the number of values written
     * @throws UnusableFileException naming {@code described} and both shapes when the value does not fit
     */
    private static long assign(INDArray target, INDArray value, boolean inputKernels, String described)
            throws UnusableFileException {
        INDArray fitting = value;
        if (inputKernels && differOnlyInInputChannels(value, target) && value.size(1) == RGB_CHANNELS) {
            fitting = adaptedInputKernels(value, (int) target.size(1));
        } else if (!sameShapeOrVector(value, target)) {
            String inputHint = inputKernels && differOnlyInInputChannels(value, target)
                    ? ": the file's first convolution reads " + value.size(1) + " channels and the encoder's "
                    + target.size(1) + "; only 3-channel (RGB) kernels are adapted to another channel count"
                    : "";
            throw new UnusableFileException(described + " of shape " + Arrays.toString(target.shape())
                    + " does not fit the pretrained value of shape " + Arrays.toString(value.shape()) + inputHint);
        }
        target.assign(fitting.reshape(target.shape()).castTo(target.dataType()));
        return fitting.length();
    }

    private static boolean differOnlyInInputChannels(INDArray kernels, INDArray target) {
        return kernels.rank() == 4 && target.rank() == 4 && kernels.size(0) == target.size(0)
                && kernels.size(1) != target.size(1) && kernels.size(2) == target.size(2)
                && kernels.size(3) == target.size(3);
    }

    /** Equal shapes, or two vectors of one length whatever their dimensions of size 1 ({@code [1, n]}, {@code [n]}). */
    private static boolean sameShapeOrVector(INDArray value, INDArray target) {
        return Arrays.equals(value.shape(), target.shape()) || value.length() == target.length()
                && Arrays.stream(value.shape()).filter(size -> size != 1).count() <= 1
                && Arrays.stream(target.shape()).filter(size -> size != 1).count() <= 1;
    }

    /**
     * timm's {@code adapt_input_conv} for RGB kernels {@code [nOut, 3, kH, kW]} and an input of {@code channels}:
     * for 1 channel the sum of the three kernels (a grey image through them is the grey image copied to R, G and
     * B); else channel {@code c} takes kernel {@code c mod 3}, all scaled by {@code 3 / channels}, so that an input
     * of the same value in every channel gives the same output as the 3-channel network.
     */
    static INDArray adaptedInputKernels(INDArray rgbKernels, int channels) {
        if (channels == 1) {
            return rgbKernels.sum(true, 1);
        }
        INDArray adapted = Nd4j.create(rgbKernels.dataType(), rgbKernels.size(0), channels, rgbKernels.size(2),
                rgbKernels.size(3));
        for (int c = 0; c < channels; c++) {
            adapted.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all())
                    .assign(rgbKernels.get(NDArrayIndex.all(), NDArrayIndex.point(c % RGB_CHANNELS),
                            NDArrayIndex.all(), NDArrayIndex.all()));
        }
        return adapted.muli((double) RGB_CHANNELS / channels);
    }

    /**
     * The parameters of {@code chain}'s layer {@code name} (its convolution or its batch norm) taken from the chain's
     * fused block: weights and bias (zero when the block has none: it was folded into the running mean), or gamma,
     * beta, running mean and variance.
     */
    private static Map<String, INDArray> split(Map<String, INDArray> fusedParams, ConvBatchNormChains.Chain chain,
                                               String name, Layer target) {
        Map<String, INDArray> values = new LinkedHashMap<>();
        if (name.equals(chain.convolution())) {
            values.put(ConvolutionParamInitializer.WEIGHT_KEY, fusedParams.get(ConvNormActivation.WEIGHT_KEY));
            INDArray bias = fusedParams.get(ConvNormActivation.BIAS_KEY);
            INDArray targetBias = target.paramTable().get(ConvolutionParamInitializer.BIAS_KEY);
            if (bias == null && targetBias != null) {
                bias = targetBias.ulike().assign(0);
            }
            if (bias != null) {
                values.put(ConvolutionParamInitializer.BIAS_KEY, bias);
            }
        } else {
            values.put(BatchNormalizationParamInitializer.GAMMA, fusedParams.get(ConvNormActivation.GAMMA_KEY));
            values.put(BatchNormalizationParamInitializer.BETA, fusedParams.get(ConvNormActivation.BETA_KEY));
            values.put(BatchNormalizationParamInitializer.GLOBAL_MEAN, fusedParams.get(ConvNormActivation.MEAN_KEY));
            values.put(BatchNormalizationParamInitializer.GLOBAL_VAR,
                    fusedParams.get(ConvNormActivation.VARIANCE_KEY));
        }
        return values;
    }

    private static boolean isFused(Layer layer) {
        return layer.conf().getLayer() instanceof ConvNormActivation;
    }

    private static long copyChain(ComputationGraph from, ConvBatchNormChains.Chain chain, Layer target,
                                  Map<String, String> pretrainedNames, boolean inputLayer) throws IOException {
        Map<String, INDArray> convolution = sourceLayer(from, chain.convolution(), pretrainedNames).paramTable();
        Map<String, INDArray> batchNorm = sourceLayer(from, chain.batchNorm(), pretrainedNames).paramTable();
        INDArray variance = BatchNormParams.runningVariance(batchNorm);
        INDArray mean = batchNorm.get(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        INDArray bias = convolution.get(ConvolutionParamInitializer.BIAS_KEY);
        if (bias != null) {
            mean = mean.sub(bias.reshape(mean.shape()));
        }
        Map<String, INDArray> values = new LinkedHashMap<>();
        values.put(ConvNormActivation.WEIGHT_KEY, convolution.get(ConvolutionParamInitializer.WEIGHT_KEY));
        values.put(ConvNormActivation.GAMMA_KEY, batchNorm.get(BatchNormalizationParamInitializer.GAMMA));
        values.put(ConvNormActivation.BETA_KEY, batchNorm.get(BatchNormalizationParamInitializer.BETA));
        values.put(ConvNormActivation.MEAN_KEY, mean);
        values.put(ConvNormActivation.VARIANCE_KEY, variance);
        long copied = 0;
        for (Map.Entry<String, INDArray> param : target.paramTable().entrySet()) {
            INDArray value = values.get(param.getKey());
            String described = "fused layer '" + chain.fusedName() + "' parameter '" + param.getKey() + "' (from the"
                    + " pretrained chain " + chain + ")";
            if (value == null) {
                throw new UnusableFileException(described + " of shape "
                        + Arrays.toString(param.getValue().shape()) + " has no value in the pretrained chain");
            }
            copied += assign(param.getValue(), value, inputLayer && ConvNormActivation.WEIGHT_KEY.equals(
                    param.getKey()), described);
        }
        return copied;
    }

    /** The file's layer for the vertex {@code name}: by that name, else by the zoo file's name for it. */
    private static Layer sourceLayer(ComputationGraph from, String name, Map<String, String> pretrainedNames)
            throws IOException {
        Layer source = layerOrNull(from, name);
        String fileName = pretrainedNames.get(name);
        if (source == null && fileName != null) {
            source = layerOrNull(from, fileName);
        }
        if (source == null) {
            throw new UnusableFileException("the pretrained file has no layer '" + name + "'"
                    + (fileName == null ? "" : " nor '" + fileName + "' (its name in the zoo's pretrained file)")
                    + " for the encoder: the file is not this backbone's; its layers are: "
                    + Arrays.stream(from.getLayers()).map(l -> l.conf().getLayer().getLayerName())
                    .toList());
        }
        return source;
    }

    /** {@code graph}'s layer {@code name}; null where it has none (its {@code getLayer} throws). */
    private static Layer layerOrNull(ComputationGraph graph, String name) {
        GraphVertex vertex = graph.getVertex(name);
        return vertex == null || !vertex.hasLayer() ? null : vertex.getLayer();
    }

    private static String describe(String name, Layer source) {
        String fileName = source.conf().getLayer().getLayerName();
        return "'" + name + "'" + (name.equals(fileName) ? "" : " (file layer '" + fileName + "')");
    }

    private static long expectedChecksum(ZooBackbone backbone, PretrainedType dataset) {
        return zoo(backbone).pretrainedChecksum(dataset);
    }

    private static String url(ZooBackbone backbone, PretrainedType dataset) {
        String url = zoo(backbone).pretrainedUrl(dataset);
        if (url == null) {
            throw new IllegalArgumentException(backbone + " has no pretrained " + dataset + " weights in DL4J's zoo");
        }
        return url;
    }

    private static ZooModel<?> zoo(ZooBackbone backbone) {
        return backbone.zooModel();
    }
}
