package io.github.mdunet.core.testing;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A trivial segmentation task for the tests of every module: bright discs and rectangles on Gaussian noise, one-hot
 * masks (background, shape). In memory; unet-data's {@code SyntheticShapes} writes image folders for the apps.
 */
public final class BrightShapes {

    private BrightShapes() {
    }

    /** {@code count} images {@code [count, 1, size, size]} and one-hot labels {@code [count, 2, size, size]}. */
    public static DataSet generate(int count, int size, long seed) {
        Random random = new Random(seed);
        float[][][] images = new float[count][size][size];
        float[][][] masks = new float[count][size][size];
        for (int n = 0; n < count; n++) {
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    images[n][y][x] = (float) (random.nextGaussian() * 0.3);
                }
            }
            int shapes = 1 + random.nextInt(2);
            for (int s = 0; s < shapes; s++) {
                boolean disc = random.nextBoolean();
                int cy = random.nextInt(size);
                int cx = random.nextInt(size);
                int radius = size / 8 + random.nextInt(size / 6);
                for (int y = 0; y < size; y++) {
                    for (int x = 0; x < size; x++) {
                        int dy = y - cy;
                        int dx = x - cx;
                        boolean inside = disc ? dy * dy + dx * dx <= radius * radius
                                : Math.abs(dy) <= radius && Math.abs(dx) <= radius / 2;
                        if (inside && masks[n][y][x] == 0) {
                            masks[n][y][x] = 1;
                            images[n][y][x] += 1.0f;
                        }
                    }
                }
            }
        }
        INDArray features = Nd4j.create(images).reshape(count, 1, size, size).castTo(DataType.FLOAT);
        INDArray foreground = Nd4j.create(masks).reshape(count, 1, size, size).castTo(DataType.FLOAT);
        INDArray labels = Nd4j.concat(1, foreground.rsub(1.0), foreground);
        return new DataSet(features, labels);
    }

    /** Intersection over union of the foreground class, from softmax outputs and one-hot labels. */
    public static double foregroundIoU(INDArray predicted, INDArray labels) {
        INDArray predictedForeground = predicted.argMax(1);
        INDArray trueForeground = labels.argMax(1);
        double intersection = predictedForeground.mul(trueForeground).sumNumber().doubleValue();
        double union = predictedForeground.add(trueForeground).gt(0).castTo(DataType.FLOAT).sumNumber().doubleValue();
        return union == 0 ? 1.0 : intersection / union;
    }
}
