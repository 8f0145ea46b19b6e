package io.github.mdunet.data.folder;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.image.SampleDepth;
import java.nio.file.Path;
import java.util.List;

/**
 * An image/mask segmentation dataset on disk: {@code images/<stem>.png|jpg|jpeg|bmp|tif|tiff} paired with the one
 * file {@code masks/<stem><suffix>.png} (or {@code .bmp}, {@code .tif}, {@code .tiff}; a {@code .jpg}/{@code .jpeg}
 * mask is found only to be refused as lossy) for any of {@code maskSuffixes}. Exactly one must exist: none, or two
 * (e.g. {@code cat.png} and {@code cat_mask.png}), is an error naming the files. Names are matched exactly first,
 * then ignoring case when only one file matches that way and no other image has it by its exact name or also only
 * ignoring case ({@link FolderScanner}).
 *
 * @param images          folder of images (not recursive)
 * @param masks           folder of masks (may be the same folder as {@code images} when suffixes tell them apart)
 * @param maskSuffixes    suffixes looked for after the image stem, e.g. {@code ""} and {@code "_mask"}
 * @param encoding        how mask pixels become class ids
 * @param numClasses      number of class ids, 0..numClasses-1 (2 for binary masks, also with a sigmoid head)
 * @param imageChannels   3 (RGB; grey images replicated) or 1 (grey; colour images converted)
 * @param split           how to divide training and validation samples
 * @param significantBits the bits of a 16-bit image's samples that hold its value: 16 (the default) reads 0-65535
 *                        as 0-255, 12 reads the 0-4095 of a 12-bit camera so ({@code ImageFiles.readImage}); 8-bit
 *                        images are read as they are, and masks hold class ids whatever their depth
 */
public record SegmentationFolderConfig(Path images, Path masks, List<String> maskSuffixes, MaskEncoding encoding,
                                       int numClasses, int imageChannels, Split split, int significantBits) {

    /** The images folder's name under a dataset root, as {@link #of} reads it. */
    public static final String IMAGES = "images";
    /** The masks folder's name under a dataset root, as {@link #of} reads it. */
    public static final String MASKS = "masks";

    /** The suffixes tried when none are given: the same stem, then {@code _mask}. */
    public static final List<String> DEFAULT_MASK_SUFFIXES = List.of("", "_mask");

    public SegmentationFolderConfig {
        if (images == null || masks == null) {
            throw new IllegalArgumentException("SegmentationFolderConfig needs images and masks folders but was images="
                    + images + ", masks=" + masks);
        }
        maskSuffixes = List.copyOf(maskSuffixes);
        if (maskSuffixes.isEmpty()) {
            throw new IllegalArgumentException("SegmentationFolderConfig.maskSuffixes needs at least one suffix, e.g. "
                    + DEFAULT_MASK_SUFFIXES);
        }
        if (FolderScanner.samePath(images, masks) && maskSuffixes.contains("")) {
            throw new IllegalArgumentException("SegmentationFolderConfig.maskSuffixes must not contain \"\" when images"
                    + " and masks share the folder " + images.toAbsolutePath().normalize() + " (images=" + images
                    + ", masks=" + masks + "; every image would be its own mask); was " + maskSuffixes);
        }
        if (encoding == null) {
            throw new IllegalArgumentException("SegmentationFolderConfig.encoding must be set,"
                    + " e.g. new MaskEncoding.ClassIds()");
        }
        Checks.atLeast("SegmentationFolderConfig.numClasses", numClasses, 1);
        if (imageChannels != 1 && imageChannels != 3) {
            throw new IllegalArgumentException("SegmentationFolderConfig.imageChannels must be 1 or 3 but was "
                    + imageChannels);
        }
        if (split == null) {
            throw new IllegalArgumentException("SegmentationFolderConfig.split must be set"
                    + " (new Split.None() for none)");
        }
        Checks.significantBits("SegmentationFolderConfig.significantBits", significantBits);
        int maxId = encoding.largestMappedId();
        if (maxId >= numClasses) {
            throw new IllegalArgumentException("SegmentationFolderConfig.encoding maps to class id " + maxId
                    + " but numClasses is " + numClasses + " (ids 0.." + (numClasses - 1) + "): raise numClasses to "
                    + (maxId + 1) + " or fix " + encoding);
        }
    }

    /**
     * {@code root/images} and {@code root/masks}, masks as class-id PNGs with the default suffixes, RGB images,
     * no split. This is the layout {@code SyntheticShapes} writes.
     */
    public static SegmentationFolderConfig of(Path root, int numClasses) {
        return new SegmentationFolderConfig(root.resolve(IMAGES), root.resolve(MASKS), DEFAULT_MASK_SUFFIXES,
                new MaskEncoding.ClassIds(), numClasses, 3, new Split.None(), SampleDepth.SIXTEEN_BIT.bits());
    }

    /** Validation on {@code root/images} and {@code root/masks}, the layout {@link #of} reads. */
    public static Split.ByFolder validationFolder(Path root) {
        return new Split.ByFolder(root.resolve(IMAGES), root.resolve(MASKS));
    }

    public SegmentationFolderConfig withEncoding(MaskEncoding value) {
        return new SegmentationFolderConfig(images, masks, maskSuffixes, value, numClasses, imageChannels, split,
                significantBits);
    }

    public SegmentationFolderConfig withMaskSuffixes(List<String> value) {
        return new SegmentationFolderConfig(images, masks, value, encoding, numClasses, imageChannels, split,
                significantBits);
    }

    public SegmentationFolderConfig withSplit(Split value) {
        return new SegmentationFolderConfig(images, masks, maskSuffixes, encoding, numClasses, imageChannels, value,
                significantBits);
    }

    public SegmentationFolderConfig withImageChannels(int value) {
        return new SegmentationFolderConfig(images, masks, maskSuffixes, encoding, numClasses, value, split,
                significantBits);
    }

    /** 16-bit images read as values of {@code value} bits (12: 0-4095 is 0-255); see {@link #significantBits()}. */
    public SegmentationFolderConfig withSignificantBits(int value) {
        return new SegmentationFolderConfig(images, masks, maskSuffixes, encoding, numClasses, imageChannels, split,
                value);
    }
}
