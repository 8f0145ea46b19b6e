package io.github.mdunet.data.pipeline;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.data.augment.JointAugmenter;
import io.github.mdunet.data.folder.PairSizes;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.PixelNormalizer;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Input/target image pairs of one size for super-resolution (bicubic-upscaled inputs), denoising or colourisation:
 * features {@code [C, H, W]}, targets {@code [C', H, W]}, as a U-Net outputs at its input size, both normalised with
 * the pipeline's normalisation (invert predictions with {@link PixelNormalizer#denormalize}). One geometry draw is
 * applied to both. A target of another size than its input is a {@link BadFileException}. Colour jitter is applied
 * to both with the same factors and the same contrast pivot (the input's mean grey), so both go through one
 * brightness and contrast map and the input-to-target mapping does not change; saturation is jittered only when input
 * and target have the same channel count (not for colourisation, 1 channel in and 3 out, where the grey input cannot
 * show it).
 */
public final class ImageToImageSource extends PairedFileSource {

    private final int targetChannels;

    /** @param significantBits the bits of a 16-bit image's samples that hold its value, inputs and targets alike */
    public ImageToImageSource(List<SamplePair> pairs, int targetChannels, int significantBits, PipelineConfig config) {
        super(pairs, significantBits, config);
        this.targetChannels = targetChannels;
    }

    @Override
    public ImageShape labelShape() {
        ImageShape out = config.output();
        return new ImageShape(targetChannels, out.height(), out.width());
    }

    @Override
    public void load(int index, SplittableRandom random, SampleSlot slot) {
        SamplePair pair = pair(index);
        ImageShape out = config.output();
        ImageShape targetShape = labelShape();
        DecodedImage input = readImage(pair.input(), out.channels());
        DecodedImage target = readImage(pair.target(), targetChannels);
        Optional<String> sizeProblem = PairSizes.targetProblem(target.width(), target.height(),
                pair.input().getFileName().toString(), input.width(), input.height(), 1);
        if (sizeProblem.isPresent()) {
            throw new BadFileException(pair.target(), sizeProblem.get());
        }
        JointAugmenter.Draw draw = augmenter.draw(random, input.height(), input.width(), out.height(), out.width());
        if (out.channels() != targetChannels) {
            // A grey input does not show saturation or hue: changing the target's would make it no function of the
            // input.
            draw = draw.withoutChroma();
        }
        float[] inputPixels = resample(input, draw.geometry(), out.height(), out.width());
        int inputPlane = out.height() * out.width();
        // One contrast pivot, the input's mean grey, for both: the same brightness and contrast map on each.
        float meanGrey = JointAugmenter.pivotFor(inputPixels, out.channels(), inputPlane, draw);
        jitterAndNormalize(inputPixels, out.channels(), inputPlane, draw, meanGrey, slot.features(),
                slot.featureOffset());
        float[] targetPixels = resample(target, draw.geometry(), targetShape.height(), targetShape.width());
        jitterAndNormalize(targetPixels, targetChannels, targetShape.height() * targetShape.width(), draw, meanGrey,
                slot.labels(), slot.labelOffset());
    }
}
