package io.github.mdunet.data.folder;

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
        return Optional.of(mismatch("mask", maskWidth, maskHeight, "image", imageName, imageWidth, imageHeight,
                "the same size"));
    }

    /** Empty when the target is {@code scaleFactor} times its input on each side; else the problem. */
    public static Optional<String> targetProblem(int targetWidth, int targetHeight, String inputName, int inputWidth,
                                                 int inputHeight, int scaleFactor) {
        int expectedWidth = inputWidth * scaleFactor;
        int expectedHeight = inputHeight * scaleFactor;
        if (targetWidth == expectedWidth && targetHeight == expectedHeight) {
            return Optional.empty();
        }
        return Optional.of(mismatch("target", targetWidth, targetHeight, "input", inputName, inputWidth, inputHeight,
                expectedWidth + "x" + expectedHeight + " (scale factor " + scaleFactor + ")"));
    }

    private static String mismatch(String target, int targetWidth, int targetHeight, String input, String inputName,
                                   int inputWidth, int inputHeight, String expected) {
        return target + " is " + targetWidth + "x" + targetHeight + " (width x height) but its " + input + " "
                + inputName + " is " + inputWidth + "x" + inputHeight + "; expected " + expected;
    }
}
