package io.github.mdunet.examples.parity;

import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.LearningRateSchedule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The files a PyTorch reference needs to run the same training as this project: {@code network.json}
 * ({@link ReferenceNetwork}), {@code init.npz} (the initial weights, {@link ReferenceTensors}), {@code recipe.json}
 * (optimiser and schedule) and {@code init-model.zip} (the same U-Net as this project saves it). With
 * {@link #writeBatches}, also {@code batches.npz}: a few fixed batches for the step-by-step check, inputs already
 * normalised as {@code step<k>.x [N, C, H, W]}, class ids as {@code step<k>.y [N, H, W]} (int32).
 */
public final class ReferenceCase {

    /** recipe.json's schedule object, which {@link CompareSteps} reads back, and its fields. */
    static final String SCHEDULE = "schedule";
    /** The schedule's kind; {@link #ONE_CYCLE} is the only one. */
    static final String SCHEDULE_TYPE = "type";
    /** The type of a {@link LearningRateSchedule.OneCycle} schedule. */
    static final String ONE_CYCLE = "oneCycle";
    /** {@link LearningRateSchedule.OneCycle#warmupFraction()} in the schedule. */
    static final String WARMUP_FRACTION = "warmupFraction";
    /** {@link LearningRateSchedule.OneCycle#startDivisor()} in the schedule. */
    static final String START_DIVISOR = "startDivisor";
    /** {@link LearningRateSchedule.OneCycle#endDivisor()} in the schedule. */
    static final String END_DIVISOR = "endDivisor";
    /** The end of a batch's inputs key in batches.npz, {@code step<k>.x}. */
    private static final String BATCH_INPUTS_SUFFIX = ".x";
    /** The end of a batch's class-id key in batches.npz, {@code step<k>.y}. */
    private static final String BATCH_CLASS_IDS_SUFFIX = ".y";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ReferenceCase() {
    }

    /**
     * Writes {@code network.json}, {@code init.npz}, {@code init-model.zip} and {@code recipe.json} for training
     * {@code unet} with its Adam updater under {@code schedule}.
     *
     * @throws IllegalArgumentException when the updater is not Adam or the graph has what the reference lacks
     */
    public static void write(Path directory, UNet unet, LearningRateSchedule.OneCycle schedule, int batchSize,
                             int epochs, long totalSteps) throws IOException {
        Files.createDirectories(directory);
        AtomicFiles.durable().writeString(CaseFile.NETWORK.in(directory), ReferenceNetwork.toJson(unet));
        ReferenceTensors.writeNpz(CaseFile.INIT.in(directory), ReferenceTensors.parameters(unet.graph()));
        unet.save(CaseFile.MODEL.in(directory));
        AtomicFiles.durable().writeString(CaseFile.RECIPE.in(directory), JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(recipe(unet, schedule, batchSize, epochs, totalSteps)));
    }

    static ObjectNode recipe(UNet unet, LearningRateSchedule.OneCycle schedule, int batchSize, int epochs,
                             long totalSteps) {
        IUpdater updater = unet.config().updater();
        if (!(updater instanceof Adam adam)) {
            throw new IllegalArgumentException("updater is " + updater + "; the reference recipe is Adam");
        }
        ObjectNode recipe = JSON.createObjectNode();
        recipe.put("learningRate", adam.getLearningRate());
        ObjectNode adamNode = recipe.putObject("adam");
        adamNode.put("beta1", adam.getBeta1());
        adamNode.put("beta2", adam.getBeta2());
        adamNode.put("epsilon", adam.getEpsilon());
        recipe.put("weightDecay", weightDecay(unet));
        ObjectNode scheduleNode = recipe.putObject(SCHEDULE);
        scheduleNode.put(SCHEDULE_TYPE, ONE_CYCLE);
        scheduleNode.put(WARMUP_FRACTION, schedule.warmupFraction());
        scheduleNode.put(START_DIVISOR, schedule.startDivisor());
        scheduleNode.put(END_DIVISOR, schedule.endDivisor());
        recipe.put("batchSize", batchSize);
        recipe.put("epochs", epochs);
        if (totalSteps > 0) {
            recipe.put("totalSteps", totalSteps);
        }
        return recipe;
    }

    /** The graph's L2 or weight decay: 0 here, refused otherwise so that the recipe never misstates it. */
    private static double weightDecay(UNet unet) {
        for (var layer : unet.graph().getLayers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base && base.getRegularization() != null
                    && !base.getRegularization().isEmpty()) {
                throw new IllegalArgumentException("vertex '" + base.getLayerName() + "' has regularisation "
                        + base.getRegularization() + "; the reference recipe has none");
            }
        }
        return 0;
    }

    /**
     * {@code steps} seeded batches of {@code batchSize} for {@code unet}'s input: images of a few soft-edged
     * rectangles of random classes on noise, so that a few steps visibly lower the loss.
     */
    public static List<DataSet> batches(UNet unet, int steps, int batchSize, long seed) {
        int channels = unet.config().input().channels();
        int height = unet.config().input().height();
        int width = unet.config().input().width();
        int classes = unet.config().numClasses();
        SplittableRandom random = new SplittableRandom(seed);
        List<DataSet> batches = new java.util.ArrayList<>();
        for (int step = 0; step < steps; step++) {
            float[] x = new float[batchSize * channels * height * width];
            float[] y = new float[batchSize * classes * height * width];
            int plane = height * width;
            for (int n = 0; n < batchSize; n++) {
                int[] ids = new int[plane];
                for (int box = 0; box < 3; box++) {
                    int k = random.nextInt(classes);
                    int y0 = random.nextInt(height);
                    int x0 = random.nextInt(width);
                    int y1 = Math.min(height, y0 + 1 + random.nextInt(height / 2));
                    int x1 = Math.min(width, x0 + 1 + random.nextInt(width / 2));
                    for (int r = y0; r < y1; r++) {
                        for (int c = x0; c < x1; c++) {
                            ids[r * width + c] = k;
                        }
                    }
                }
                for (int i = 0; i < plane; i++) {
                    for (int c = 0; c < channels; c++) {
                        double signal = ((ids[i] + c) % classes) / (double) classes;
                        x[(n * channels + c) * plane + i] = (float) (signal + 0.3 * random.nextGaussian() - 0.5);
                    }
                    y[(n * classes + ids[i]) * plane + i] = 1;
                }
            }
            batches.add(new DataSet(Nd4j.create(x, new long[] {batchSize, channels, height, width}),
                    Nd4j.create(y, new long[] {batchSize, classes, height, width})));
        }
        return batches;
    }

    /** Writes {@code batches} as {@code step<k>.x} and {@code step<k>.y} (class ids, int32), k from 1. */
    public static void writeBatches(Path directory, List<DataSet> batches) throws IOException {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (int k = 0; k < batches.size(); k++) {
            DataSet batch = batches.get(k);
            tensors.put(StepTrace.stepKey(k + 1, BATCH_INPUTS_SUFFIX), batch.getFeatures().castTo(DataType.FLOAT));
            tensors.put(StepTrace.stepKey(k + 1, BATCH_CLASS_IDS_SUFFIX),
                    batch.getLabels().argMax(1).castTo(DataType.INT));
        }
        ReferenceTensors.writeNpz(CaseFile.BATCHES.in(directory), tensors);
    }

    /** Reads {@code batches.npz} back as one-hot DataSets for a {@code classes}-class U-Net. */
    public static List<DataSet> readBatches(Path directory, int classes) throws IOException {
        Map<String, INDArray> tensors = ReferenceTensors.readNpz(CaseFile.BATCHES.in(directory));
        List<DataSet> batches = new java.util.ArrayList<>();
        for (int k = 1; tensors.containsKey(StepTrace.stepKey(k, BATCH_INPUTS_SUFFIX)); k++) {
            INDArray x = tensors.get(StepTrace.stepKey(k, BATCH_INPUTS_SUFFIX)).castTo(DataType.FLOAT);
            INDArray ids = tensors.get(StepTrace.stepKey(k, BATCH_CLASS_IDS_SUFFIX));
            long[] shape = ids.shape();
            INDArray oneHot = Nd4j.zeros(DataType.FLOAT, shape[0], classes, shape[1], shape[2]);
            for (int c = 0; c < classes; c++) {
                oneHot.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(c))
                        .assign(ids.eq(c).castTo(DataType.FLOAT));
            }
            batches.add(new DataSet(x, oneHot));
        }
        return batches;
    }
}
