package io.github.mdunet.parallel;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryErrors;
import io.github.mdunet.core.nativememory.Workload;
import io.github.mdunet.core.nativememory.Workload.Phase;
import io.github.mdunet.core.predict.TiledPredictor;
import org.deeplearning4j.parallelism.ParallelInference;
import org.deeplearning4j.parallelism.inference.InferenceMode;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A U-Net's prediction spread over {@code workers} model copies with DL4J's {@link ParallelInference} (the first
 * worker uses the U-Net's graph, the others copies rebuilt from its JSON configuration and parameters), for callers
 * on several threads, such as a {@link TiledPredictor} with tiles in flight. Thread-safe; close it to stop the workers.
 *
 * <p>Tensor contract: {@link #predict} maps {@code [N, C, H, W]} to {@code [N, numClasses, H, W]}, as
 * {@link UNet#predict}, with the same values.
 */
public final class ParallelPredictor implements AutoCloseable {

    private final UNet unet;
    private final int workers;
    private final ParallelInference inference;

    private ParallelPredictor(UNet unet, int workers, ParallelInference inference) {
        this.unet = unet;
        this.workers = workers;
        this.inference = inference;
    }

    /**
     * Starts {@code workers} inference workers, each taking one request at a time (requests are not merged into
     * batches, so each tile's result does not depend on which tiles ran beside it).
     *
     * @param workers model copies, >= 1
     */
    public static ParallelPredictor start(UNet unet, int workers) {
        Checks.atLeast("workers", workers, 1);
        ParallelInference inference = new ParallelInference.Builder(unet.graph())
                .workers(workers)
                .inferenceMode(InferenceMode.SEQUENTIAL)
                .queueLimit(Math.max(4, 2 * workers))
                .build();
        return new ParallelPredictor(unet, workers, inference);
    }

    /** The head's output for a batch of images; callable from any number of threads at once. */
    public INDArray predict(INDArray images) {
        try {
            return inference.output(images);
        } catch (OutOfMemoryError | RuntimeException e) {
            NativeMemoryErrors.throwIfOutOfNativeMemory(e, Workload.of(Phase.PREDICTION, unet.config(), images));
            throw e;
        }
    }

    /** Tiles of the U-Net's input size, {@code 2 x workers} of them in flight so that no worker waits. */
    public TiledPredictor tiled(int overlap) {
        return new TiledPredictor(this::predict, unet.config().input().height(), unet.config().input().width(),
                overlap, 2 * workers);
    }

    public int workers() {
        return workers;
    }

    @Override
    public void close() {
        inference.shutdown();
    }
}
