package io.github.mdunet.core.nativememory;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.core.train.BatchCount;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The main class of the child JVMs of {@link NativeMemoryLimitsChildJvmTest}, started with a small {@code -Xmx} so
 * that JavaCPP's default limit (4 x -Xmx) is a few hundred MB. Prints {@code KEY value} lines for the parent.
 *
 * <p>Training: epoch 1 has one small batch (fits under the default limit, writes the checkpoints), epoch 2 one
 * large batch that needs more native memory than the default limit allows.
 */
public final class NativeMemoryProbe {

    /** How the child starts. */
    enum Scenario {
        /** JavaCPP's defaults: train, then predict a large batch. */
        TRAIN_WITH_JAVACPP_DEFAULTS,
        /** {@link NativeMemoryLimits#raiseForApplication()} first, as the apps do, then train. */
        TRAIN_AFTER_RAISE,
        /** {@link NativeMemoryLimits#raiseForApplication()}, then print the limits JavaCPP uses. */
        REPORT_LIMITS_AFTER_RAISE
    }

    static final int SMALL_BATCH = 2;
    static final int LARGE_BATCH = 48;
    static final int PREDICTION_BATCH = 256;
    static final int SIZE = 64;
    static final int WIDTH = 8;

    private NativeMemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Scenario scenario = Scenario.valueOf(args[0]);
        if (scenario != Scenario.TRAIN_WITH_JAVACPP_DEFAULTS) {
            NativeMemoryLimits.raiseForApplication();
        }
        if (scenario == Scenario.REPORT_LIMITS_AFTER_RAISE) {
            System.out.println("LIMITS maxPhysicalBytes=" + Pointer.maxPhysicalBytes() + " maxBytes="
                    + Pointer.maxBytes());
            return;
        }
        CpuAcceleration.configure(); // before anything loads ND4J
        UNet unet = UNet.build(config());
        System.out.println("LIMITS maxPhysicalBytes=" + Pointer.maxPhysicalBytes() + " maxBytes=" + Pointer.maxBytes()
                + " at " + uptime());
        // Made while memory is free: after the failed step, an array this size could not be allocated at all.
        INDArray images = Nd4j.rand(unet.config().dataType(), PREDICTION_BATCH, 1, SIZE, SIZE);
        Path checkpoints = Files.createTempDirectory("native-memory-probe");
        try {
            trainAndPredict(scenario, unet, images, checkpoints);
        } finally {
            deleteRecursively(checkpoints);
        }
    }

    private static void trainAndPredict(Scenario scenario, UNet unet, INDArray images, Path checkpoints)
            throws IOException, InterruptedException {
        GrowingBatches train = new GrowingBatches(checkpoints);
        try {
            new Trainer(TrainingConfig.of(2, checkpoints).withProgressBar(false), Validator.loss())
                    .fit(unet, train, new GrowingBatches(null));
            System.out.println("TRAINED resident " + Pointer.physicalBytes() + " at " + uptime());
        } catch (NativeOutOfMemoryError e) {
            System.out.println("TRAIN_ERROR " + e.limit() + " " + e.limitBytes() + " at " + uptime() + " "
                    + e.getMessage());
            System.out.println("CHECKPOINTS_UNCHANGED " + train.filesAtEpoch2.equals(files(checkpoints))
                    + " " + train.filesAtEpoch2.keySet());
        }
        if (scenario == Scenario.TRAIN_WITH_JAVACPP_DEFAULTS) {
            System.gc();
            Thread.sleep(200);
            try {
                unet.predict(images);
                System.out.println("PREDICTED at " + uptime());
            } catch (NativeOutOfMemoryError e) {
                System.out.println("PREDICT_ERROR " + e.limit() + " at " + uptime() + " " + e.getMessage());
            }
        }
    }

    static UNetConfig config() {
        return UNetConfig.builder()
                .encoder(new ClassicEncoder(3, WIDTH, Normalization.BATCH))
                .input(new ImageShape(1, SIZE, SIZE))
                .numClasses(2)
                .upsample(new UpsampleMode.Transposed())
                .build();
    }

    /** Every file of the directory with a digest of its bytes, to compare before and after a failure. */
    static Map<String, String> files(Path directory) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(directory)) {
            for (Path file : list.toList()) {
                byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                files.put(file.getFileName().toString(), HexFormat.of().formatHex(digest));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static String uptime() {
        return ManagementFactory.getRuntimeMXBean().getUptime() + " ms";
    }

    /**
     * One batch per epoch: {@link #SMALL_BATCH} images in the first, {@link #LARGE_BATCH} after; notes the
     * checkpoint files when epoch 2 starts (the validation iterator, without a directory, stays small).
     */
    static final class GrowingBatches extends ListDataSetIterator<DataSet> implements BatchCount {

        private final Path checkpoints;
        private int epoch;
        private boolean served;
        Map<String, String> filesAtEpoch2 = Map.of();

        GrowingBatches(Path checkpoints) {
            super(List.of());
            this.checkpoints = checkpoints;
        }

        @Override
        public void reset() {
            epoch++;
            served = false;
            if (checkpoints != null && epoch == 2) {
                filesAtEpoch2 = files(checkpoints);
            }
        }

        @Override
        public boolean hasNext() {
            return !served;
        }

        @Override
        public DataSet next() {
            served = true;
            return BrightShapes.generate(batch(), SIZE, epoch);
        }

        @Override
        public DataSet next(int num) {
            return next();
        }

        @Override
        public int batch() {
            return checkpoints != null && epoch >= 2 ? LARGE_BATCH : SMALL_BATCH;
        }

        @Override
        public int batchesPerEpoch() {
            return 1;
        }

        @Override
        public int inputColumns() {
            return SIZE * SIZE;
        }

        @Override
        public int totalOutcomes() {
            return 2;
        }

        /** Refused: {@link #next()} makes its batches itself and would not apply one. */
        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException("GrowingBatches applies no pre-processor");
        }
    }
}
