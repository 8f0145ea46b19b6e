package io.github.mdunet.data;

import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Splits;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.pipeline.SegmentationSource;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import io.github.mdunet.data.validate.DatasetValidator;
import io.github.mdunet.data.validate.ValidationReport;
import java.util.List;

/**
 * An image/mask folder dataset, validated and split, that makes DL4J iterators.
 *
 * <pre>{@code
 * SegmentationDataset data = SegmentationDataset.open(
 *         SegmentationFolderConfig.of(root, 4).withSplit(new Split.BySeed(0.2, 42)), BadSamplePolicy.FAIL);
 * DataSetIterator train = data.trainIterator(PipelineConfig.training(unetConfig, 8, 42));
 * DataSetIterator validation = data.validationIterator(PipelineConfig.evaluation(unetConfig, 8));
 * }</pre>
 * Batches: features {@code [N, C, H, W]} float, normalised as the pipeline says; labels {@code [N, K, H, W]}
 * one-hot for {@code LabelFormat.ONE_HOT} ({@code K = numClasses}), {@code [N, 1, H, W]} otherwise.
 */
public final class SegmentationDataset {


    private final SegmentationFolderConfig config;
    private final ValidationReport report;
    private final Splits.Parts parts;
    private final BadSamplePolicy policy;

    private SegmentationDataset(SegmentationFolderConfig config, ValidationReport report, Splits.Parts parts,
                                BadSamplePolicy policy) {
        this.config = config;
        this.report = report;
        this.parts = parts;
        this.policy = policy;
    }

    /** Validates every file and throws with all errors at once ({@link BadSamplePolicy#FAIL}). */
    public static SegmentationDataset open(SegmentationFolderConfig config) {
        return open(config, BadSamplePolicy.FAIL);
    }

    /**
     * Validates every file ({@link DatasetValidator}), then applies the policy: {@code FAIL} throws a
     * {@link DatasetValidationException} listing every problem; {@code SKIP} leaves out bad samples and logs each.
     * Either way, a dataset with no usable sample (or a missing or empty folder) throws.
     */
    public static SegmentationDataset open(SegmentationFolderConfig config, BadSamplePolicy policy) {
        ValidationReport report = DatasetValidator.validate(config);
        String name = "segmentation dataset " + config.images() + " + " + config.masks();
        return new SegmentationDataset(config, report, report.usableParts(name, policy, config.split()),
                policy);
    }

    public SegmentationFolderConfig config() {
        return config;
    }

    /** What the validation pass found (also the skipped samples under {@link BadSamplePolicy#SKIP}). */
    public ValidationReport report() {
        return report;
    }

    public List<SamplePair> training() {
        return parts.training();
    }

    public List<SamplePair> validation() {
        return parts.validation();
    }

    /** Training batches, augmented and shuffled as {@code pipeline} says. */
    public PairedDataSetIterator trainIterator(PipelineConfig pipeline) {
        return iterator(training(), pipeline);
    }

    /** Validation batches: {@code pipeline} without augmentation or shuffling (fails if there is no validation set). */
    public PairedDataSetIterator validationIterator(PipelineConfig pipeline) {
        if (validation().isEmpty()) {
            throw new IllegalStateException("no validation samples: configure a Split (BySeed or ByFolder) on "
                    + config.images());
        }
        return iterator(validation(), pipeline.withAugment(io.github.mdunet.data.augment.AugmentConfig.NONE)
                .withShuffle(false));
    }

    /**
     * Batches over any of this dataset's pairs. A file that fails while loading (it broke after the validation pass)
     * is handled with the policy the dataset was opened with: {@code FAIL} throws, {@code SKIP} leaves it out.
     */
    public PairedDataSetIterator iterator(List<SamplePair> pairs, PipelineConfig pipeline) {
        if (pipeline.output().channels() != config.imageChannels()) {
            throw new IllegalArgumentException("PipelineConfig.output has " + pipeline.output().channels()
                    + " channels but the dataset's imageChannels is " + config.imageChannels()
                    + "; use SegmentationFolderConfig.withImageChannels(" + pipeline.output().channels() + ")");
        }
        return new PairedDataSetIterator(new SegmentationSource(pairs, config.encoding(), config.numClasses(), pipeline),
                pipeline, policy);
    }
}
