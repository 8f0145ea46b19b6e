package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Picks a convolution's backward path by timing, as PyTorch's {@code cudnn.benchmark} picks cuDNN's algorithms: the
 * first backward pass of each shape (input, weights, geometry, data type, frozen or not) with more than one of
 * {@link ConvBackprop#candidates} runs every candidate in turn, each writing the gradients, and keeps the fastest for
 * that shape in this JVM. A shape with one candidate (every small convolution, every one off the CPU backend) never
 * pays for a measurement. The paths agree up to float rounding, so a run may round differently from one taking the
 * other path.
 */
final class ConvBackpropChoice {

    /** The choices of this JVM's direct layers. */
    static final ConvBackpropChoice SHARED = new ConvBackpropChoice(System::nanoTime);

    private final LongSupplier clock;
    private final Map<String, ConvBackprop> chosen = new ConcurrentHashMap<>();

    ConvBackpropChoice(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Writes {@code dL/dx}, and {@code dL/dW} and {@code dL/db} unless the path is {@link ConvBackprop#INPUT_ONLY}
     * ({@code biasGradient} null when there is no bias), by the path chosen for this shape, choosing it first if it has
     * not been.
     *
     * @return the path that wrote the gradients last
     */
    ConvBackprop run(INDArray input, INDArray weights, INDArray bias, INDArray outputGradient, ConvGeometry geometry,
                     INDArray inputGradient, INDArray weightGradient, INDArray biasGradient, boolean frozen,
                     LayerWorkspaceMgr workspaceMgr) {
        List<ConvBackprop> candidates = ConvBackprop.candidates(geometry, weights.length(), weights.dataType(), frozen,
                Nd4j.getEnvironment().isCPU());
        String key = key(input, weights, geometry, frozen);
        ConvBackprop path = candidates.size() == 1 ? candidates.get(0) : chosen.get(key);
        if (path != null) {
            path.run(input, weights, bias, outputGradient, geometry, inputGradient, weightGradient, biasGradient,
                    workspaceMgr);
            return path;
        }
        ConvBackprop fastest = null;
        long fastestNanos = Long.MAX_VALUE;
        for (ConvBackprop candidate : candidates) {
            long start = clock.getAsLong();
            candidate.run(input, weights, bias, outputGradient, geometry, inputGradient, weightGradient, biasGradient,
                    workspaceMgr);
            long nanos = clock.getAsLong() - start;
            if (nanos < fastestNanos) {
                fastest = candidate;
                fastestNanos = nanos;
            }
        }
        chosen.putIfAbsent(key, fastest);
        return candidates.get(candidates.size() - 1);
    }

    /** The path chosen for a shape, if it has been timed. */
    Optional<ConvBackprop> chosen(INDArray input, INDArray weights, ConvGeometry geometry, boolean frozen) {
        return Optional.ofNullable(chosen.get(key(input, weights, geometry, frozen)));
    }

    private static String key(INDArray input, INDArray weights, ConvGeometry geometry, boolean frozen) {
        return Arrays.toString(input.shape()) + Arrays.toString(weights.shape()) + Arrays.toString(geometry.arguments())
                + weights.dataType() + (frozen ? " frozen" : "");
    }
}
