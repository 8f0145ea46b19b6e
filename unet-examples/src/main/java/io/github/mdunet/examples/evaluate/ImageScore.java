package io.github.mdunet.examples.evaluate;

import io.github.mdunet.data.folder.SamplePair;

/**
 * One labelled image's scores.
 *
 * @param sample        the image and its mask
 * @param meanIoU       mean IoU over the classes in its mask or its prediction
 * @param pixelAccuracy its correct pixels / its pixels
 */
public record ImageScore(SamplePair sample, double meanIoU, double pixelAccuracy) {
}
