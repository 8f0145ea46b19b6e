package io.github.mdunet.data.pipeline;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.augment.AugmentConfig;

/**
 * How samples become batches.
 *
 * @param output          the feature shape of one sample, {@code [C, H, W]}: every sample is framed to H x W
 * @param normalization   applied to the features (and to image-to-image targets), in its channel order
 * @param labels          the label tensor of segmentation batches (ignored for image-to-image)
 * @param augment         the joint augmentation ({@link AugmentConfig#NONE} for none)
 * @param batchSize       samples per batch; the last batch of an epoch may be smaller
 * @param shuffle         a new sample order each epoch (drawn from {@code seed} and the epoch number)
 * @param seed            the seed of the order and of every augmentation draw
 * @param prefetchBatches batches prepared ahead on background threads; 0 prepares them on the caller's thread
 * @param workers         background threads preparing batches (1 is enough when training is the bottleneck)
 */
public record PipelineConfig(ImageShape output, InputNormalization normalization, LabelFormat labels,
                             AugmentConfig augment, int batchSize, boolean shuffle, long seed, int prefetchBatches,
                             int workers) {

    public PipelineConfig {
        if (output == null) {
            throw new IllegalArgumentException("PipelineConfig.output must be set, e.g. new ImageShape(3, 256, 256)");
        }
        if (output.channels() != 1 && output.channels() != 3) {
            throw new IllegalArgumentException("PipelineConfig.output.channels must be 1 or 3 but was "
                    + output.channels());
        }
        if (normalization == null || labels == null || augment == null) {
            throw new IllegalArgumentException("PipelineConfig needs normalization, labels and augment but was "
                    + normalization + ", " + labels + ", " + augment);
        }
        Checks.atLeast("PipelineConfig.batchSize", batchSize, 1);
        Checks.atLeast("PipelineConfig.prefetchBatches", prefetchBatches, 0);
        Checks.atLeast("PipelineConfig.workers", workers, 1);
    }

    /**
     * Training batches for {@code model}: its input shape, its encoder's normalisation, labels for its head,
     * {@link AugmentConfig#standard()}, shuffled, 2 batches prefetched on 1 thread.
     */
    public static PipelineConfig training(UNetConfig model, int batchSize, long seed) {
        LabelFormat labels = model.head().regresses() ? LabelFormat.CLASS_ID
                : LabelFormat.forHead(model.head(), model.numClasses());
        return new PipelineConfig(model.input(), model.encoder().inputNormalization(), labels,
                AugmentConfig.standard(), batchSize, true, seed, 2, 1);
    }

    /** Validation batches for {@code model}: as {@link #training} without augmentation or shuffling. */
    public static PipelineConfig evaluation(UNetConfig model, int batchSize) {
        return training(model, batchSize, 0).withAugment(AugmentConfig.NONE).withShuffle(false);
    }

    /**
     * The batches that validate a model trained on this pipeline: the same shape, normalisation and labels, not
     * shuffled, framed by {@link AugmentConfig#forValidation()} (for {@link #evaluation} itself: unchanged).
     */
    public PipelineConfig forValidation() {
        return withAugment(augment.forValidation()).withShuffle(false);
    }

    public PipelineConfig withAugment(AugmentConfig value) {
        return new PipelineConfig(output, normalization, labels, value, batchSize, shuffle, seed,
                prefetchBatches, workers);
    }

    public PipelineConfig withShuffle(boolean value) {
        return new PipelineConfig(output, normalization, labels, augment, batchSize, value, seed,
                prefetchBatches, workers);
    }

    public PipelineConfig withSeed(long value) {
        return new PipelineConfig(output, normalization, labels, augment, batchSize, shuffle, value,
                prefetchBatches, workers);
    }

    public PipelineConfig withPrefetch(int batches, int threads) {
        return new PipelineConfig(output, normalization, labels, augment, batchSize, shuffle, seed, batches, threads);
    }

    public PipelineConfig withBatchSize(int value) {
        return new PipelineConfig(output, normalization, labels, augment, value, shuffle, seed,
                prefetchBatches, workers);
    }

    public PipelineConfig withNormalization(InputNormalization value) {
        return new PipelineConfig(output, value, labels, augment, batchSize, shuffle, seed, prefetchBatches, workers);
    }

    public PipelineConfig withLabels(LabelFormat value) {
        return new PipelineConfig(output, normalization, value, augment, batchSize, shuffle, seed,
                prefetchBatches, workers);
    }
}
