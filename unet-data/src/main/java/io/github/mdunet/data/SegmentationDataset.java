package io.github.mdunet.data;

import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.pipeline.PairedFileSource;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.pipeline.SegmentationSource;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import io.github.mdunet.data.validate.DatasetValidator;
import java.util.List;

/**
 * An image/mask folder dataset, validated and split, that makes DL4J iterators.
 *
 * <pre>{@code
 * SegmentationDataset data = SegmentationDataset.open(
 *         SegmentationFolderConfig.of(root, 4).withSplit(new Split.BySeed(0.2, 42)), BadSamplePolicy.FAIL);
 * PipelineConfig pipeline = PipelineConfig.training(unetConfig, 8, 42);
 * DataSetIterator train = data.trainIterator(pipeline);
 * DataSetIterator validation = data.validationIterator(pipeline); // pipeline.forValidation(): nothing random
 * }</pre>
 * Batches: features {@code [N, C, H, W]} float, normalised as the pipeline says; labels {@code [N, K, H, W]}
 * one-hot for {@code LabelFormat.ONE_HOT} ({@code K = numClasses}), {@code [N, 1, H, W]} otherwise.
 */
public final class SegmentationDataset extends PairedFolderDataset<SegmentationFolderConfig> {

    private SegmentationDataset(SegmentationFolderConfig config, BadSamplePolicy policy) {
        super(config, DatasetValidator.validate(config), config.split(), policy,
                new Inputs("segmentation dataset " + config.images() + " + " + config.masks(), config.images(),
                        config.imageChannels(), "imageChannels", "SegmentationFolderConfig.withImageChannels"));
    }

    /** Validates every file and throws with all errors at once ({@link BadSamplePolicy#FAIL}). */
    public static SegmentationDataset open(SegmentationFolderConfig config) {
        return open(config, BadSamplePolicy.FAIL);
    }

    /**
     * Validates every file ({@link DatasetValidator}), then applies the policy: {@code FAIL} throws a
     * {@link DatasetValidationException} listing every problem; {@code SKIP} leaves out bad samples and logs each.
     * Either way, a dataset with no usable sample (or a missing or empty folder) throws, and so does a split that
     * would leave no training or no validation sample (a {@code BySeed} split of one usable sample), naming the count,
     * the fraction and the fix.
     */
    public static SegmentationDataset open(SegmentationFolderConfig config, BadSamplePolicy policy) {
        return new SegmentationDataset(config, policy);
    }

    @Override
    PairedFileSource source(List<SamplePair> pairs, PipelineConfig pipeline) {
        SegmentationFolderConfig config = config();
        return new SegmentationSource(pairs, config.encoding(), config.numClasses(), config.significantBits(),
                pipeline);
    }
}
