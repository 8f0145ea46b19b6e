package io.github.mdunet.reference.torch.train;

import io.github.mdunet.reference.torch.npy.NpyArray;
import io.github.mdunet.reference.torch.spec.ImageShape;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The fixed batches of the step check (batches.npz): {@code step<k>.x} float [N, C, H, W], already normalised,
 * and {@code step<k>.y} class ids [N, H, W] (int32, int64, uint8, or whole-valued float; [N, 1, H, W] is accepted).
 */
public final class Batches {

    /** One checked batch. */
    public record Batch(long[] xShape, float[] x, long[] yShape, long[] y) {
    }

    private Batches() {
    }

    /**
     * Batch k (1-based) from the archive, checked against the network input and the class count.
     *
     * @throws IllegalArgumentException naming the key and what is wrong
     */
    public static Batch get(Map<String, NpyArray> archive, int step, ImageShape input, int classes) {
        NpyArray x = require(archive, "step" + step + ".x");
        NpyArray y = require(archive, "step" + step + ".y");
        long[] xShape = x.shape();
        if (xShape.length != 4 || xShape[1] != input.channels() || xShape[2] != input.height()
                || xShape[3] != input.width()) {
            throw new IllegalArgumentException("step" + step + ".x has shape " + Arrays.toString(xShape)
                    + " but the network input needs [N, " + input.channels() + ", " + input.height() + ", "
                    + input.width() + "]");
        }
        long[] yShape = y.shape();
        if (yShape.length == 4 && yShape[1] == 1) {
            yShape = new long[] {yShape[0], yShape[2], yShape[3]};
        }
        if (yShape.length != 3 || yShape[0] != xShape[0]) {
            throw new IllegalArgumentException("step" + step + ".y has shape " + Arrays.toString(y.shape())
                    + " but needs [N, H, W] with N = " + xShape[0]);
        }
        long[] labels = y.toLongs();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("step" + step + ".y holds class id " + labels[i] + " at flat index "
                        + i + " but the network has " + classes + " classes (0 to " + (classes - 1) + ")");
            }
        }
        return new Batch(xShape, x.toFloats(), yShape, labels);
    }

    private static NpyArray require(Map<String, NpyArray> archive, String key) {
        NpyArray array = archive.get(key);
        if (array == null) {
            List<String> keys = archive.keySet().stream().sorted().limit(12).toList();
            throw new IllegalArgumentException("batches file has no '" + key + "'; its keys include " + keys);
        }
        return array;
    }
}
