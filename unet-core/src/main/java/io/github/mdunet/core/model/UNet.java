package io.github.mdunet.core.model;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.decoder.ChannelPlan;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.nativememory.NativeMemoryErrors;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.nativememory.Workload;
import io.github.mdunet.core.nativememory.Workload.Phase;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.TiledPredictor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A U-Net: its configuration, its channel plan and the DL4J {@link ComputationGraph} that implements it. Train the
 * graph with DL4J as usual ({@code graph().fit(...)}) on batches of the configured input's height and width: its loss
 * averages over that many pixels, and DL4J's loss layer, which divides by the batch size, cannot tell a batch of k
 * images from one image k times larger, so another size trains with a loss and gradients wrong by the ratio of the
 * areas ({@code Trainer} and {@code LearningRateFinder} refuse such batches). Save and load through this class so
 * that the configuration travels with the weights.
 *
 * <p>Tensor contract: {@link #predict} maps {@code [N, C, H, W]} (the configured input shape; other sizes where the
 * graph takes them) to {@code [N, numClasses, H, W]} after the head's activation.
 */
public final class UNet {

    private final UNetConfig config;
    private final ChannelPlan plan;
    private final ComputationGraph graph;
    private final TrainingRecord trainingRecord;
    private final PredictableSizes predictableSizes;

    UNet(UNetConfig config, ChannelPlan plan, ComputationGraph graph, TrainingRecord trainingRecord) {
        this.config = config;
        this.plan = plan;
        this.graph = graph;
        this.trainingRecord = Objects.requireNonNull(trainingRecord, "trainingRecord");
        this.predictableSizes = PredictableSizes.of(config.input(), plan, graph);
    }

    /**
     * Builds and initialises the U-Net described by {@code config}.
     *
     * @throws IllegalArgumentException naming the field, vertex or value that does not fit
     */
    public static UNet build(UNetConfig config) {
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
        ComputationGraph graph = new ComputationGraph(blueprint.configuration());
        graph.init();
        return new UNet(config, blueprint.plan(), graph, TrainingRecord.NONE);
    }

    /** The channel plan of {@code config}, without assembling the graph or allocating any parameter. */
    public static ChannelPlan plan(UNetConfig config) {
        return UNetGraphFactory.plan(config);
    }

    /**
     * {@code config} as a saved U-Net's file stores it (JSON, encoders under their stable names): equal for equal
     * configurations, also in another process, where {@code toString()} may hold a type's identity hash or leave a
     * user graph's layers out.
     *
     * @throws IOException when a part of the configuration (a user's encoder, say) has no JSON form
     */
    public static String configurationJson(UNetConfig config) throws IOException {
        return UNetFiles.configJson(config);
    }

    /**
     * Loads a U-Net saved with {@link #save}, its configuration and (when saved) its updater state.
     *
     * @throws IOException naming the file and what is wrong: missing, not a zip, truncated, without or with an
     *                     invalid configuration entry, a newer format, or a network that cannot be restored
     */
    public static UNet load(Path file) throws IOException {
        return UNetFiles.load(file);
    }

    /**
     * The {@link #trainedUpscale()} that a file {@link #save} wrote records, read from its configuration entry
     * without restoring the network (for a check before a whole model is loaded).
     *
     * @throws IOException as {@link #load} does for a missing file or a missing, invalid or edited entry
     */
    public static OptionalInt recordedUpscale(Path file) throws IOException {
        return UNetFiles.recordedUpscale(file);
    }

    /**
     * Saves weights, updater state and configuration to one zip file (DL4J's {@code ModelSerializer} format plus
     * an entry with the U-Net configuration and, if recorded, the {@link #trainedFraming()},
     * {@link #trainedUpscale()} and {@link #trainedSignificantBits()}). The file is written
     * beside its target first, synced, and renamed into place (see {@link AtomicFiles}): a failed save, a kill or a
     * power loss leaves the old file or the new one, never a half-written or empty one.
     */
    public void save(Path file) throws IOException {
        UNetFiles.save(this, file, true, AtomicFiles.durable());
    }

    /**
     * The same U-Net with another graph of the same configuration, e.g. after DL4J's transfer learning froze or
     * unfroze the encoder. The graphs must have the same vertices with parameters; those without may differ (a file
     * of an earlier version keeps each residual join as a sum and an activation layer, where a graph built now has one
     * {@code ResidualActivation}).
     *
     * @throws IllegalArgumentException when the graph's vertices with parameters differ from this U-Net's
     */
    public UNet withGraph(ComputationGraph newGraph) {
        var expected = verticesWithParameters(graph);
        var actual = verticesWithParameters(newGraph);
        if (!expected.equals(actual)) {
            throw new IllegalArgumentException("withGraph needs a graph with this U-Net's vertices; missing "
                    + difference(expected, actual) + ", unexpected " + difference(actual, expected));
        }
        return new UNet(config, plan, newGraph, trainingRecord);
    }

    /**
     * What this U-Net's trainer recorded about how its training inputs were made: {@link #trainedFraming()},
     * {@link #trainedUpscale()} and {@link #trainedSignificantBits()}; {@link TrainingRecord#NONE} for a U-Net built
     * and not trained, or loaded from a file that records none.
     */
    public TrainingRecord trainingRecord() {
        return trainingRecord;
    }

    /** The same U-Net with {@code record} as its {@link #trainingRecord()}; the saved file keeps it. */
    public UNet withTrainingRecord(TrainingRecord record) {
        return new UNet(config, plan, graph, record);
    }

