package io.github.mdunet.data;

import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.ImageToImageFolderConfig;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.Splits;
import io.github.mdunet.data.pipeline.ImageToImageSource;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import io.github.mdunet.data.validate.DatasetValidator;
import io.github.mdunet.data.validate.ValidationReport;
import java.util.List;

/**
 * An image-to-image folder dataset (super-resolution, denoising, colourisation), validated and split.
 * Batches: features {@code [N, C, H, W]}, labels {@code [N, C', r*H, r*W]} for scale factor {@code r}, both
 * normalised with the pipeline's normalisation. {@code PipelineConfig.output} is the input patch size; use
 * {@link AugmentConfig#flipsAndCrops()} to train on exact patches.
 */
public final class ImageToImageDataset {


    private final ImageToImageFolderConfig config;
    private final ValidationReport report;
    private final Splits.Parts parts;
    private final BadSamplePolicy policy;

    private ImageToImageDataset(ImageToImageFolderConfig config, ValidationReport report, Splits.Parts parts,
                                BadSamplePolicy policy) {
        this.config = config;
        this.report = report;
        this.parts = parts;
        this.policy = policy;
    }

    /** As {@link SegmentationDataset#open(io.github.mdunet.data.folder.SegmentationFolderConfig, BadSamplePolicy)}. */
    public static ImageToImageDataset open(ImageToImageFolderConfig config, BadSamplePolicy policy) {
        ValidationReport report = DatasetValidator.validate(config);
        String name = "image-to-image dataset " + config.inputs() + " -> " + config.targets();
        return new ImageToImageDataset(config, report, report.usableParts(name, policy, config.split()),
                policy);
    }

    public ImageToImageFolderConfig config() {
        return config;
    }

    public ValidationReport report() {
        return report;
    }

    public List<SamplePair> training() {
        return parts.training();
    }

    public List<SamplePair> validation() {
        return parts.validation();
    }

    public PairedDataSetIterator trainIterator(PipelineConfig pipeline) {
        return iterator(training(), pipeline);
    }

    public PairedDataSetIterator validationIterator(PipelineConfig pipeline) {
        if (validation().isEmpty()) {
            throw new IllegalStateException("no validation samples: configure a Split (BySeed or ByFolder) on "
                    + config.inputs());
        }
        return iterator(validation(), pipeline.withAugment(AugmentConfig.NONE).withShuffle(false));
    }

    public PairedDataSetIterator iterator(List<SamplePair> pairs, PipelineConfig pipeline) {
        if (pipeline.output().channels() != config.inputChannels()) {
            throw new IllegalArgumentException("PipelineConfig.output has " + pipeline.output().channels()
                    + " channels but the dataset's inputChannels is " + config.inputChannels());
        }
        return new PairedDataSetIterator(new ImageToImageSource(pairs, config.scaleFactor(), config.targetChannels(),
                pipeline), pipeline, policy);
    }
}
