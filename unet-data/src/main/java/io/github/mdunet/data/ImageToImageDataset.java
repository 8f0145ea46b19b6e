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
 * An image-to-image folder dataset (super-resolution on bicubic-upscaled inputs, denoising, colourisation), validated
 * and split. Batches: features {@code [N, C, H, W]}, labels {@code [N, C', H, W]}, both normalised with the
 * pipeline's normalisation. {@code PipelineConfig.output} is the input patch size; use
 * {@link AugmentConfig#flipsAndCrops()} to train on exact patches.
 *
 * <p>Every U-Net outputs at its input size, so its iterators need targets of the inputs' size: a folder whose
 * {@link ImageToImageFolderConfig#scaleFactor()} is above 1 opens (its pairs are validated at that scale) but its
 * iterators are refused, naming the fix.
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

    /**
     * @throws IllegalArgumentException when the folder's targets are {@code scaleFactor} (above 1) times their inputs:
     *                                  no U-Net outputs more pixels than it reads
     */
    @Override
    PairedFileSource source(List<SamplePair> pairs, PipelineConfig pipeline) {
        ImageToImageFolderConfig config = config();
        int scale = config.scaleFactor();
        if (scale != 1) {
            throw new IllegalArgumentException("ImageToImageFolderConfig.scaleFactor is " + scale + " but a U-Net"
                    + " outputs at its input size, so targets " + scale + " times their inputs (labels ["
                    + config.targetChannels() + ", " + scale + "*H, " + scale + "*W] for inputs ["
                    + pipeline.output().channels() + ", H, W]) cannot be trained on: upscale the inputs bicubically"
                    + " to their targets' size and use scaleFactor 1, or train with mdunet superres, which makes"
                    + " such inputs from the photographs (SuperResolutionDataset)");
        }
        return new ImageToImageSource(pairs, config.targetChannels(), config.significantBits(), pipeline);
    }
}
