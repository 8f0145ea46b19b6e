package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a direct layer's convolution picks its {@link ConvForward} and {@link ConvBackprop} ways: {@link Timed} per
 * shape ({@link #SHARED}, every layer's by default; one per {@link ConvWorkspace} limit), or {@link Always} the given
 * ones ({@link #STOCK} under {@link ConvWays#STOCK}; tests, to check each way through a layer).
 * The ways agree up to float rounding, so a run may round differently from one that took another way.
 */
sealed interface ConvChoice permits ConvChoice.Timed, ConvChoice.Always {

    /** The timed choices of this JVM's direct layers, with no working-memory limit. */
    ConvChoice SHARED = Timed.shared(ConvWorkspace.UNLIMITED);
    /** libnd4j's {@code conv2d} and {@code conv2d_bp}, always. */
    ConvChoice STOCK = new Always(ConvForward.CONV2D, ConvBackprop.COMBINED);

    /**
     * The choice of {@code ways} under {@code workspace}: this JVM's timed choices under that limit ({@link #SHARED}
     * when unlimited) for {@link ConvWays#TIMED}; {@link #STOCK} for the other, which times nothing and so takes no
     * limit.
     *
     * @throws IllegalArgumentException for {@link ConvWays#STOCK} with a limit, naming both properties
     */
    static ConvChoice of(ConvWays ways, ConvWorkspace workspace) {
        return switch (ways) {
            case TIMED -> Timed.shared(workspace);
            case STOCK -> {
                if (workspace.limited()) {
                    throw new IllegalArgumentException("-D" + ConvWorkspace.PROPERTY + " (a limit of " + workspace
                            + ") limits the timed convolution ways but -D" + ConvWays.PROPERTY + "=stock times none;"
                            + " unset one of them");
                }
                yield STOCK;
            }
        };
    }

    /**
     * Writes {@code convolution}'s output into {@code output} (C order), with {@code scratch} for working memory;
     * returns the way that wrote it.
     */
    ConvForward forward(Convolution convolution, INDArray output, ConvScratch scratch);

    /**
     * Writes {@code dL/dx}, and unless {@code frozen} {@code dL/dW} and {@code dL/db}, given {@code dL/dy}; a frozen
     * convolution's weight and bias gradients are left as the ways run leave them. Returns the way that wrote them.
     */
    ConvBackprop backward(Convolution convolution, INDArray outputGradient, ConvGradients gradients, boolean frozen,
                          ConvScratch scratch);

    /**
     * What identifies a timed convolution: the input's and weights' shapes (the batch size included), the geometry's
     * arguments, the data type, whether it has a bias, whether its input is C-order with no gaps (the SGEMM ways copy
     * one that is not), and for a backward pass whether the convolution is frozen.
     */
    record TimingKey(List<Long> input, List<Long> weights, List<Integer> arguments, DataType dataType, boolean bias,
                     boolean contiguousInput, boolean frozen) {

        static TimingKey of(Convolution convolution, boolean frozen) {
            return new TimingKey(Arrays.stream(convolution.input().shape()).boxed().toList(),
                    Arrays.stream(convolution.weights().shape()).boxed().toList(),
                    Arrays.stream(convolution.geometry().arguments()).boxed().toList(), convolution.dataType(),
                    convolution.bias() != null, ConvScratch.isContiguous(convolution.input()), frozen);
        }
    }

    /**
     * The first pass of each shape with more than one candidate ({@link ConvForward#candidates},
     * {@link ConvBackprop#candidates}) times them ({@link WayTimer}) and keeps the fastest for the shape, within the
     * {@link ConvWorkspace} limit when there is one; a shape with one candidate (without a limit every small
     * convolution; every one off the CPU backend) never pays for a measurement.
     */
    final class Timed implements ConvChoice {

        private static final Map<ConvWorkspace, Timed> SHARED_BY_LIMIT = new ConcurrentHashMap<>();

        private final ConvWorkspace workspace;
        private final WayTimer<TimingKey, ConvForward> forwards;
        private final WayTimer<TimingKey, ConvBackprop> backwards;

        /** Measured by {@code meter}, within {@code workspace}. */
        Timed(WayMeter meter, ConvWorkspace workspace) {
            this.workspace = workspace;
            this.forwards = new WayTimer<>(ConvForward.class, meter, workspace.bytes());
            this.backwards = new WayTimer<>(ConvBackprop.class, meter, workspace.bytes());
        }

        /**
         * This JVM's timed choices under {@code workspace}, on {@link System#nanoTime()} and, under a limit, the
         * resident memory ({@link WayMeter#clockAndResidentMemory}).
         */
        static Timed shared(ConvWorkspace workspace) {
            return SHARED_BY_LIMIT.computeIfAbsent(workspace, limit -> new Timed(limit.limited()
                    ? WayMeter.clockAndResidentMemory(System::nanoTime) : WayMeter.clock(System::nanoTime), limit));
        }

        @Override
        public ConvForward forward(Convolution convolution, INDArray output, ConvScratch scratch) {
            boolean perImage = ConvForward.timesPerImage(convolution, workspace);
            return forwards.run(() -> TimingKey.of(convolution, false),
                    ConvForward.candidates(convolution.geometry(), convolution.weightCount(), convolution.dataType(),
                            Nd4j.getEnvironment().isCPU(), workspace, perImage),
                    way -> way.run(convolution, output, scratch));
        }

        @Override
        public ConvBackprop backward(Convolution convolution, INDArray outputGradient, ConvGradients gradients,
                                     boolean frozen, ConvScratch scratch) {
            boolean perImage = ConvForward.timesPerImage(convolution, workspace);
            return backwards.run(() -> TimingKey.of(convolution, frozen),
                    ConvBackprop.candidates(convolution.geometry(), convolution.weightCount(), convolution.dataType(),
                            Nd4j.getEnvironment().isCPU(), workspace, perImage),
                    way -> way.run(convolution, outputGradient, gradients, !frozen, scratch));
        }

        /** The forward way chosen for {@code convolution}'s shape, once timed. */
        Optional<ConvForward> chosenForward(Convolution convolution) {
            return forwards.chosen(TimingKey.of(convolution, false));
        }

        /** The backward way chosen for {@code convolution}'s shape, frozen or not, once timed. */
        Optional<ConvBackprop> chosenBackward(Convolution convolution, boolean frozen) {
            return backwards.chosen(TimingKey.of(convolution, frozen));
        }
    }

    /**
     * Always {@code forwardWay} and {@code backwardWay}, refusing a convolution either does not apply to with an
     * IllegalStateException naming the way and the shape.
     */
    record Always(ConvForward forwardWay, ConvBackprop backwardWay) implements ConvChoice {

        @Override
        public ConvForward forward(Convolution convolution, INDArray output, ConvScratch scratch) {
            if (!forwardWay.appliesTo(convolution.geometry(), convolution.dataType())) {
                throw notApplicable(forwardWay, convolution);
            }
            forwardWay.run(convolution, output, scratch);
            return forwardWay;
        }

        @Override
        public ConvBackprop backward(Convolution convolution, INDArray outputGradient, ConvGradients gradients,
                                     boolean frozen, ConvScratch scratch) {
            if (!backwardWay.appliesTo(convolution.geometry(), convolution.dataType())) {
                throw notApplicable(backwardWay, convolution);
            }
            backwardWay.run(convolution, outputGradient, gradients, !frozen, scratch);
            return backwardWay;
        }

        private static IllegalStateException notApplicable(Enum<?> way, Convolution convolution) {
            return new IllegalStateException("the way " + way + " does not apply to a convolution of "
                    + convolution.describe());
        }
    }
}
