package io.github.mdunet.data.folder;

import java.nio.file.Path;

/**
 * An input file and its target found by a shared stem: an image and its mask, or an image-to-image input and target.
 *
 * @param stem   the image's file name without extension
 * @param input  the image (or image-to-image input)
 * @param target the mask (or image-to-image target)
 */
public record SamplePair(String stem, Path input, Path target) {
}
