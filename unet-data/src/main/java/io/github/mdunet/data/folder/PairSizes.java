package io.github.mdunet.data.folder;

import io.github.mdunet.data.image.ExifOrientation;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The size a pair's target must have for its input, checked the same way when a folder is validated and when a
 * sample is loaded: a mask as large as its image, an image-to-image target {@code scaleFactor} times its input.
 */
public final class PairSizes {

    private PairSizes() {
    }

    /** Empty when the mask is as large as its image; else the problem, naming the image {@code imageName}. */
    public static Optional<String> maskProblem(int maskWidth, int maskHeight, String imageName, int imageWidth,
                                               int imageHeight) {
        if (maskWidth == imageWidth && maskHeight == imageHeight) {
            return Optional.empty();
        }
        return Optional.of(mismatch("mask", maskWidth, maskHeight, "image", imageName, imageWidth + "x" + imageHeight,
                "the same size"));
    }

    /**
     * As {@link #maskProblem(int, int, String, int, int)} for the image file {@code image}, whose size is the one
     * shown (after its EXIF orientation). When the sizes differ and the image's orientation swaps its sides, the
     * message says so and gives the stored size; when the mask has the stored size (drawn on the stored pixels by a
     * tool that ignores the tag), it names both fixes: rotate the mask, or strip the image's orientation tag. The
     * orientation is read only when the sizes differ.
     */
    public static Optional<String> maskProblem(int maskWidth, int maskHeight, Path image, String imageName,
                                               int imageWidth, int imageHeight) {
        Optional<String> problem = maskProblem(maskWidth, maskHeight, imageName, imageWidth, imageHeight);
        if (problem.isEmpty()) {
            return problem;
        }
        ExifOrientation orientation = ExifOrientation.read(image);
        if (!orientation.swapsSides()) {
            return problem;
        }
        String shown = imageWidth + "x" + imageHeight + " (after its EXIF orientation " + orientation.tagValue() + ", "
                + orientation.description() + "; stored " + imageHeight + "x" + imageWidth + ")";
        String expected = "the same size";
        if (maskWidth == imageHeight && maskHeight == imageWidth) {
            expected += ": the mask fits the stored pixels, so rotate the mask as the tag says ("
                    + orientation.description() + "), or strip the image's orientation tag (e.g. exiftool"
                    + " -Orientation= " + imageName + ") so that it is read as stored";
        }
        return Optional.of(mismatch("mask", maskWidth, maskHeight, "image", imageName, shown, expected));
    }

    /** Empty when the target is {@code scaleFactor} times its input on each side; else the problem. */
    public static Optional<String> targetProblem(int targetWidth, int targetHeight, String inputName, int inputWidth,
                                                 int inputHeight, int scaleFactor) {
        int expectedWidth = inputWidth * scaleFactor;
        int expectedHeight = inputHeight * scaleFactor;
        if (targetWidth == expectedWidth && targetHeight == expectedHeight) {
            return Optional.empty();
        }
        return Optional.of(mismatch("target", targetWidth, targetHeight, "input", inputName,
                inputWidth + "x" + inputHeight,
                expectedWidth + "x" + expectedHeight + " (scale factor " + scaleFactor + ")"));
    }

    private static String mismatch(String target, int targetWidth, int targetHeight, String input, String inputName,
                                   String inputSize, String expected) {
        return target + " is " + targetWidth + "x" + targetHeight + " (width x height) but its " + input + " "
                + inputName + " is " + inputSize + "; expected " + expected;
    }
}
