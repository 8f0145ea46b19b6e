package io.github.mdunet.data.pipeline;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.data.augment.Geometry;
import io.github.mdunet.data.augment.JointAugmenter;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Input/target image pairs for super-resolution, denoising or colourisation: features {@code [C, H, W]}, targets
 * {@code [C', r*H, r*W]} for the declared scale factor {@code r}, both normalised with the pipeline's
 * normalisation (invert predictions with {@link PixelNormalizer#denormalize}). One geometry draw is applied to
 * both, the target's at {@code r} times the resolution; colour jitter is applied to both with the same factors
 * so the input-to-target mapping does not change.
 */
public final class ImageToImageSource extends PairedFileSource {

    private final int scaleFactor;
    private final int targetChannels;

    public ImageToImageSource(List<SamplePair> pairs, int scaleFactor, int targetChannels, PipelineConfig config) {
        super(pairs, config);
        this.scaleFactor = scaleFactor;
        this.targetChannels = targetChannels;
    }

    @Override
    public ImageShape labelShape() {
        ImageShape out = config.output();
        return new ImageShape(targetChannels, out.height() * scaleFactor, out.width() * scaleFactor);
    }

    @Override
    public void load(int index, SplittableRandom random, float[] features, int featureOffset, float[] labels,
                     int labelOffset) {
        SamplePair pair = pair(index);
        ImageShape out = config.output();
        ImageShape targetShape = labelShape();
        DecodedImage input = ImageFiles.readImage(pair.input(), out.channels());
        DecodedImage target = ImageFiles.readImage(pair.target(), targetChannels);
        if (target.height() != input.height() * scaleFactor || target.width() != input.width() * scaleFactor) {
            throw new BadFileException(pair.target(), "target is " + target.width() + "x" + target.height()
                    + " (width x height) but its input " + pair.input().getFileName() + " is " + input.width() + "x"
                    + input.height() + "; expected " + input.width() * scaleFactor + "x" + input.height() * scaleFactor
                    + " (scale factor " + scaleFactor + ")");
        }
        JointAugmenter.Draw draw = augmenter.draw(random, input.height(), input.width(), out.height(), out.width());
        var interpolation = config.augment().imageInterpolation();
        float[] inputPixels = JointAugmenter.resampleImage(input.pixels(), input.channels(), input.height(),
                input.width(), draw.geometry(), out.height(), out.width(), interpolation);
        Geometry targetGeometry = draw.geometry().atScale(scaleFactor);
        float[] targetPixels = JointAugmenter.resampleImage(target.pixels(), target.channels(), target.height(),
                target.width(), targetGeometry, targetShape.height(), targetShape.width(), interpolation);
        int plane = out.height() * out.width();
        int targetPlane = targetShape.height() * targetShape.width();
        JointAugmenter.jitter(inputPixels, input.channels(), plane, draw);
        JointAugmenter.jitter(targetPixels, target.channels(), targetPlane, draw);
        normalizer.normalize(inputPixels, input.channels(), plane, features, featureOffset);
        normalizer.normalize(targetPixels, target.channels(), targetPlane, labels, labelOffset);
    }
}
