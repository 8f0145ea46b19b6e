package io.github.mdunet.data.pipeline;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.data.augment.JointAugmenter;
import io.github.mdunet.data.augment.SourceMap;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import java.nio.file.Path;
import java.util.List;

/**
 * What the two folder sources share: the pairs of files, how their 16-bit images are read (their significant bits),
 * the pipeline's output shape (the features), one {@link JointAugmenter} and {@link PixelNormalizer}, and how a sample
 * is named. A subclass says what the target
 * file becomes ({@link #labelShape()}, {@link #load}).
 */
public abstract sealed class PairedFileSource implements SampleSource permits SegmentationSource, ImageToImageSource {

    private final List<SamplePair> pairs;
    final PipelineConfig config;
    final JointAugmenter augmenter;
    final PixelNormalizer normalizer;
    private final int significantBits;

    PairedFileSource(List<SamplePair> pairs, int significantBits, PipelineConfig config) {
        Checks.significantBits("significantBits", significantBits);
        this.pairs = List.copyOf(pairs);
        this.significantBits = significantBits;
        this.config = config;
        this.augmenter = new JointAugmenter(config.augment());
        this.normalizer = new PixelNormalizer(config.normalization());
    }

    final SamplePair pair(int index) {
        return pairs.get(index);
    }

    /** {@code file} decoded to {@code channels} channels, a 16-bit file read at this source's significant bits. */
    final DecodedImage readImage(Path file, int channels) {
        return ImageFiles.readImage(file, channels, significantBits);
    }

    /** {@code "16-bit images as 12-bit values"} when they are not read as 16-bit ones; empty when they are. */
    @Override
    public final String imageReading() {
        return SampleSource.sixteenBitReading(significantBits);
    }

    /**
     * {@code image} resampled through {@code geometry} to {@code height x width} (the pipeline's image
     * interpolation), colour-jittered with {@code draw}'s factors around its own mean grey and normalised into
     * {@code destination} from {@code offset}: {@code [C, height, width]}.
     */
    final void augmentImage(DecodedImage image, SourceMap geometry, int height, int width, JointAugmenter.Draw draw,
                            float[] destination, int offset) {
        float[] pixels = resample(image, geometry, height, width);
        jitterAndNormalize(pixels, image.channels(), height * width, draw,
                JointAugmenter.pivotFor(pixels, image.channels(), height * width, draw), destination, offset);
    }

    /** {@code image} resampled through {@code geometry} to {@code height x width}, raw 0-255, planar. */
    final float[] resample(DecodedImage image, SourceMap geometry, int height, int width) {
        return JointAugmenter.resampleImage(image.pixels(), image.channels(), image.height(), image.width(),
                geometry, height, width, config.augment().imageInterpolation());
    }

    /**
     * Resampled {@code pixels} colour-jittered in place with {@code draw}'s factors, the contrast pivoting around
     * {@code meanGrey} ({@link JointAugmenter#jitter(float[], int, int, JointAugmenter.Draw, float)}), then
     * normalised into {@code destination} from {@code offset}.
     */
    final void jitterAndNormalize(float[] pixels, int channels, int plane, JointAugmenter.Draw draw, float meanGrey,
                                  float[] destination, int offset) {
        JointAugmenter.jitter(pixels, channels, plane, draw, meanGrey);
        normalizer.normalize(pixels, channels, plane, destination, offset);
    }

    @Override
    public final int size() {
        return pairs.size();
    }

    @Override
    public final ImageShape featureShape() {
        return config.output();
    }

    @Override
    public final String describe(int index) {
        SamplePair pair = pairs.get(index);
        return pair.input() + " + " + pair.target();
    }

    /** The file names and sizes of both files: a moved folder keeps them, a replaced file rarely does. */
    @Override
    public final String identity(int index) {
        SamplePair pair = pairs.get(index);
        return SampleFiles.nameAndSize(pair.input()) + " + " + SampleFiles.nameAndSize(pair.target());
    }
}