    /**
     * The same U-Net, recording how it saw its training images, so that prediction can see whole images alike; the
     * saved file keeps it ({@link #trainedFraming()} after {@link #load}).
     */
    public UNet withTrainedFraming(ImageFraming framing) {
        return withTrainingRecord(trainingRecord.withFraming(framing));
    }

    /** How the U-Net saw its training images, if its trainer recorded it ({@link #withTrainedFraming}). */
    public Optional<ImageFraming> trainedFraming() {
        return trainingRecord.framing();
    }

    /**
     * The same U-Net, recording the factor by which its training inputs were upscaled (bicubically, from images that
     * many times smaller: a super-resolution model's scale), so that prediction upscales images alike; the saved
     * file keeps it ({@link #trainedUpscale()} after {@link #load}).
     *
     * @param factor at least 1 (1: the model reads the image itself)
     * @throws IllegalArgumentException for a factor below 1
     */
    public UNet withTrainedUpscale(int factor) {
        return withTrainingRecord(trainingRecord.withUpscale(factor));
    }

    /**
     * The factor by which this U-Net's training inputs were upscaled, if its trainer recorded it
     * ({@link #withTrainedUpscale}); empty for segmentation models and files saved before the field existed.
     */
    public OptionalInt trainedUpscale() {
        return trainingRecord.upscale();
    }

    /**
     * The same U-Net, recording that its training images' 16-bit samples were read as values of {@code bits} bits
     * (12: a 12-bit camera's 0-4095 as the 0-255 of an 8-bit image), so that prediction reads images alike; the saved
     * file keeps it ({@link #trainedSignificantBits()} after {@link #load}).
     *
     * @param bits 1 to 16 (16: samples read as 0-65535)
     * @throws IllegalArgumentException for other values
     */
    public UNet withTrainedSignificantBits(int bits) {
        return withTrainingRecord(trainingRecord.withSignificantBits(bits));
    }

    /**
     * The bits of a 16-bit sample that held its value when this U-Net's training images were read, if its trainer
     * recorded it ({@link #withTrainedSignificantBits}); empty for files saved before the field existed.
     */
    public OptionalInt trainedSignificantBits() {
        return trainingRecord.significantBits();
    }

    private static java.util.Set<String> verticesWithParameters(ComputationGraph graph) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        graph.getConfiguration().getVertices().forEach((name, vertex) -> {
            if (vertex.numParams(true) > 0) {
                names.add(name);
            }
        });
        return names;
    }

    private static java.util.Set<String> difference(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> result = new java.util.TreeSet<>(a);
        result.removeAll(b);
        return result;
    }

    /**
     * The head's output for a batch of images: {@code [N, C, H, W] -> [N, numClasses, H, W]}. H and W are the
     * configured input's; a graph without bilinear resize layers (upsampling by pixel shuffle or transposed
     * convolution, at an input that is a multiple of the encoder's total stride) also takes any H and W that are
     * multiples of the total stride, and predicts there what the same weights built at that size predict. For other
     * sizes use {@link #tiledPredictor}.
     *
     * @throws IllegalArgumentException when the graph cannot take the images' height and width, naming both sizes
     *                                  and the fixes
     * @throws NativeOutOfMemoryError   when native memory runs out, naming the limit, the batch and the fix
     */
    public INDArray predict(INDArray images) {
        requirePredictable("UNet.predict", images);
        try {
            return graph.outputSingle(false, images);
        } catch (OutOfMemoryError | RuntimeException e) {
            NativeMemoryErrors.throwIfOutOfNativeMemory(e, Workload.of(Phase.PREDICTION, config, images));
            throw e;
        }
    }

    /**
     * Predicts images {@code [C, H, W]} of any size with this U-Net in overlapping tiles of its configured input size,
     * one tile at a time: {@code unet.tiledPredictor(8).predict(image)} gives {@code [numClasses, H, W]}.
     *
     * @param overlap pixels shared by neighbouring tiles, in [0, min(input height, input width) / 2]
     */
    public TiledPredictor tiledPredictor(int overlap) {
        return new TiledPredictor(this::predict, config.input().height(), config.input().width(), overlap);
    }

    /**
     * Refuses {@code images} {@code [N, C, H, W]} whose height and width {@link #predict} cannot take, naming
     * {@code caller} (the method the images were given to), both sizes and the fixes: for callers that run the graph
     * or copies of it themselves, such as a parallel predictor.
     *
     * @throws IllegalArgumentException as {@link #predict} does for such images
     */
    public void requirePredictable(String caller, INDArray images) {
        predictableSizes.require(caller, images);
    }

    public UNetConfig config() {
        return config;
    }

    public ChannelPlan channelPlan() {
        return plan;
    }

    public ComputationGraph graph() {
        return graph;
    }

    /** The number of parameters. */
    public long numParams() {
        return graph.numParams();
    }

    /** The channel plan followed by DL4J's layer-by-layer summary with activation shapes. */
    public String summary() {
        return "U-Net " + config.input() + " -> " + plan.output() + ", " + String.format("%,d", numParams())
                + " parameters, encoder " + config.encoder() + ", upsample " + config.upsample() + ", widths "
                + config.decoderWidths() + ", midChannelScale " + config.midChannelScale() + "\n"
                + plan.toTable() + "\n" + graph.summary(config.input().toInputType());
    }
}
