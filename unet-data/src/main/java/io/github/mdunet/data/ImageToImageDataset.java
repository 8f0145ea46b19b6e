package io.github.mdunet.data;

import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.ImageToImageFolderConfig;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.pipeline.ImageToImageSource;
import io.github.mdunet.data.pipeline.PairedFileSource;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidator;
import java.util.List;

/**
 * An image-to-image folder dataset (super-resolution, denoising, colourisation), validated and split.
 * Batches: features {@code [N, C, H, W]}, labels {@code [N, C', r*H, r*W]} for scale factor {@code r}, both
 * normalised with the pipeline's normalisation. {@code PipelineConfig.output} is the input patch size; use
 * {@link AugmentConfig#flipsAndCrops()} to train on exact patches.
 */
public final class ImageToImageDataset extends PairedFolderDataset<ImageToImageFolderConfig> {

    private ImageToImageDataset(ImageToImageFolderConfig config, BadSamplePolicy policy) {
        super(config, DatasetValidator.validate(config), config.split(), policy,
                new Inputs("image-to-image dataset " + config.inputs() + " -> " + config.targets(), config.inputs(),
                        config.inputChannels(), "inputChannels", ""));
    }

    /** As {@link SegmentationDataset#open(io.github.mdunet.data.folder.SegmentationFolderConfig, BadSamplePolicy)}. */
    public static ImageToImageDataset open(ImageToImageFolderConfig config, BadSamplePolicy policy) {
        return new ImageToImageDataset(config, policy);
    }

    @Override
    PairedFileSource source(List<SamplePair> pairs, PipelineConfig pipeline) {
        ImageToImageFolderConfig config = config();
        return new ImageToImageSource(pairs, config.scaleFactor(), config.targetChannels(), pipeline);
    }
}
