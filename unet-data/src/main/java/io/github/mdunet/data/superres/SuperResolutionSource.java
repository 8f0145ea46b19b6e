package io.github.mdunet.data.superres;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.DecodedImage;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.PixelNormalizer;
import io.github.mdunet.data.pipeline.SampleFiles;
import io.github.mdunet.data.pipeline.SampleSlot;
import io.github.mdunet.data.pipeline.SampleSource;
import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Super-resolution samples cut from photographs of any size: a patch of the photograph is the target, the patch
 * degraded ({@link Degradation}: area-downscaled, then bicubic-upscaled to the patch size) is the input.
 *
 * <p>Tensor contract: features and labels both {@code [C, H, W]} = {@code patch}, in {@code normalization} (invert
 * with {@link PixelNormalizer#denormalize}). H and W must be multiples of the scale factor, and every photograph at
 * least H x W.
 *
 * <p>Training ({@code randomCrops}): sample {@code i} is photograph {@code i / cropsPerImage}, cropped at a random
 * position, flipped left-right and top-bottom at random, and transposed at random when the patch is square (the 8
 * symmetries of the square), all drawn from the random source the iterator gives. Evaluation: one centre crop per
 * photograph, never flipped, the same every epoch. Decoded photographs are kept behind soft references, so the
 * garbage collector can drop them when memory runs short.
 */
public final class SuperResolutionSource implements SampleSource {

    private final List<Path> images;
    private final Degradation degradation;
    private final ImageShape patch;
    private final PixelNormalizer normalizer;
    private final boolean randomCrops;
    private final int cropsPerImage;
    private final int significantBits;
    private final transient ConcurrentHashMap<Integer, SoftReference<DecodedImage>> decoded =
            new ConcurrentHashMap<>();

    /**
     * @param images        the photographs
     * @param degradation   how inputs are made
     * @param patch         the patch shape: channels 1 or 3, sides multiples of the scale factor
     * @param normalization the pixel normalisation of features and labels
     * @param randomCrops   random crops and flips (training) or centre crops (evaluation)
     * @param cropsPerImage   samples per photograph and epoch, >= 1 (1 for evaluation)
     * @param significantBits the bits of a 16-bit photograph's samples that hold its value, 1 to 16
     *                        ({@link ImageFiles#readImage(Path, int, int)})
     */
    public SuperResolutionSource(List<Path> images, Degradation degradation, ImageShape patch,
            InputNormalization normalization, boolean randomCrops, int cropsPerImage, int significantBits) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("SuperResolutionSource needs at least one image but got none");
        }
        if (patch.height() % degradation.scale() != 0 || patch.width() % degradation.scale() != 0) {
            throw new IllegalArgumentException("the patch " + patch + " must have sides divisible by the scale factor "
                    + degradation.scale());
        }
        if (cropsPerImage < 1 || (!randomCrops && cropsPerImage != 1)) {
            throw new IllegalArgumentException("cropsPerImage must be >= 1 (and 1 for centre crops) but was "
                    + cropsPerImage);
        }
        Checks.significantBits("significantBits", significantBits);
        this.images = List.copyOf(images);
        this.degradation = degradation;
        this.patch = patch;
        this.normalizer = new PixelNormalizer(normalization);
        this.randomCrops = randomCrops;
        this.cropsPerImage = cropsPerImage;
        this.significantBits = significantBits;
    }

    @Override
    public int size() {
        return images.size() * cropsPerImage;
    }

    @Override
    public ImageShape featureShape() {
        return patch;
    }

    @Override
    public ImageShape labelShape() {
        return patch;
    }

    @Override
    public String describe(int index) {
        return images.get(index / cropsPerImage).toString();
    }

    /**
     * The photograph's file name and size: the same photographs in a moved folder, or under another spelling of its
     * path ({@code data/./photos}, relative or absolute), keep them; a photograph replaced under its name rarely does.
     */
    @Override
    public String identity(int index) {
        return SampleFiles.nameAndSize(images.get(index / cropsPerImage));
    }

    /**
     * The degradation that makes the inputs from the photographs, {@code "photographs (inputs: area-down x2, bicubic
     * up)"}: a run resumed at another scale trains on other inputs, so its data differs.
     */
    @Override
    public String targetEncoding() {
        return "photographs (inputs: " + degradation + ")";
    }

    @Override
    public String imageReading() {
        return SampleSource.sixteenBitReading(significantBits);
    }

    /** The photographs, in sample order. */
    public List<Path> images() {
        return images;
    }

    @Override
    public void load(int index, SplittableRandom random, SampleSlot slot) {
        int imageIndex = index / cropsPerImage;
        DecodedImage image = decode(imageIndex);
        int height = patch.height();
        int width = patch.width();
        boolean transpose = randomCrops && height == width && random.nextBoolean();
        if (image.height() < height || image.width() < width) {
            throw new BadFileException(images.get(imageIndex), "image of " + image.width() + "x" + image.height()
                    + " is smaller than the " + width + "x" + height + " patch (width x height)");
        }
        int top = randomCrops ? random.nextInt(image.height() - height + 1) : (image.height() - height) / 2;
        int left = randomCrops ? random.nextInt(image.width() - width + 1) : (image.width() - width) / 2;
        DecodedImage target = Resampling.crop(image, top, left, height, width);
        if (randomCrops) {
            target = flipped(target, random.nextBoolean(), random.nextBoolean(), transpose);
        }
        DecodedImage input = degradation.input(target);
        int plane = height * width;
        normalizer.normalize(input.pixels(), patch.channels(), plane, slot.features(), slot.featureOffset());
        normalizer.normalize(target.pixels(), patch.channels(), plane, slot.labels(), slot.labelOffset());
    }

    private DecodedImage decode(int imageIndex) {
        SoftReference<DecodedImage> kept = decoded.get(imageIndex);
        DecodedImage image = kept == null ? null : kept.get();
        if (image == null) {
            image = ImageFiles.readImage(images.get(imageIndex), patch.channels(), significantBits);
            decoded.put(imageIndex, new SoftReference<>(image));
        }
        return image;
    }

    /** One of the square's 8 symmetries (transpose only for square images). */
    static DecodedImage flipped(DecodedImage image, boolean flipX, boolean flipY, boolean transpose) {
        if (!flipX && !flipY && !transpose) {
            return image;
        }
        int height = image.height();
        int width = image.width();
        float[] out = new float[image.pixels().length];
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int sy = flipY ? height - 1 - y : y;
                    int sx = flipX ? width - 1 - x : x;
                    if (transpose) {
                        int swap = sy;
                        sy = sx;
                        sx = swap;
                    }
                    out[(c * height + y) * width + x] = image.at(c, sy, sx);
                }
            }
        }
        return image.derived(image.channels(), height, width, out);
    }
}
