package io.github.mdunet.parallel;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeMemoryErrors;
import io.github.mdunet.core.nativememory.Workload;
import io.github.mdunet.core.nativememory.Workload.Phase;
import io.github.mdunet.core.predict.TiledPredictor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A U-Net's prediction spread over {@code workers} model copies, for callers on several threads, such as a
 * {@link TiledPredictor} with tiles in flight. The copies are placed as DL4J's {@code ParallelInference} places them:
 * worker {@code i} on device {@code i % devices}, the first worker on the caller's device using the U-Net's graph, the
 * others copies rebuilt from its JSON configuration and parameters; each takes one request at a time (requests are not
 * merged into batches, so a tile's result does not depend on which tiles ran beside it). Unlike
 * {@code ParallelInference}, whose workers catch only exceptions and whose requests wait without a timeout, any
 * failure of a worker, an out-of-memory {@code Error} included, reaches the caller whose request it was. Thread-safe;
 * close it to stop the workers.
 *
 * <p>Tensor contract: {@link #predict} maps {@code [N, C, H, W]} to {@code [N, numClasses, H, W]}, as
 * {@link UNet#predict}, with the same values.
 */
public final class ParallelPredictor implements AutoCloseable {

    /** Copies read the U-Net's parameters one at a time, as DL4J's parallel workers do. */
    private static final Object COPYING = new Object();

    private final UNet unet;
    private final BlockingQueue<Request> requests;
    private final List<Thread> workers;
    private volatile boolean closed;

    /** Images to predict and where their prediction, or the failure, goes. */
    private record Request(INDArray images, CompletableFuture<INDArray> result) {
    }

    private ParallelPredictor(UNet unet, int workers) {
        this.unet = unet;
        this.requests = new LinkedBlockingQueue<>(Math.max(4, 2 * workers));
        this.workers = new ArrayList<>(workers);
    }

    /**
     * Starts {@code workers} workers, each with its model copy, and returns once every copy is made.
     *
     * @param workers model copies, >= 1
     * @throws io.github.mdunet.core.nativememory.NativeOutOfMemoryError when a copy does not fit in native memory
     * @throws IllegalStateException when a worker cannot make its copy; the workers started are stopped
     */
    public static ParallelPredictor start(UNet unet, int workers) {
        Checks.atLeast("workers", workers, 1);
        ParallelPredictor predictor = new ParallelPredictor(unet, workers);
        int devices = Nd4j.getAffinityManager().getNumberOfDevices();
        int callerDevice = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        boolean rootTaken = false;
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int device = i % devices;
            boolean usesRoot = !rootTaken && device == callerDevice;
            rootTaken |= usesRoot;
            CompletableFuture<Void> copied = new CompletableFuture<>();
            ready.add(copied);
            Thread worker = new Thread(() -> predictor.serve(device, usesRoot, copied),
                    "mdunet prediction worker " + i);
            worker.setDaemon(true);
            predictor.workers.add(worker);
            worker.start();
        }
        for (int i = 0; i < workers; i++) {
            try {
                ready.get(i).join();
            } catch (CompletionException e) {
                predictor.close();
                NativeMemoryErrors.throwIfOutOfNativeMemory(e.getCause(), new Workload(Phase.PREDICTION,
                        unet.config(), 1, unet.config().input()));
                throw new IllegalStateException("prediction worker " + i + " of " + workers + " could not copy the"
                        + " model: " + e.getCause() + "; try fewer --workers", e.getCause());
            }
        }
        return predictor;
    }

    /**
     * The head's output for a batch of images; callable from any number of threads at once.
     *
     * @throws IllegalArgumentException for images of a size the U-Net cannot take (as {@link UNet#predict}), before
     *                                  any worker sees them
     */
    public INDArray predict(INDArray images) {
        if (closed) {
            throw new IllegalStateException("ParallelPredictor is closed");
        }
        unet.requirePredictable("ParallelPredictor.predict", images);
        CompletableFuture<INDArray> result = new CompletableFuture<>();
        Request request = new Request(images, result);
        Nd4j.getExecutioner().commit(); // the images are complete before another thread reads them
        try {
            requests.put(request);
            if (closed) {
                failQueued(); // closed while this request was put: no worker takes it any more
            }
            return result.get();
        } catch (InterruptedException e) {
            requests.remove(request); // no worker spends time on a prediction nobody waits for
            result.cancel(false);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a prediction", e);
        } catch (ExecutionException e) {
            Throwable failure = e.getCause();
            NativeMemoryErrors.throwIfOutOfNativeMemory(failure, Workload.of(Phase.PREDICTION, unet.config(),
                    images));
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("prediction failed: " + failure, failure);
        }
    }

    /**
     * A worker: its copy on {@code device} (or the U-Net's graph), {@code copied} completed, then one request at a
     * time until closed. A worker whose copy failed completes {@code copied} with the failure and ends.
     */
    private void serve(int device, boolean usesRoot, CompletableFuture<Void> copied) {
        ComputationGraph model;
        try {
            Nd4j.getAffinityManager().unsafeSetDevice(device);
            model = usesRoot ? unet.graph() : copy(unet.graph());
        } catch (RuntimeException | Error e) {
            copied.completeExceptionally(e);
            return;
        }
        copied.complete(null);
        try {
            while (!closed) {
                Request request = requests.take();
                try {
                    INDArray output = model.outputSingle(false, request.images());
                    Nd4j.getExecutioner().commit(); // the output is complete before the caller's thread reads it
                    request.result().complete(output);
                } catch (RuntimeException | Error e) {
                    request.result().completeExceptionally(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed
        } finally {
            if (!usesRoot) {
                model.close();
            }
        }
    }

    /** A copy of {@code graph} from its JSON configuration and its parameters, as DL4J's parallel workers make one. */
    private static ComputationGraph copy(ComputationGraph graph) {
        ComputationGraph copy = new ComputationGraph(ComputationGraphConfiguration.fromJson(
                graph.getConfiguration().toJson()));
        try {
            copy.init();
            synchronized (COPYING) {
                copy.setParams(graph.params().unsafeDuplication(true));
                Nd4j.getExecutioner().commit();
            }
            return copy;
        } catch (RuntimeException | Error e) {
            try {
                copy.close(); // what init allocated before it failed
            } catch (RuntimeException closing) {
                e.addSuppressed(closing); // a copy that failed half-built may not close
            }
            throw e;
        }
    }

    /** Tiles of the U-Net's input size, {@code 2 x workers} of them in flight so that no worker waits. */
    public TiledPredictor tiled(int overlap) {
        return new TiledPredictor(this::predict, unet.config().input().height(), unet.config().input().width(),
                overlap, 2 * workers.size());
    }

    public int workers() {
        return workers.size();
    }

    /** Stops the workers; requests still queued fail. */
    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failQueued();
    }

    private void failQueued() {
        Request left;
        while ((left = requests.poll()) != null) {
            left.result().completeExceptionally(new IllegalStateException("ParallelPredictor is closed"));
        }
    }
}
