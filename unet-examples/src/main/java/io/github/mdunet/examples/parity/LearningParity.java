package io.github.mdunet.examples.parity;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.TrainingOptions;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.core.train.Monitor;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentPreset;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.TexturedScenes;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The learning-parity benchmark: the reference recipe ({@link ExportReference#recipeConfig}) trained with this
 * project's trainer on a benchmark folder ({@code train/} and {@code heldout/}, each with {@code images/} and
 * {@code masks/}) for several seeds; each final model is evaluated on the held-out split (mean IoU over all classes,
 * background included, from the confusion matrix of all held-out pixels). Writes {@code results.json} in the
 * reference's schema plus {@code network.json} and {@code recipe.json} for the reference, and with
 * {@code --reference} prints both side by side. With {@code --init} every seed starts from one exported U-Net's
 * weights, as the reference's {@code --init}, so that only the batches' order and augmentation differ by seed.
 */
@Command(name = "learning-parity", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Trains the parity recipe over several seeds and compares held-out mean IoU with PyTorch's.")
public final class LearningParity extends AppCommand {

    public static final String RESULTS = "results.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--data", description = "Benchmark folder with train/ and heldout/; required unless"
            + " --report-only.")
    Path data;

    @Mixin
    RecipeOptions recipe = new RecipeOptions();

    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3", description = "Seeds, comma-separated.")
    List<Long> seeds;

    @Option(names = "--augment", description = "${COMPLETION-CANDIDATES}.")
    AugmentPreset augment = AugmentPreset.FLIPS;

    @Option(names = "--init", description = "A U-Net saved by export-reference (its init-model.zip) for every seed to"
            + " start from, as the reference's --init with the same folder's init.npz: the seed then draws only the"
            + " batches' order and augmentation. Default: each seed draws its own weights.")
    Path init;

    @Option(names = "--reference", description = "The PyTorch reference's results.json, to print side by side.")
    Path reference;

    @Option(names = "--out", description = "Output directory.")
    Path out = Path.of("output", "learning-parity");

    @Option(names = "--report-only", description = "Train nothing: print the table from --out's results.json (and"
            + " --reference).")
    boolean reportOnly;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new LearningParity()));
    }

    @Override
    public Integer call() throws Exception {
        recipe.check(commandLine());
        JsonNode theirs = reference == null ? null : readReference();
        if (reportOnly) {
            if (!Files.isRegularFile(out.resolve(RESULTS))) {
                throw new ParameterException(commandLine(), "--out " + out + " holds no " + RESULTS + ": run"
                        + " learning-parity with --data first, or give --out the folder it wrote");
            }
            JsonNode ours = JSON.readTree(out.resolve(RESULTS).toFile());
            if (theirs != null) {
                checkSameAugmentation(ours.path("augment").asText(), theirs);
            }
            System.out.print(table(ours, theirs));
            return 0;
        }
        if (data == null) {
            throw new ParameterException(commandLine(), "Missing required option: '--data=<data>': the benchmark"
                    + " folder (train/ and heldout/, as mdunet generate-data writes it), or --report-only to train"
                    + " nothing");
        }
        if (theirs != null) {
            checkSameAugmentation(augmentName(augment), theirs);
        }
        SegmentationDataset dataset = SegmentationDataset.open(SegmentationFolderConfig.of(
                data.resolve(TexturedScenes.Subset.TRAIN.folder()), recipe.classes).withSplit(
                SegmentationFolderConfig.validationFolder(data.resolve(TexturedScenes.Subset.HELDOUT.folder()))));
        // The benchmark's images all have one size; the network takes it.
        java.awt.image.BufferedImage first = javax.imageio.ImageIO.read(dataset.training().get(0).input().toFile());
        ImageShape input = new ImageShape(3, first.getHeight(), first.getWidth());
        if (init != null) {
            checkInitialModel(loadInitialModel(), input);
        }
        Files.createDirectories(out);
        ArrayNode runs = JSON.createArrayNode();
        for (long seed : seeds) {
            UNet unet = init == null ? UNet.build(recipe.config(input, seed)) : loadInitialModel();
            if (seed == seeds.get(0)) {
                TrainingOptions.Values training = recipe.training.values();
                long stepsPerEpoch = (dataset.training().size() + training.batch() - 1) / training.batch();
                ReferenceCase.write(out.resolve("reference-input"), unet, LearningRateSchedule.OneCycle.fastai(),
                        training.batch(), training.epochs(), stepsPerEpoch * training.epochs());
            }
            runs.add(train(dataset, unet, seed));
            JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(RESULTS).toFile(), summary(runs));
        }
        ObjectNode ours = summary(runs);
        JSON.writerWithDefaultPrettyPrinter().writeValue(out.resolve(RESULTS).toFile(), ours);
        System.out.print(table(ours, theirs));
        return 0;
    }

    /** The {@code --reference} results, refused when missing or unreadable. */
    private JsonNode readReference() {
        try {
            return JSON.readTree(reference.toFile());
        } catch (IOException e) {
            throw new ParameterException(commandLine(), "--reference " + reference + " cannot be read ("
                    + e.getMessage() + "): give the results.json the PyTorch reference's train command wrote");
        }
    }

    /** The {@code --init} U-Net, loaded afresh for each seed (training changes the weights it is given). */
    private UNet loadInitialModel() {
        try {
            return UNet.load(init);
        } catch (IOException e) {
            throw new ParameterException(commandLine(), "--init " + init + " cannot be loaded (" + e.getMessage()
                    + "): give the init-model.zip that export-reference wrote");
        }
    }

    /**
     * Refuses an {@code --init} U-Net built by another recipe than these options for the data's size, naming each
     * field that differs: its weights would not be the reference's network, or not this comparison's.
     */
    private void checkInitialModel(UNet start, ImageShape input) {
        UNetConfig saved = start.config();
        UNetConfig expected = recipe.config(input, saved.seed());
        // An export saved before file format 6 holds the earlier decoder layout: the same network for this recipe.
        UNetConfig inSavedLayout = expected.withDecoderLayout(saved.decoderLayout());
        if (UNetGraphFactory.create(inSavedLayout).configuration().toJson()
                .equals(UNetGraphFactory.create(expected).configuration().toJson())) {
            expected = inSavedLayout;
        }
        List<String> differing = new ArrayList<>();
        for (RecordComponent field : UNetConfig.class.getRecordComponents()) {
            Object theirs = value(field, saved);
            Object ours = value(field, expected);
            if (!Objects.equals(theirs, ours)) {
                differing.add(field.getName() + " " + theirs + " where these options and the data give " + ours);
            }
        }
        if (!differing.isEmpty()) {
            throw new ParameterException(commandLine(), "--init " + init + " holds a U-Net of another recipe: "
                    + String.join("; ", differing) + ". Export it with export-reference and the same --classes,"
                    + " --depth, --base-width, --layers and --learning-rate, at the data's --height and --width");
        }
    }

    private static Object value(RecordComponent field, UNetConfig config) {
        try {
            return field.getAccessor().invoke(config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("UNetConfig." + field.getName() + " cannot be read", e);
        }
    }

    /** Refuses a reference trained with another augmentation than {@code ours}: the two rows would not compare. */
    private void checkSameAugmentation(String augmentOfOurs, JsonNode theirs) {
        String ours = augmentOfOurs.replace('_', '-'); // results.json files before the reference's spelling
        String theirAugment = theirs.path("augment").asText("none");
        if (!theirAugment.equals(ours)) {
            throw new ParameterException(commandLine(), "--reference " + reference + " was trained with augment '"
                    + theirAugment + "' but this project's runs with '" + ours + "': the rows would not compare; use"
                    + " --augment " + theirAugment.replace('-', '_') + ", or train the reference with --augment "
                    + ours + " where it has it (none, flips, flips-zoom)");
        }
    }

    /** The preset as the reference spells its augmentation: {@code flips-zoom} for {@code FLIPS_ZOOM}. */
    static String augmentName(AugmentPreset preset) {
        return preset.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private ObjectNode train(SegmentationDataset dataset, UNet unet, long seed) throws Exception {
        TrainingOptions.Values training = recipe.training.values();
        TrainingConfig schedule = TrainingConfig.of(training.epochs(), out.resolve("seed-" + seed))
                .withMonitor(Monitor.maximize(Validator.MEAN_IOU));
        PipelineConfig pipeline = PipelineConfig.training(unet.config(), training.batch(), seed)
                .withAugment(augment.config());
        ObjectNode run = JSON.createObjectNode();
        TrainingResult result;
        Map<String, Double> heldout;
        long cpuStart = processCpuNanos();
        try (PairedDataSetIterator train = dataset.trainIterator(pipeline);
             PairedDataSetIterator validation = dataset.validationIterator(
                     PipelineConfig.evaluation(unet.config(), training.batch()))) {
            result = new Trainer(schedule, Validator.segmentation()).fit(unet, train, validation);
            run.put("cpuSecondsPerEpochMean", (processCpuNanos() - cpuStart) / 1e9 / training.epochs());
            heldout = Validator.segmentation().validate(result.model(), validation);
        }
        run.put("seed", seed);
        run.put("meanIoU", heldout.get(Validator.MEAN_IOU));
        ArrayNode perClass = run.putArray("perClassIoU");
        for (int k = 0; k < recipe.classes; k++) {
            perClass.add(heldout.get(Validator.classIoU(k)));
        }
        run.put("pixelAccuracy", heldout.get(Validator.PIXEL_ACCURACY));
        // The trainer's losses are per-pixel means already (PixelMeanLoss), in the reference's units.
        ArrayNode losses = run.putArray("trainLossPerEpoch");
        ArrayNode seconds = run.putArray("secondsPerEpoch");
        for (EpochRecord record : result.history()) {
            losses.add(record.trainLoss());
            seconds.add(record.seconds());
        }
        System.out.printf(Locale.ROOT, "seed %d: held-out mean IoU %.4f, per class %s%n", seed,
                heldout.get(Validator.MEAN_IOU), perClass);
        return run;
    }

    /** The reference's schema: {@code seeds} (one object per run) and {@code meanIoU} {seeds, mean, sampleStd}. */
    private ObjectNode summary(ArrayNode runs) {
        ObjectNode root = JSON.createObjectNode();
        root.put("framework", "mdunet (DL4J 1.0.0-M2.1)");
        root.put("augment", augmentName(augment));
        // the preset's settings too: a preset's name can mean other settings in another version
        root.put("augmentation", augment.config().toString());
        // as the reference's results name their starting weights
        root.put("init", init == null ? "own" : init.toString());
        root.put("epochs", recipe.training.values().epochs());
        root.put("layers", recipe.layers.name());
        root.set("seeds", runs);
        double[] values = new double[runs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = runs.get(i).path("meanIoU").asDouble();
        }
        ObjectNode meanIoU = root.putObject("meanIoU");
        meanIoU.put("seeds", values.length);
        meanIoU.put("mean", mean(values));
        meanIoU.put("sampleStd", standardDeviation(values));
        return root;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Both frameworks' mean IoU, spread and per-class IoU as a Markdown table. */
    static String table(JsonNode ours, JsonNode theirs) {
        StringBuilder table = new StringBuilder("| framework | seeds | held-out mean IoU (mean ± sd) | per class"
                + " (mean over seeds) | CPU s / epoch |\n|---|---|---|---|---|\n");
        row(table, "this project", ours);
        if (theirs != null) {
            row(table, "PyTorch reference", theirs);
        }
        return table.toString();
    }

    private static void row(StringBuilder table, String name, JsonNode results) {
        JsonNode runs = results.path("seeds");
        int classes = runs.get(0).path("perClassIoU").size();
        double[] perClass = new double[classes];
        double seconds = 0;
        for (JsonNode run : runs) {
            for (int k = 0; k < classes; k++) {
                perClass[k] += run.path("perClassIoU").get(k).asDouble() / runs.size();
            }
            seconds += cpuSecondsPerEpoch(run) / runs.size();
        }
        StringBuilder perClassText = new StringBuilder();
        for (double v : perClass) {
            perClassText.append(perClassText.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v));
        }
        table.append(String.format(Locale.ROOT, "| %s | %d | %.3f ± %.3f | %s | %.1f |%n", name, runs.size(),
                results.path("meanIoU").path("mean").asDouble(), results.path("meanIoU").path("sampleStd").asDouble(),
                perClassText, seconds));
    }

    /** A run's process CPU seconds per epoch: this project's mean, or the mean of the reference's list. */
    private static double cpuSecondsPerEpoch(JsonNode run) {
        if (run.has("cpuSecondsPerEpochMean")) {
            return run.path("cpuSecondsPerEpochMean").asDouble();
        }
        double[] values = new double[run.path("cpuSecondsPerEpoch").size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = run.path("cpuSecondsPerEpoch").get(i).asDouble();
        }
        return mean(values);
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    /** The sample standard deviation; 0 for one value. */
    static double standardDeviation(double[] values) {
        if (values.length < 2) {
            return 0;
        }
        double m = mean(values);
        double squares = 0;
        for (double v : values) {
            squares += (v - m) * (v - m);
        }
        return Math.sqrt(squares / (values.length - 1));
    }
}
