package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.graph.GraphBlock;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.layers.direct.ConvNormActivation;
import io.github.mdunet.zoo.graph.GraphSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.samediff.AbstractSameDiffLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.deeplearning4j.nn.conf.memory.NetworkMemoryReport;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Estimates the training and inference memory of a U-Net configuration from DL4J's per-layer memory reports (the
 * project's SameDiff layers report theirs), without allocating any parameter or activation, then applies a
 * {@link MemoryCorrection} fitted to measured peak memory.
 *
 * <p>Per vertex, the report gives parameter, gradient and updater-state sizes, the activations it outputs and its
 * working memory. Training keeps every activation for backpropagation, so they add up; a built-in layer's working
 * memory is transient, so only the largest counts, plus the activation gradients in flight (two of the largest).
 * SameDiff layers are counted apart: each runs its own graph whose arrays live through the backward pass, so their
 * activations and working memory add up too (the "custom layer" term, reported under {@code workspace}). Inference
 * keeps an activation only until its last consumer has run: the estimate walks the graph in topological order and
 * takes the peak of what is alive.
 *
 * <p>The correction was fitted on FLOAT networks of the calibration's kind (pixel shuffle, no attention; the encoders
 * and input sizes of {@link MemoryCalibration#DEFAULT_CASES}) on ND4J's CPU backend. An estimate of anything else
 * carries a note per difference ({@link MemoryEstimate#calibrationNotes()}), with the error measured for it where
 * there is one. Where the calibration shows the fit low on every case of an encoder (SqueezeNet on the fused blocks,
 * 40% below), an estimate with the shipped correction is raised by that shortfall and says so in a note. HALF is
 * counted as FLOAT: on the CPU backend a HALF network measured the same as the FLOAT one (1.1 GiB both), where counting
 * it at its own width estimated 554 MiB; on a GPU it may need less, so there the estimate errs high. DOUBLE is counted
 * at its width, which measured far too low (3.8 GiB measured, 2.2 GiB estimated, the FLOAT network 1.1 GiB), so a
 * {@link MemoryBudget} refuses to judge it ({@link MemoryEstimate#budgetCheckable()}).
 *
 * <p>Thread-safe and cheap (a few milliseconds for a classic U-Net, a few tenths of a second for ResNet50).
 */
public final class MemoryEstimator {

    private final MemoryCorrection correction;

    /** An estimator with the CPU calibration ({@link MemoryCorrection#CPU_CALIBRATED}). */
    public MemoryEstimator() {
        this(MemoryCorrection.CPU_CALIBRATED);
    }

    public MemoryEstimator(MemoryCorrection correction) {
        Checks.requireSet("correction", correction, "e.g. MemoryCorrection.CPU_CALIBRATED");
        this.correction = correction;
    }

    public MemoryCorrection correction() {
        return correction;
    }

    /**
     * The memory of training {@code config} (its updater and data type) with mini-batches of {@code batchSize}, with a
     * note for each way {@code config}, {@code batchSize} or the total differs from the calibrated configurations
     * (the total when it is above the largest measurement). A loss's own working memory is not counted (the U-Net's
     * graph ends in its output layer, and the reports stop there): any loss but the head's default carries a note
     * saying so. The frozen network of a feature loss is counted apart ({@link MemoryEstimate#lossNetwork()}), from
     * DL4J's reports of its layers.
     *
     * @throws IllegalArgumentException when {@code batchSize < 1} or the configuration cannot be planned
     */
    public MemoryEstimate estimate(UNetConfig config, int batchSize) {
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
        long labelsPerExample = (long) config.numClasses() * config.input().height() * config.input().width();
        List<String> notes = new ArrayList<>(calibrationNotes(config, batchSize));
        // The shortfall was measured against the shipped fit: another correction (none, a refit) has its own errors.
        Optional<CalibratedSet.Shortfall> shortfall = correction.equals(MemoryCorrection.CPU_CALIBRATED)
                ? CalibratedSet.shortfall(config) : Optional.empty();
        shortfall.ifPresent(known -> notes.add(CalibratedSet.shortfallNote(config, known)));
        long lossNetwork = config.loss() instanceof Loss.Perceptual perceptual
                ? FeatureNetworkMemory.bytes(perceptual.features(), config.input().height(), config.input().width(),
                        batchSize, countedAs(config.dataType()))
                : 0;
        MemoryEstimate estimate = estimate(blueprint.configuration(), config.input().toInputType(), labelsPerExample,
                batchSize, config.dataType(), blueprint::blockOf, notes,
                shortfall.map(CalibratedSet.Shortfall::factor).orElse(1.0), lossNetwork);
        return CalibratedSet.totalNote(estimate.total()).map(estimate::withCalibrationNote).orElse(estimate);
    }

    /**
     * The memory of training any single-input graph (its updater as configured), every vertex counted in one block
     * {@code "encoder"}: a plain graph has no blueprint that says more.
     *
     * @param labelsPerExample the elements of one example's labels (features are counted from {@code input})
     */
    public MemoryEstimate estimate(ComputationGraphConfiguration graph, InputType input, long labelsPerExample,
                                   int batchSize, DataType dataType) {
        return estimate(graph, input, labelsPerExample, batchSize, dataType, vertex -> GraphBlock.ENCODER);
    }

    /**
     * The memory of training any single-input graph, per block as {@code blockOf} gives the block of each vertex. The
     * only calibration note such an estimate can carry is its data type's: a plain graph says nothing of the U-Net
     * features the calibration left out.
     *
     * @param labelsPerExample the elements of one example's labels (features are counted from {@code input})
     */
    public MemoryEstimate estimate(ComputationGraphConfiguration graph, InputType input, long labelsPerExample,
                                   int batchSize, DataType dataType, Function<String, GraphBlock> blockOf) {
        return estimate(graph, input, labelsPerExample, batchSize, dataType, blockOf,
                dataTypeNote(dataType).stream().toList(), 1.0, 0);
    }

    /**
     * @param shortfallFactor the fitted total times this is the estimate (1 unless the calibration showed it low)
     * @param lossNetwork     the bytes of a feature loss's frozen network, added to the total
     */
    private MemoryEstimate estimate(ComputationGraphConfiguration graph, InputType input, long labelsPerExample,
                                    int batchSize, DataType dataType, Function<String, GraphBlock> blockOf,
                                    List<String> calibrationNotes, double shortfallFactor, long lossNetwork) {
        Checks.atLeast("batchSize", batchSize, 1);
        NetworkMemoryReport report = graph.getMemoryReport(input);
        DataType counted = countedAs(dataType);
        int bytesPerElement = counted.width();
        Map<String, Terms> perVertex = new LinkedHashMap<>();
        for (Map.Entry<String, MemoryReport> entry : report.getLayerAndVertexReports().entrySet()) {
            perVertex.put(entry.getKey(), Terms.of(entry.getValue(), kind(graph, entry.getKey()), batchSize,
                    counted));
        }
        long inputBytes = (input.arrayElementsPerExample() + labelsPerExample) * batchSize * bytesPerElement;

        Tally whole = new Tally(inputBytes);
        // In the network's order: input, encoder, middle, decoder stages from the deepest, final, head.
        Map<GraphBlock, Tally> blocks = new TreeMap<>(Comparator.comparing(GraphBlock::part)
                .thenComparingInt(GraphBlock::stage));
        blocks.put(GraphBlock.INPUT, new Tally(inputBytes));
        for (Map.Entry<String, Terms> entry : perVertex.entrySet()) {
            whole.add(entry.getValue());
            blocks.computeIfAbsent(blockOf.apply(entry.getKey()), block -> new Tally(0)).add(entry.getValue());
        }
        MemoryEstimate.RawTerms raw = whole.raw(whole.maxWorking + 2 * whole.maxActivationGradient);
        long uncorrected = raw.parameterState() + raw.activations() + raw.customLayers() + raw.workspace();

        long liveActivations = peakLiveActivations(graph, perVertex, input.arrayElementsPerExample() * batchSize
                * bytesPerElement);
        long inferenceWorking = perVertex.values().stream().mapToLong(t -> t.inferenceWorking).max().orElse(0);

        List<BlockMemory> perBlock = new ArrayList<>();
        blocks.forEach((block, tally) -> {
            MemoryEstimate.RawTerms blockRaw = tally.raw(tally.maxWorkingWithGradient);
            perBlock.add(new BlockMemory(block, tally.parameterCount, correction.parameters(blockRaw.parameterState()),
                    correction.activations(blockRaw), correction.workingMemory(blockRaw)));
        });
        long cParameters = correction.parameters(whole.parameters);
        long cGradients = correction.parameters(whole.gradients);
        long cUpdater = correction.parameters(whole.updater);
        long cActivations = correction.activations(raw);
        long cWorkspace = correction.workingMemory(raw);
        long fitted = cParameters + cGradients + cUpdater + cActivations + cWorkspace + correction.offsetBytes();
        long shortfall = Math.round(fitted * (shortfallFactor - 1));
        // Not calibrated: the correction is fitted to training steps, whose memory the k x k convolutions' backward
        // pass dominates; a forward pass keeps what DL4J reports, so its activations and working memory count as is.
        long inference = cParameters + liveActivations + inferenceWorking + correction.offsetBytes();
        return new MemoryEstimate(whole.parameterCount, cParameters, cGradients, cUpdater, cActivations, cWorkspace,
                correction.offsetBytes(), shortfall, lossNetwork, fitted + shortfall + lossNetwork, inference,
                uncorrected, perBlock, raw,
                dataType, calibrationNotes);
    }

    /**
     * The data type whose width the reports are taken at: HALF as FLOAT, which it measured the same as on the CPU
     * backend; every other type at its own width.
     */
    static DataType countedAs(DataType dataType) {
        return dataType == DataType.HALF ? DataType.FLOAT : dataType;
    }

    /**
     * Whether measurements back the estimate of a {@code dataType} network well enough for a budget to judge it:
     * FLOAT (calibrated) and HALF (measured equal to FLOAT, and counted so).
     */
    static boolean budgetCheckable(DataType dataType) {
        return dataType == DataType.FLOAT || dataType == DataType.HALF;
    }

    /** What is known of the estimate's error for {@code dataType}; empty for FLOAT, the calibrated type. */
    static Optional<String> dataTypeNote(DataType dataType) {
        return switch (dataType) {
            case FLOAT -> Optional.empty();
            case HALF -> Optional.of("HALF is not calibrated: counted as FLOAT, which a HALF network measured the same"
                    + " as on the CPU backend (1.1 GiB both, where counting HALF at its own width estimated 554 MiB);"
                    + " on a GPU it may need less");
            case DOUBLE -> Optional.of("DOUBLE is not calibrated: a DOUBLE network measured 3.8 GiB on the CPU"
                    + " backend where this estimate (DL4J's reports at 8 bytes per value) said 2.2 GiB and the FLOAT"
                    + " one measured 1.1 GiB, so a memory budget refuses to judge it");
            default -> Optional.of(dataType + " is not calibrated and was never measured: DL4J's reports at "
                    + dataType.width() + " bytes per value, corrected as FLOAT, so a memory budget refuses to judge"
                    + " it");
        };
    }

    /** {@link #calibrationNotes(UNetConfig)} and a note for a batch size outside the calibrated ones. */
    static List<String> calibrationNotes(UNetConfig config, int batchSize) {
        List<String> notes = calibrationNotes(config);
        CalibratedSet.batchNote(batchSize).ifPresent(notes::add);
        return notes;
    }

    /**
     * One note per way {@code config} differs from the calibrated configurations (FLOAT; the encoders, classic depths
     * and widths, input sizes, channel reductions and mid scales of {@link MemoryCalibration#DEFAULT_CASES} on the
     * configuration's encoder and layer path; pixel shuffle without blur, no mid attention, no attention gates, no last
     * cross, batch norm, the head's default loss), with the error measured for it where there is one; empty for a
     * configuration of the calibration's kind.
     */
    static List<String> calibrationNotes(UNetConfig config) {
        List<String> notes = new ArrayList<>();
        dataTypeNote(config.dataType()).ifPresent(notes::add);
        notes.addAll(CalibratedSet.notes(config));
        config.upsample().accept(UPSAMPLE_NOTE).ifPresent(notes::add);
        if (config.midAttention()) {
            notes.add("mid attention is outside the calibration: the estimate was 15.8% below the measurement"
                    + " (classic:2:16, 256 px, batch 12)");
        }
        if (config.attentionGates() > 0) {
            notes.add("attention gates are outside the calibration: not measured");
        }
        if (config.lastCross()) {
            notes.add("the last cross is outside the calibration: not measured");
        }
        if (config.normalization() != Normalization.BATCH) {
            notes.add("normalization " + config.normalization() + " is outside the calibration (" + Normalization.BATCH
                    + "): not measured");
        }
        config.loss().accept(LOSS_NOTE).ifPresent(notes::add);
        return notes;
    }

    /**
     * The note of a loss: the head's default is the calibrated one (its working memory is in the fit); the others'
     * is not counted, and a feature loss's frozen network, run forward on the prediction and on the target and
     * backward for the prediction, is counted apart with the factor measured for it ({@link FeatureNetworkMemory}).
     */
    private static final Loss.Visitor<Optional<String>> LOSS_NOTE = new Loss.Visitor<>() {
        @Override
        public Optional<String> headDefault(Loss.HeadDefault loss) {
            return Optional.empty();
        }

        @Override
        public Optional<String> dice(Loss.Dice loss) {
            return notCounted(loss);
        }

        @Override
        public Optional<String> focal(Loss.Focal loss) {
            return notCounted(loss);
        }

        @Override
        public Optional<String> crossEntropyDice(Loss.CrossEntropyDice loss) {
            return notCounted(loss);
        }

        @Override
        public Optional<String> tversky(Loss.Tversky loss) {
            return notCounted(loss);
        }

        @Override
        public Optional<String> lovasz(Loss.Lovasz loss) {
            return notCounted(loss, "; it holds 32 bytes of Java heap per output element (batch x classes x"
                    + " height x width) while it sorts on the host, outside the native memory");
        }

        @Override
        public Optional<String> l1(Loss.L1 loss) {
            return notCounted(loss);
        }

        @Override
        public Optional<String> perceptual(Loss.Perceptual loss) {
            return Optional.of("the perceptual loss's frozen network (" + loss.features() + ") is counted apart"
                    + " (loss network): DL4J's reports of its layers, all but its parameters times "
                    + FeatureNetworkMemory.MEASURED_FACTOR + ", the factor measured for VGG16's features on classic"
                    + " U-Nets (96 to 160 px, batch 2 to 8; within -6% to +9% there); its Gram matrices and the loss's"
                    + " own working memory are not counted");
        }

        private Optional<String> notCounted(Loss loss) {
            return notCounted(loss, "");
        }

        /** Names the loss by its record, e.g. {@code Dice}. */
        private Optional<String> notCounted(Loss loss, String heap) {
            return Optional.of("loss " + loss.getClass().getSimpleName() + " is outside the calibration (the head's"
                    + " default loss): its working memory is not counted: not measured" + heap);
        }
    };

    /** The calibrated upsampling, {@link UpsampleMode#PIXEL_SHUFFLE} (pixel shuffle without blur), as notes say it. */
    private static final String CALIBRATED_UPSAMPLING = "pixel shuffle";

    /** The note of an upsampling mode: pixel shuffle without blur is the calibrated one. */
    private static final UpsampleMode.Visitor<Optional<String>> UPSAMPLE_NOTE = new UpsampleMode.Visitor<>() {
        @Override
        public Optional<String> pixelShuffle(UpsampleMode.PixelShuffle mode) {
            return mode.blur() ? notMeasured(mode) : Optional.empty();
        }

        @Override
        public Optional<String> transposed(UpsampleMode.Transposed mode) {
            return notMeasured(mode);
        }

        @Override
        public Optional<String> bilinearConv(UpsampleMode.BilinearConv mode) {
            return notMeasured(mode);
        }

        @Override
        public Optional<String> bilinear(UpsampleMode.Bilinear mode) {
            return Optional.of(mode.name() + " upsampling is outside the calibration (" + CALIBRATED_UPSAMPLING
                    + "): the estimate was 18.5% below the measurement, where the same case with "
                    + CALIBRATED_UPSAMPLING + " was 0.6% above");
        }

        private Optional<String> notMeasured(UpsampleMode mode) {
            return Optional.of(mode.name() + " upsampling is outside the calibration (" + CALIBRATED_UPSAMPLING
                    + "): not measured");
        }
    };

    /** The peak of activations alive at once in a forward pass, each freed after its last consumer. */
    private static long peakLiveActivations(ComputationGraphConfiguration graph, Map<String, Terms> perVertex,
                                            long inputBytes) {
        Map<String, List<String>> inputs = graph.getVertexInputs();
        List<String> order = GraphSource.of(graph).topologicalOrder();
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            position.put(order.get(i), i);
        }
        Map<String, Integer> lastUse = new HashMap<>();
        for (Map.Entry<String, List<String>> entry : inputs.entrySet()) {
            int consumer = position.getOrDefault(entry.getKey(), order.size());
            for (String producer : entry.getValue()) {
                lastUse.merge(producer, consumer, Math::max);
            }
        }
        Map<String, Long> alive = new HashMap<>();
        long live = 0;
        long peak = 0;
        for (int i = 0; i < order.size(); i++) {
            String vertex = order.get(i);
            long bytes = graph.getNetworkInputs().contains(vertex) ? inputBytes
                    : perVertex.containsKey(vertex) ? perVertex.get(vertex).inferenceActivations : 0;
            alive.put(vertex, bytes);
            live += bytes;
            peak = Math.max(peak, live);
            final int now = i;
            List<String> dead = alive.keySet().stream().filter(v -> lastUse.getOrDefault(v, order.size()) <= now)
                    .toList();
            for (String v : dead) {
                live -= alive.remove(v);
            }
        }
        return peak;
    }

    /** What a vertex's output counts as in the correction. */
    private enum Kind {
        /** A DL4J convolution whose kernel is larger than 1 x 1 (transposed, depthwise and separable included). */
        SPATIAL_CONVOLUTION,
        /** A fused conv-norm-activation block with a kernel larger than 1 x 1. */
        FUSED_SPATIAL,
        /** A 1 x 1 fused block. */
        FUSED_POINTWISE,
        OTHER
    }

    private static Kind kind(ComputationGraphConfiguration graph, String vertex) {
        if (!(graph.getVertices().get(vertex) instanceof LayerVertex layerVertex)) {
            return Kind.OTHER;
        }
        Layer layer = layerVertex.getLayerConf().getLayer();
        if (layer instanceof ConvolutionLayer convolution) {
            return (long) convolution.getKernelSize()[0] * convolution.getKernelSize()[1] > 1
                    ? Kind.SPATIAL_CONVOLUTION : Kind.OTHER;
        }
        if (layer instanceof ConvNormActivation block) {
            return (long) block.getKernelSize()[0] * block.getKernelSize()[1] > 1 ? Kind.FUSED_SPATIAL
                    : Kind.FUSED_POINTWISE;
        }
        return Kind.OTHER;
    }

    /**
     * The activations a vertex of a {@link Kind} adds to each term the calibrated correction weighs apart; the
     * switch is exhaustive, so a new kind does not compile until it says where its activations count.
     */
    private record CorrectedActivations(long spatialConvolutions, long fusedSpatial, long fusedPointwise) {

        static CorrectedActivations of(Kind kind, long activations) {
            return switch (kind) {
                case SPATIAL_CONVOLUTION -> new CorrectedActivations(activations, 0, 0);
                case FUSED_SPATIAL -> new CorrectedActivations(0, activations, 0);
                case FUSED_POINTWISE -> new CorrectedActivations(0, 0, activations);
                case OTHER -> new CorrectedActivations(0, 0, 0);
            };
        }
    }

    /** The raw terms summed over vertices: the whole graph's or one block's. */
    private static final class Tally {
        long parameterCount;
        long parameters;
        long gradients;
        long updater;
        long activations;
        long spatialConvolutions;
        long fusedSpatial;
        long fusedPointwise;
        long customLayers;
        long maxWorking;
        long maxActivationGradient;
        long maxWorkingWithGradient;

        /** A tally that starts with {@code activations} bytes (the input and labels) and nothing else. */
        Tally(long activations) {
            this.activations = activations;
        }

        void add(Terms t) {
            parameterCount += t.parameterCount;
            parameters += t.parameters;
            gradients += t.gradients;
            updater += t.updater;
            if (t.custom) {
                customLayers += t.activations + t.working;
                return;
            }
            activations += t.activations;
            CorrectedActivations corrected = CorrectedActivations.of(t.kind, t.activations);
            spatialConvolutions += corrected.spatialConvolutions;
            fusedSpatial += corrected.fusedSpatial;
            fusedPointwise += corrected.fusedPointwise;
            maxWorking = Math.max(maxWorking, t.working);
            maxActivationGradient = Math.max(maxActivationGradient, t.activationGradients);
            maxWorkingWithGradient = Math.max(maxWorkingWithGradient, t.working + t.activationGradients);
        }

        MemoryEstimate.RawTerms raw(long workspace) {
            return new MemoryEstimate.RawTerms(parameters + gradients + updater, activations, spatialConvolutions,
                    customLayers, workspace, fusedSpatial, fusedPointwise);
        }
    }

    /** One vertex's report at one batch size, in bytes. */
    private record Terms(boolean custom, Kind kind, long parameterCount, long parameters, long gradients, long updater,
                         long activations, long activationGradients, long working, long inferenceActivations,
                         long inferenceWorking) {

        static Terms of(MemoryReport report, Kind kind, int batch, DataType dataType) {
            MemoryUseMode train = MemoryUseMode.TRAINING;
            MemoryUseMode infer = MemoryUseMode.INFERENCE;
            CacheMode cache = CacheMode.NONE;
            long count = report instanceof LayerMemoryReport layer ? layer.getParameterSize() : 0;
            boolean custom = AbstractSameDiffLayer.class.isAssignableFrom(report.getReportClass());
            return new Terms(custom, kind, count,
                    report.getMemoryBytes(MemoryType.PARAMETERS, batch, train, cache, dataType),
                    report.getMemoryBytes(MemoryType.PARAMATER_GRADIENTS, batch, train, cache, dataType),
                    report.getMemoryBytes(MemoryType.UPDATER_STATE, batch, train, cache, dataType),
                    report.getMemoryBytes(MemoryType.ACTIVATIONS, batch, train, cache, dataType),
                    report.getMemoryBytes(MemoryType.ACTIVATION_GRADIENTS, batch, train, cache, dataType),
                    report.getMemoryBytes(MemoryType.WORKING_MEMORY_FIXED, batch, train, cache, dataType)
                            + report.getMemoryBytes(MemoryType.WORKING_MEMORY_VARIABLE, batch, train, cache, dataType),
                    report.getMemoryBytes(MemoryType.ACTIVATIONS, batch, infer, cache, dataType),
                    report.getMemoryBytes(MemoryType.WORKING_MEMORY_FIXED, batch, infer, cache, dataType)
                            + report.getMemoryBytes(MemoryType.WORKING_MEMORY_VARIABLE, batch, infer, cache, dataType));
        }
    }
}
