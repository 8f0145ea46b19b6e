package io.github.mdunet.core.layers.direct;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks a convolution's backward way by timing, as PyTorch's {@code cudnn.benchmark} picks cuDNN's algorithms: the
 * first backward pass of each shape ({@link Shape}) with more than one of {@link ConvBackprop#candidates} runs every
 * candidate {@value #TIMED_ROUNDS} times in turn, each run writing the gradients, and keeps the one with the shortest
 * run for that shape in this JVM. A shape with one candidate (every small convolution, every one off the CPU backend)
 * never pays for a measurement. While one thread times a shape, the others that reach it wait for its choice, so the
 * timing has the cores to itself. A candidate that fails is logged and left out ({@link ConvBackprop#COMBINED}'s
 * failure is the layer's). The ways agree up to float rounding, so a run may round differently from one taking
 * another way.
 */
final class ConvBackpropChoice {

    /** The choices of this JVM's direct layers. */
    static final ConvBackpropChoice SHARED = new ConvBackpropChoice(System::nanoTime, ConvBackprop::run);

    /** Runs per candidate when a shape is timed; the shortest counts (the first may pay for first-touch faults). */
    static final int TIMED_ROUNDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ConvBackpropChoice.class);

    private final LongSupplier clock;
    private final Runner runner;
    /** Set for a choice that always takes one way ({@link #always}); null for the timed choice. */
    private final ConvBackprop forced;
    private final Map<Shape, CompletableFuture<ConvBackprop>> chosen = new ConcurrentHashMap<>();

    /** Runs a way: {@link ConvBackprop#run}, or in tests a stand-in that fails or waits. */
    @FunctionalInterface
    interface Runner {
        void run(ConvBackprop way, ConvBackprop.Operands operands, ConvBackprop.Gradients gradients,
                 ConvBackprop.Scratch scratch);
    }

    /** A timed choice that reads {@code clock} (nanoseconds) and runs the ways by {@code runner}. */
    ConvBackpropChoice(LongSupplier clock, Runner runner) {
        this(clock, runner, null);
    }

    private ConvBackpropChoice(LongSupplier clock, Runner runner, ConvBackprop forced) {
        this.clock = clock;
        this.runner = runner;
        this.forced = forced;
    }

    /**
     * A choice that always takes {@code way}, refusing a convolution it does not {@link ConvBackprop#appliesTo}: to
     * check each way through a layer.
     */
    static ConvBackpropChoice always(ConvBackprop way) {
        return new ConvBackpropChoice(System::nanoTime, ConvBackprop::run, way);
    }

    /**
     * What identifies a timed convolution: the input's and weights' shapes (the batch size included), the geometry's
     * arguments, the data type and whether the convolution is frozen.
     */
    record Shape(List<Long> input, List<Long> weights, List<Integer> arguments, DataType dataType, boolean frozen) {

        static Shape of(ConvBackprop.Operands operands, boolean frozen) {
            return new Shape(Arrays.stream(operands.input().shape()).boxed().toList(),
                    Arrays.stream(operands.weights().shape()).boxed().toList(),
                    Arrays.stream(operands.geometry().arguments()).boxed().toList(), operands.weights().dataType(),
                    frozen);
        }
    }

    /**
     * Writes {@code dL/dx}, and {@code dL/dW} and {@code dL/db} unless the way is {@link ConvBackprop#INPUT_ONLY}, by
     * the way chosen for this shape, choosing it first if no thread has.
     *
     * @return the way that wrote the gradients last
     * @throws IllegalStateException when this choice is {@link #always} a way that does not apply to the convolution
     */
    ConvBackprop run(ConvBackprop.Operands operands, ConvBackprop.Gradients gradients, boolean frozen,
                     LayerWorkspaceMgr workspaceMgr) {
        ConvBackprop.Scratch scratch = new ConvBackprop.Scratch(workspaceMgr);
        if (forced != null) {
            if (!forced.appliesTo(operands.geometry(), operands.weights().dataType(), frozen)) {
                throw new IllegalStateException("the backward way " + forced + " does not apply to a "
                        + (frozen ? "frozen " : "") + "convolution of " + Shape.of(operands, frozen));
            }
            runner.run(forced, operands, gradients, scratch);
            return forced;
        }
        List<ConvBackprop> candidates = ConvBackprop.candidates(operands.geometry(), operands.weights().length(),
                operands.weights().dataType(), frozen, Nd4j.getEnvironment().isCPU());
        if (candidates.size() == 1) {
            runner.run(candidates.get(0), operands, gradients, scratch);
            return candidates.get(0);
        }
        Shape shape = Shape.of(operands, frozen);
        CompletableFuture<ConvBackprop> mine = new CompletableFuture<>();
        CompletableFuture<ConvBackprop> theirs = chosen.putIfAbsent(shape, mine);
        if (theirs != null) {
            ConvBackprop way = theirs.join();
            runner.run(way, operands, gradients, scratch);
            return way;
        }
        try {
            return time(candidates, operands, gradients, scratch, shape, mine);
        } finally {
            // no-op once timed; if COMBINED failed, the shape is left to it: no thread waits for a choice never made
            mine.complete(ConvBackprop.COMBINED);
        }
    }

    private ConvBackprop time(List<ConvBackprop> candidates, ConvBackprop.Operands operands,
                              ConvBackprop.Gradients gradients, ConvBackprop.Scratch scratch, Shape shape,
                              CompletableFuture<ConvBackprop> choice) {
        Map<ConvBackprop, Long> shortest = new EnumMap<>(ConvBackprop.class);
        ConvBackprop wroteLast = null;
        for (int round = 0; round < TIMED_ROUNDS; round++) {
            for (ConvBackprop candidate : candidates) {
                if (round > 0 && !shortest.containsKey(candidate)) {
                    continue;
                }
                long start = clock.getAsLong();
                try {
                    runner.run(candidate, operands, gradients, scratch);
                } catch (RuntimeException failure) {
                    if (candidate == ConvBackprop.COMBINED) {
                        throw failure;
                    }
                    LOG.warn("The backward way {} failed on a convolution of {} and is left out: {}", candidate,
                            shape, failure.toString());
                    shortest.remove(candidate);
                    wroteLast = null;
                    continue;
                }
                shortest.merge(candidate, clock.getAsLong() - start, Math::min);
                wroteLast = candidate;
            }
        }
        ConvBackprop fastest = shortest.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
        choice.complete(fastest);
        if (wroteLast == null) {
            runner.run(fastest, operands, gradients, scratch);
            return fastest;
        }
        return wroteLast;
    }

    /** The way chosen for a shape, if it has been timed. */
    Optional<ConvBackprop> chosen(ConvBackprop.Operands operands, boolean frozen) {
        CompletableFuture<ConvBackprop> choice = chosen.get(Shape.of(operands, frozen));
        return choice == null || !choice.isDone() ? Optional.empty() : Optional.of(choice.join());
    }
}
