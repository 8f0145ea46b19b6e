package io.github.mdunet.core.predict;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Predicts an image of any size with a model built for a fixed tile size: overlapping tiles, each weighted by a
 * window that falls off towards the tile's edges (where a U-Net sees least context), blended into one map.
 * Images smaller than a tile are padded by edge replication and cropped back.
 *
 * <p>With {@code tilesInFlight > 1} that many tiles are predicted at once, each on its own thread, and blended in the
 * same order as one at a time: the model function must then be thread-safe (unet-parallel's {@code ParallelPredictor}
 * gives one that spreads the tiles over model copies on every core or device).
 *
 * <p>A U-Net's own: {@code unet.tiledPredictor(overlap)} (tiles of its input size, one at a time).
 *
 * <p>Tensor contract: {@link #predict} maps one image {@code [C, H, W]} to {@code [K, H, W]}, any H and W.
 */
public final class TiledPredictor {

    private final UnaryOperator<INDArray> model;
    private final int tileHeight;
    private final int tileWidth;
    private final int overlap;
    private final int tilesInFlight;

    /** One tile at a time, on the calling thread. */
    public TiledPredictor(UnaryOperator<INDArray> model, int tileHeight, int tileWidth, int overlap) {
        this(model, tileHeight, tileWidth, overlap, 1);
    }

    /**
     * @param model      maps a batch {@code [1, C, tileHeight, tileWidth]} to {@code [1, K, tileHeight, tileWidth]}
     * @param tileHeight the model's input height
     * @param tileWidth  the model's input width
     * @param overlap       pixels shared by neighbouring tiles, in [0, min(tile sides) / 2]
     * @param tilesInFlight tiles predicted at once, >= 1; above 1 {@code model} is called from as many threads
     */
    public TiledPredictor(UnaryOperator<INDArray> model, int tileHeight, int tileWidth, int overlap,
                          int tilesInFlight) {
        if (tileHeight < 1 || tileWidth < 1) {
            throw new IllegalArgumentException("tile size must be at least 1x1 but was " + tileHeight + "x"
                    + tileWidth);
        }
        if (overlap < 0 || overlap > Math.min(tileHeight, tileWidth) / 2) {
            throw new IllegalArgumentException("overlap must be in [0, " + Math.min(tileHeight, tileWidth) / 2
                    + "] for " + tileHeight + "x" + tileWidth + " tiles but was " + overlap);
        }
        this.model = model;
        this.tileHeight = tileHeight;
        this.tileWidth = tileWidth;
        if (tilesInFlight < 1) {
            throw new IllegalArgumentException("tilesInFlight must be >= 1 (1 = one tile at a time) but was "
                    + tilesInFlight);
        }
        this.overlap = overlap;
        this.tilesInFlight = tilesInFlight;
    }

    /**
     * Predicts one image {@code [C, H, W]}; returns {@code [K, H, W]} in the image's data type.
     *
     * <p>The tiles are blended in the model output's precision: FLOAT for a FLOAT (or HALF) model, DOUBLE for a
     * DOUBLE one. Besides the tiles, the blend takes one {@code [K, H', W']} map and one {@code [H', W']} weights map
     * ({@code H' x W'} the image padded to a tile); the result is the blended map itself when no padding was needed
     * and the data types agree, else one copy of it.
     */
    public INDArray predict(INDArray image) {
        if (image.rank() != 3) {
            throw new IllegalArgumentException("TiledPredictor.predict takes one image [C, H, W] but got shape "
                    + java.util.Arrays.toString(image.shape()));
        }
        int height = (int) image.size(1);
        int width = (int) image.size(2);
        INDArray padded = padToAtLeast(image, tileHeight, tileWidth);
        int paddedHeight = (int) padded.size(1);
        int paddedWidth = (int) padded.size(2);
        Blend blend = null;
        List<int[]> origins = new ArrayList<>();
        for (int top : starts(paddedHeight, tileHeight, overlap)) {
            for (int left : starts(paddedWidth, tileWidth, overlap)) {
                origins.add(new int[] {top, left});
            }
        }
        ExecutorService pool = tilesInFlight == 1 ? null : Executors.newFixedThreadPool(tilesInFlight, runnable -> {
            Thread thread = new Thread(runnable, "tiled-prediction");
            thread.setDaemon(true);
            return thread;
        });
        try {
            // Waves of tilesInFlight tiles, blended in the same order as one by one: the same sums, bounded memory.
            for (int first = 0; first < origins.size(); first += tilesInFlight) {
                List<int[]> wave = origins.subList(first, Math.min(origins.size(), first + tilesInFlight));
                List<INDArray> predictions = predictTiles(pool, padded, wave);
                for (int i = 0; i < wave.size(); i++) {
                    INDArray prediction = predictions.get(i);
                    if (blend == null) {
                        blend = new Blend(prediction, paddedHeight, paddedWidth);
                    }
                    blend.add(prediction, wave.get(i)[0], wave.get(i)[1]);
                }
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        INDArray blended = blend.normalized();
        if (paddedHeight == height && paddedWidth == width) {
            return blended.castTo(image.dataType());
        }
        INDArray crop = blended.get(NDArrayIndex.all(), NDArrayIndex.interval(0, height),
                NDArrayIndex.interval(0, width));
        return crop.dataType() == image.dataType() ? crop.dup('c') : crop.castTo(image.dataType());
    }

    /**
     * The running blend: {@code sum} {@code [K, H', W']} of each tile's prediction times the window, {@code weights}
     * {@code [H', W']} of the windows, in the order the tiles are added; their quotient is the blended map.
     */
    private final class Blend {
        private final INDArray window;
        private final INDArray sum;
        private final INDArray weights;
        /** One tile's weighted prediction {@code [K, tileHeight, tileWidth]}, reused from tile to tile. */
        private final INDArray weighted;

        Blend(INDArray firstPrediction, int paddedHeight, int paddedWidth) {
            DataType type = accumulatorType(firstPrediction.dataType());
            long classes = firstPrediction.size(0);
            window = window(tileHeight, tileWidth, overlap).castTo(type);
            sum = Nd4j.zeros(type, classes, paddedHeight, paddedWidth);
            weights = Nd4j.zeros(type, paddedHeight, paddedWidth);
            weighted = Nd4j.createUninitialized(type, classes, tileHeight, tileWidth);
        }

        void add(INDArray prediction, int top, int left) {
            INDArrayIndex rows = NDArrayIndex.interval(top, top + tileHeight);
            INDArrayIndex columns = NDArrayIndex.interval(left, left + tileWidth);
            Broadcast.mul(prediction.castTo(weighted.dataType()), window, weighted, 1, 2);
            sum.get(NDArrayIndex.all(), rows, columns).addi(weighted);
            weights.get(rows, columns).addi(window);
        }

        /** The sum divided by the weights, in place. */
        INDArray normalized() {
            return Broadcast.div(sum, weights, sum, 1, 2);
        }
    }

    /** The blend's data type for a model output's: DOUBLE stays DOUBLE, anything else is blended in FLOAT. */
    static DataType accumulatorType(DataType prediction) {
        return prediction == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
    }

    /** Each tile's prediction {@code [K, tileHeight, tileWidth]}, as the model gives it, in the order of origins. */
    private List<INDArray> predictTiles(ExecutorService pool, INDArray padded, List<int[]> origins) {
        List<INDArray> predictions = new ArrayList<>(origins.size());
        if (pool == null || origins.size() == 1) {
            for (int[] origin : origins) {
                predictions.add(predictTile(padded, origin));
            }
            return predictions;
        }
        try {
            List<Future<INDArray>> futures = new ArrayList<>(origins.size());
            for (int[] origin : origins) {
                futures.add(pool.submit(() -> predictTile(padded, origin)));
            }
            for (Future<INDArray> future : futures) {
                predictions.add(future.get());
            }
            return predictions;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while predicting tiles", e);
        }
    }

    private INDArray predictTile(INDArray padded, int[] origin) {
        int top = origin[0];
        int left = origin[1];
        INDArray tile = padded.get(NDArrayIndex.all(), NDArrayIndex.interval(top, top + tileHeight),
                NDArrayIndex.interval(left, left + tileWidth)).dup().reshape(1, padded.size(0), tileHeight, tileWidth);
        return model.apply(tile).get(NDArrayIndex.point(0));
    }

    /** Tile origins covering {@code size} with the given overlap; the last tile is aligned with the end. */
    static int[] starts(int size, int tile, int overlap) {
        if (size <= tile) {
            return new int[] {0};
        }
        int step = tile - overlap;
        int count = (int) Math.ceil((double) (size - tile) / step) + 1;
        int[] starts = new int[count];
        for (int i = 0; i < count; i++) {
            starts[i] = Math.min(i * step, size - tile);
        }
        return starts;
    }

    /** Weights rising linearly over {@code overlap} pixels at each edge (never 0), 1 inside. */
    static INDArray window(int height, int width, int overlap) {
        double[] rows = ramp(height, overlap);
        double[] columns = ramp(width, overlap);
        INDArray window = Nd4j.create(DataType.DOUBLE, height, width);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                window.putScalar(y, x, rows[y] * columns[x]);
            }
        }
        return window;
    }

    private static double[] ramp(int size, int overlap) {
        double[] ramp = new double[size];
        for (int i = 0; i < size; i++) {
            int distance = Math.min(i, size - 1 - i);
            ramp[i] = distance >= overlap ? 1.0 : (distance + 1.0) / (overlap + 1.0);
        }
        return ramp;
    }

    /**
     * {@code image} {@code [C, H, W]} padded at the bottom and right to at least {@code height x width} by edge
     * replication: each new pixel copies the nearest one inside, at {@code (min(y, H - 1), min(x, W - 1))}. A few
     * bulk copies (the image, then its last row and last column broadcast), not one per pixel.
     */
    static INDArray padToAtLeast(INDArray image, int height, int width) {
        long imageHeight = image.size(1);
        long imageWidth = image.size(2);
        if (imageHeight >= height && imageWidth >= width) {
            return image;
        }
        long channels = image.size(0);
        long newHeight = Math.max(height, imageHeight);
        long newWidth = Math.max(width, imageWidth);
        INDArray padded = Nd4j.create(image.dataType(), channels, newHeight, newWidth);
        INDArrayIndex all = NDArrayIndex.all();
        INDArrayIndex imageRows = NDArrayIndex.interval(0, imageHeight);
        INDArrayIndex imageColumns = NDArrayIndex.interval(0, imageWidth);
        padded.get(all, imageRows, imageColumns).assign(image);
        if (newHeight > imageHeight) {
            INDArray lastRow = image.get(all, NDArrayIndex.interval(imageHeight - 1, imageHeight), all);
            padded.get(all, NDArrayIndex.interval(imageHeight, newHeight), imageColumns)
                    .assign(lastRow.broadcast(channels, newHeight - imageHeight, imageWidth));
        }
        if (newWidth > imageWidth) {
            // The last column of the padded rows too, so the corner takes the image's last pixel.
            INDArray lastColumn = padded.get(all, all, NDArrayIndex.interval(imageWidth - 1, imageWidth));
            padded.get(all, all, NDArrayIndex.interval(imageWidth, newWidth))
                    .assign(lastColumn.broadcast(channels, newHeight, newWidth - imageWidth));
        }
        return padded;
    }
}
