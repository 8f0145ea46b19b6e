package io.github.mdunet.spark;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.pipeline.LabelFormat;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.validate.BadSamplePolicy;
import java.io.Serializable;
import java.util.List;

/**
 * What an executor needs to decode samples into batches exactly as unet-data's pipeline on one machine does, in a
 * form Spark can ship ({@code PipelineConfig} and {@code ImageShape} are not {@link Serializable}; the augmentation
 * is shipped as it is).
 *
 * @param channels     image channels of one sample (1 or 3)
 * @param height       height of one sample
 * @param width        width of one sample
 * @param channelOrder the encoder's input normalisation: channel order
 * @param scale        ... its scale
 * @param mean         ... its per-channel means
 * @param std          ... its per-channel standard deviations
 * @param labels     the label tensor
 * @param augment    the training augmentation (validation batches are framed as
 *                   {@link AugmentConfig#forValidation()} says for it)
 * @param shuffle    whether each epoch's training order is a new shuffle of the whole list (from {@code seed} and
 *                   the epoch) or the list's order
 * @param batchSize  samples per batch an executor makes
 * @param seed       the seed of the per-sample augmentation draws (with the epoch and the sample's index in the whole
 *                   list) and of each epoch's order
 * @param numClasses class ids in the masks
 * @param masks      how the pixels of a mask file become class ids (class ids, grey values or colours mapped to ids)
 * @param significantBits the bits of a 16-bit image's samples that hold its value (16 for all)
 * @param badSamples what an executor does with a file that breaks while decoding
 */
public record ExecutorPipeline(int channels, int height, int width, ChannelOrder channelOrder, double scale,
                               List<Double> mean, List<Double> std, LabelFormat labels, AugmentConfig augment,
                               boolean shuffle, int batchSize, long seed, int numClasses, MaskEncoding masks,
                               int significantBits, BadSamplePolicy badSamples)
        implements Serializable {

    public ExecutorPipeline {
        mean = List.copyOf(mean);
        std = List.copyOf(std);
        if (augment == null || labels == null || channelOrder == null || masks == null || badSamples == null) {
            throw new IllegalArgumentException("ExecutorPipeline needs labels, augment, channelOrder, masks and"
                    + " badSamples but was " + labels + ", " + augment + ", " + channelOrder + ", " + masks + ", "
                    + badSamples);
        }
        Checks.atLeast("ExecutorPipeline.numClasses", numClasses, 1);
        Checks.significantBits("ExecutorPipeline.significantBits", significantBits);
        pipeline(channels, height, width, channelOrder, scale, mean, std, labels, augment, shuffle, batchSize, seed,
                true);
    }

    /**
     * The executors' copy of {@code config} (its augmentation and shuffling included; its prefetching left out, as
     * executors decode on the task's thread), with masks read as {@code encoding}, 16-bit images as values of
     * {@code significantBits}, and a file that breaks while decoding handled as {@code badSamples} says (as the
     * driver's validation pass handled the folder).
     */
    public static ExecutorPipeline of(PipelineConfig config, MaskEncoding encoding, int numClasses,
                                      int significantBits, BadSamplePolicy badSamples) {
        InputNormalization normalization = config.normalization();
        return new ExecutorPipeline(config.output().channels(), config.output().height(), config.output().width(),
                normalization.channelOrder(), normalization.scale(), normalization.mean(), normalization.std(),
                config.labels(), config.augment(), config.shuffle(), config.batchSize(), config.seed(),
                numClasses, encoding, significantBits, badSamples);
    }

    /**
     * The pipeline of the whole list on the executor, without prefetch: for training, augmented and shuffled as
     * configured; for validation neither, framed as {@link AugmentConfig#forValidation()} says for the training
     * augmentation.
     */
    PipelineConfig pipeline(boolean training) {
        return pipeline(channels, height, width, channelOrder, scale, mean, std, labels, augment, shuffle, batchSize,
                seed, training);
    }

    /** Also the compact constructor's check: it cannot call {@link #pipeline(boolean)} before the fields are set. */
    private static PipelineConfig pipeline(int channels, int height, int width, ChannelOrder channelOrder,
                                           double scale, List<Double> mean, List<Double> std, LabelFormat labels,
                                           AugmentConfig augment, boolean shuffle, int batchSize, long seed,
                                           boolean training) {
        PipelineConfig trainingPipeline = new PipelineConfig(new ImageShape(channels, height, width),
                new InputNormalization(channelOrder, scale, mean, std), labels, augment, batchSize, shuffle,
                seed, 0, 1);
        return training ? trainingPipeline : trainingPipeline.forValidation();
    }
}
