package io.github.mdunet.data.stats;

import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.image.MaskEncoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * How often each class occurs in a set of label masks, ignored pixels left out, and the class weights of median
 * frequency balancing (Eigen and Fergus 2015, as SegNet weighs its cross-entropy) that follow from it.
 *
 * @param pixels      for each class, its pixels in all masks
 * @param imagePixels for each class, the counted pixels of the masks it occurs in (its frequency's denominator)
 */
public record ClassFrequencies(long[] pixels, long[] imagePixels) {

    public ClassFrequencies {
        if (pixels.length == 0 || pixels.length != imagePixels.length) {
            throw new IllegalArgumentException("ClassFrequencies needs one count per class in both arrays but had "
                    + pixels.length + " and " + imagePixels.length);
        }
        pixels = pixels.clone();
        imagePixels = imagePixels.clone();
    }

    /**
     * Counts the classes of the masks of {@code pairs}, read as {@link ImageFiles#readMask} reads them.
     *
     * @throws io.github.mdunet.data.image.BadFileException naming a mask that cannot be read or holds a value the
     *                                                      encoding does not map
     */
    public static ClassFrequencies count(List<SamplePair> pairs, MaskEncoding encoding, int numClasses) {
        List<MaskClassCounts> masks = new ArrayList<>(pairs.size());
        for (SamplePair pair : pairs) {
            masks.add(MaskClassCounts.of(ImageFiles.readMask(pair.target(), encoding, numClasses), numClasses));
        }
        return of(masks, numClasses);
    }

    /**
     * The frequencies of masks counted before (the validation pass counts every mask it reads: a dataset's
     * {@code trainingClassFrequencies()}), without reading them again.
     *
     * @throws IllegalArgumentException when a mask was counted for another number of classes
     */
    public static ClassFrequencies of(Collection<MaskClassCounts> masks, int numClasses) {
        long[] pixels = new long[numClasses];
        long[] imagePixels = new long[numClasses];
        for (MaskClassCounts mask : masks) {
            long[] here = mask.pixels();
            if (here.length != numClasses) {
                throw new IllegalArgumentException("a mask counted for " + here.length + " classes cannot be summed"
                        + " with numClasses " + numClasses);
            }
            long counted = mask.counted();
            for (int k = 0; k < numClasses; k++) {
                pixels[k] += here[k];
                if (here[k] > 0) {
                    imagePixels[k] += counted;
                }
            }
        }
        return new ClassFrequencies(pixels, imagePixels);
    }

    /** The classes of no pixel in the masks counted, ascending: a model never sees them, its IoU of them is 0. */
    public List<Integer> absentClasses() {
        List<Integer> absent = new ArrayList<>();
        for (int k = 0; k < pixels.length; k++) {
            if (pixels[k] == 0) {
                absent.add(k);
            }
        }
        return absent;
    }

    /** The number of classes counted. */
    public int numClasses() {
        return pixels.length;
    }

    /**
     * Median frequency balancing: class k's frequency is its pixels over the pixels of the masks it occurs in, and
     * its weight the median of the frequencies of the classes that occur over its own, so that rare classes weigh
     * more and a class of median frequency weighs 1. A class that occurs in no mask gets 0: it has no pixel to weigh.
     *
     * @throws IllegalStateException when no class occurs (no mask, or every pixel ignored)
     */
    public double[] medianFrequencyWeights() {
        double[] frequencies = new double[numClasses()];
        double[] present = new double[numClasses()];
        int presentCount = 0;
        for (int k = 0; k < numClasses(); k++) {
            if (pixels[k] > 0) {
                frequencies[k] = (double) pixels[k] / imagePixels[k];
                present[presentCount++] = frequencies[k];
            }
        }
        if (presentCount == 0) {
            throw new IllegalStateException("no class occurs in the masks counted (none, or every pixel ignored):"
                    + " there is nothing to weigh classes by");
        }
        double[] sorted = Arrays.copyOf(present, presentCount);
        Arrays.sort(sorted);
        double median = presentCount % 2 == 1 ? sorted[presentCount / 2]
                : (sorted[presentCount / 2 - 1] + sorted[presentCount / 2]) / 2;
        double[] weights = new double[numClasses()];
        for (int k = 0; k < numClasses(); k++) {
            weights[k] = pixels[k] > 0 ? median / frequencies[k] : 0;
        }
        return weights;
    }
}
