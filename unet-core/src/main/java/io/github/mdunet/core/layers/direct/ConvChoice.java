package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a direct layer's convolution picks its {@link ConvForward} and {@link ConvBackprop} ways: {@link Timed} per
 * shape ({@link #SHARED}, every layer's by default), or {@link Always} the given ones ({@link #STOCK} under
 * {@link ConvWays#STOCK}; tests, to check each way through a layer).
 * The ways agree up to float rounding, so a run may round differently from one that took another way.
 */
sealed interface ConvChoice permits ConvChoice.Timed, ConvChoice.Always {

    /** The timed choices of this JVM's direct layers. */
    ConvChoice SHARED = new Timed(System::nanoTime);
    /** libnd4j's {@code conv2d} and {@code conv2d_bp}, always. */
    ConvChoice STOCK = new Always(ConvForward.CONV2D, ConvBackprop.COMBINED);

    /** The choice of {@code ways}: {@link #SHARED} for {@link ConvWays#TIMED}, {@link #STOCK} for the other. */
    static ConvChoice of(ConvWays ways) {
        return switch (ways) {
            case TIMED -> SHARED;
            case STOCK -> STOCK;
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
     * arguments, the data type, and for a backward pass whether the convolution is frozen.
     */
    record TimingKey(List<Long> input, List<Long> weights, List<Integer> arguments, DataType dataType,
                     boolean frozen) {

        static TimingKey of(Convolution convolution, boolean frozen) {
            return new TimingKey(Arrays.stream(convolution.input().shape()).boxed().toList(),
                    Arrays.stream(convolution.weights().shape()).boxed().toList(),
                    Arrays.stream(convolution.geometry().arguments()).boxed().toList(), convolution.dataType(),
                    frozen);
        }
    }

    /**
     * The first pass of each shape with more than one candidate ({@link ConvForward#candidates},
     * {@link ConvBackprop#candidates}) times them ({@link WayTimer}) and keeps the fastest for the shape; a shape with
     * one candidate (every small convolution, every one off the CPU backend) never pays for a measurement.
     */
    final class Timed implements ConvChoice {

        private final WayTimer<TimingKey, ConvForward> forwards;
        private final WayTimer<TimingKey, ConvBackprop> backwards;

        /** Timed on {@code clock} (nanoseconds). */
        Timed(LongSupplier clock) {
            this.forwards = new WayTimer<>(ConvForward.class, clock);
            this.backwards = new WayTimer<>(ConvBackprop.class, clock);
        }

        @Override
        public ConvForward forward(Convolution convolution, INDArray output, ConvScratch scratch) {
            return forwards.run(() -> TimingKey.of(convolution, false),
                    ConvForward.candidates(convolution.geometry(), convolution.weightCount(), convolution.dataType(),
                            Nd4j.getEnvironment().isCPU()),
                    way -> way.run(convolution, output, scratch));
        }

        @Override
        public ConvBackprop backward(Convolution convolution, INDArray outputGradient, ConvGradients gradients,
                                     boolean frozen, ConvScratch scratch) {
            return backwards.run(() -> TimingKey.of(convolution, frozen),
                    ConvBackprop.candidates(convolution.geometry(), convolution.weightCount(), convolution.dataType(),
                            Nd4j.getEnvironment().isCPU()),
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
