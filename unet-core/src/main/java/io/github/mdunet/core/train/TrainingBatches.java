package io.github.mdunet.core.train;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.UNetConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The size check of every batch that {@link Trainer} (training and validation) and {@link LearningRateFinder} feed a
 * U-Net's graph: images and labels of the configured input's height and width. The U-Net's loss averages over that
 * many pixels ({@code PixelMeanLoss}), and DL4J's loss layer, which divides by the batch size, cannot tell a batch of
 * k images from one image k times larger: a batch of another size would train (and validate) with a loss and
 * gradients wrong by the ratio of the areas. A caller of {@code unet.graph().fit(...)} is not checked: it must feed
 * batches of the configured size itself.
 */
public final class TrainingBatches {

    private TrainingBatches() {
    }

    /**
     * Refuses {@code batch} when its features or labels {@code [N, C, H, W]} are not of {@code config}'s input height
     * and width, naming the batch ({@code batchName}, e.g. "training batch 3 of epoch 2"), both sizes and the fixes.
     * Arrays of another rank are left to DL4J.
     *
     * @throws IllegalArgumentException for a batch of another height or width
     */
    public static void requireInputSize(UNetConfig config, DataSet batch, String batchName) {
        sizeProblem(config, batch, () -> batchName).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /**
     * What {@link #requireInputSize} says about {@code batch}; empty for a batch of the configured size (whose name
     * is then not made).
     */
    private static Optional<String> sizeProblem(UNetConfig config, DataSet batch, Supplier<String> batchName) {
        ImageShape input = config.input();
        for (INDArray images : new INDArray[] {batch.getFeatures(), batch.getLabels()}) {
            if (images == null || images.rank() != 4
                    || images.size(2) == input.height() && images.size(3) == input.width()) {
                continue;
            }
            long height = images.size(2);
            long width = images.size(3);
            boolean features = images == batch.getFeatures();
            double areaRatio = (double) (height * width) / ((long) input.height() * input.width());
            return Optional.of(String.format(Locale.ROOT, "%s has %s of %dx%d (%s %s) but the U-Net is built for %dx%d"
                    + " (config.input() %s): its loss averages over the pixels of that size and DL4J's loss layer"
                    + " divides by the batch size, so this batch would give a loss and gradients wrong by the ratio of"
                    + " the areas (%.2f). Build the configuration at the images' size (config.withInput(new"
                    + " ImageShape(%d, %d, %d))), or crop or resize the images to %dx%d in the pipeline",
                    batchName.get(), features ? "images" : "labels", height, width, features ? "features" : "labels",
                    Arrays.toString(images.shape()), input.height(), input.width(), input, areaRatio,
                    input.channels(), height, width, input.height(), input.width()));
        }
        return Optional.empty();
    }

    /**
     * {@code batches} with {@link #requireInputSize} applied to each batch as it is taken; batch {@code i} (from 1,
     * counted again after each reset) is named {@code batchName.apply(i)}. A refused batch is recorded, not thrown:
     * a fitter may take batches on another thread (DL4J's prefetch thread, a parallel worker's) and report a step
     * only after the graph has met the batch, so the trainer's side throws it, in place of whatever the graph made of
     * the batch ({@link Checked#throwIfRefused}). (DL4J's {@code AsyncDataSetIterator} does pass a source's throw on
     * to its consumer in M2.1, measured from {@code next()} and {@code hasNext()}.)
     */
    public static Checked checked(UNetConfig config, DataSetIterator batches, IntFunction<String> batchName) {
        return new Checked(config, batches, batchName);
    }

    /** Delegates everything to the iterator it wraps and checks each batch it hands out. */
    public static final class Checked implements DataSetIterator {

        private static final long serialVersionUID = 1L;

        private final UNetConfig config;
        private final DataSetIterator batches;
        private final IntFunction<String> batchName;
        /** The first refusal's message; null while every batch was of the configured size. */
        private final AtomicReference<String> refusal = new AtomicReference<>();
        private int taken;

        Checked(UNetConfig config, DataSetIterator batches, IntFunction<String> batchName) {
            this.config = config;
            this.batches = batches;
            this.batchName = batchName;
        }

        /**
         * Throws the refusal of the first batch taken that was not of the configured size, if any, with
         * {@code during} (what the batch made fail further on, e.g. DL4J's error inside the graph; may be null) as
         * a suppressed exception.
         *
         * @throws IllegalArgumentException naming the batch, both sizes and the fixes
         */
        public void throwIfRefused(Throwable during) {
            String message = refusal.get();
            if (message != null) {
                IllegalArgumentException refused = new IllegalArgumentException(message);
                if (during != null && !message.equals(during.getMessage())) {
                    refused.addSuppressed(during);
                }
                throw refused;
            }
        }

        private org.nd4j.linalg.dataset.DataSet checkedBatch(org.nd4j.linalg.dataset.DataSet batch) {
            taken++;
            int number = taken;
            sizeProblem(config, batch, () -> batchName.apply(number))
                    .ifPresent(problem -> refusal.compareAndSet(null, problem));
            return batch;
        }

        @Override
        public org.nd4j.linalg.dataset.DataSet next() {
            return checkedBatch(batches.next());
        }

        @Override
        public org.nd4j.linalg.dataset.DataSet next(int num) {
            return checkedBatch(batches.next(num));
        }

        @Override
        public boolean hasNext() {
            return batches.hasNext();
        }

        @Override
        public void reset() {
            batches.reset();
            taken = 0;
        }

        @Override
        public int inputColumns() {
            return batches.inputColumns();
        }

        @Override
        public int totalOutcomes() {
            return batches.totalOutcomes();
        }

        @Override
        public boolean resetSupported() {
            return batches.resetSupported();
        }

        @Override
        public boolean asyncSupported() {
            return batches.asyncSupported();
        }

        @Override
        public int batch() {
            return batches.batch();
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            batches.setPreProcessor(preProcessor);
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return batches.getPreProcessor();
        }

        @Override
        public List<String> getLabels() {
            return batches.getLabels();
        }
    }
}
