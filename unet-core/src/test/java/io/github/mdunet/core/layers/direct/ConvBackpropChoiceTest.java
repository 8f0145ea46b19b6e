package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The timed choice on a clock that makes one candidate the faster: it is kept for the shape and measured once, the
 * gradients are right on the timing call and after it, another shape is timed afresh, a failing candidate is left out,
 * a second thread waits for the first one's timing; and the choice that always takes one way.
 */
class ConvBackpropChoiceTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();
    /** 3 x 3, 128 to 128 channels: {@link ConvBackprop#MEASURED_MIN_WEIGHTS} weights or more. */
    private static final int CHANNELS = 128;

    /** Readings of a clock, two per timed run (start, end); 0 once they run out. */
    private static final class ScriptedClock {
        final Deque<Long> readings = new ArrayDeque<>();
        final AtomicInteger reads = new AtomicInteger();

        long read() {
            reads.incrementAndGet();
            return readings.isEmpty() ? 0 : readings.removeFirst();
        }

        void run(long nanos) {
            long start = 1000L * readings.size();
            readings.addAll(List.of(start, start + nanos));
        }
    }

    /** A wide 3 x 3 convolution's backward pass on small maps, and its gradients by {@code conv2d_bp}. */
    private static final class Case {
        final INDArray input;
        final ConvBackprop.Operands operands;
        final ConvBackprop.Gradients expected;

        Case(int height, boolean stride2) {
            Nd4j.getRandom().setSeed(9);
            input = Nd4j.randn(DataType.FLOAT, 2, CHANNELS, height, 4);
            int stride = stride2 ? 2 : 1;
            ConvGeometry geometry = ConvGeometry.of(input, new int[] {3, 3}, new int[] {stride, stride},
                    new int[] {1, 1}, new int[] {1, 1}, ConvolutionMode.Same);
            INDArray weights = Nd4j.randn(DataType.FLOAT, CHANNELS, CHANNELS, 3, 3);
            operands = new ConvBackprop.Operands(input, weights, null,
                    Nd4j.randn(DataType.FLOAT, geometry.outputShape(2, CHANNELS)), geometry);
            expected = fresh();
            NativeOps.conv2dBackprop(input, weights, null, operands.outputGradient(), geometry, expected.input(),
                    expected.weights(), null);
        }

        ConvBackprop.Gradients fresh() {
            return new ConvBackprop.Gradients(Nd4j.create(DataType.FLOAT, input.shape()),
                    Nd4j.create(DataType.FLOAT, operands.weights().shape()), null);
        }

        List<ConvBackprop> candidates(boolean frozen) {
            return ConvBackprop.candidates(operands.geometry(), operands.weights().length(), DataType.FLOAT, frozen,
                    true);
        }

        void assertRight(ConvBackprop.Gradients actual, boolean weightsToo) {
            assertThat(relativeDifference(actual.input(), expected.input())).as("input gradient").isLessThan(1e-5);
            if (weightsToo) {
                assertThat(relativeDifference(actual.weights(), expected.weights())).as("weight gradient")
                        .isLessThan(1e-5);
            }
        }

        private static double relativeDifference(INDArray actual, INDArray expected) {
            return actual.sub(expected).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
        }
    }

    @ParameterizedTest(name = "frozen={0}, the second candidate {1} ns (after 1000 on its first run), the first 100")
    @CsvSource({"false, 10", "false, 500", "true, 10", "true, 500"})
    void keepsTheCandidateWithTheShortestRunForTheShapeAndTimesItOnce(boolean frozen, long secondNanos) {
        Case convolution = new Case(5, false);
        List<ConvBackprop> candidates = convolution.candidates(frozen);
        assertThat(candidates).hasSizeGreaterThanOrEqualTo(2);
        ScriptedClock clock = new ScriptedClock();
        // round one: the first candidate 100 ns, the second 1000 (its first touch), any others 500; round two: the
        // first 100, the second secondNanos, any others 500
        for (int round = 0; round < ConvBackpropChoice.TIMED_ROUNDS; round++) {
            for (int i = 0; i < candidates.size(); i++) {
                clock.run(i == 0 ? 100 : i == 1 ? (round == 0 ? 1000 : secondNanos) : 500);
            }
        }
        ConvBackpropChoice choice = new ConvBackpropChoice(clock::read, ConvBackprop::run);
        assertThat(choice.chosen(convolution.operands, frozen)).isEmpty();
        ConvBackprop faster = secondNanos < 100 ? candidates.get(1) : candidates.get(0);
        for (int call = 0; call < 2; call++) {
            ConvBackprop.Gradients gradients = convolution.fresh();
            ConvBackprop wrote = choice.run(convolution.operands, gradients, frozen, NO_WORKSPACES);
            assertThat(wrote).as("call %d", call)
                    .isEqualTo(call == 0 ? candidates.get(candidates.size() - 1) : faster);
            assertThat(choice.chosen(convolution.operands, frozen)).contains(faster);
            assertThat(clock.reads).as("the clock is read on the first call only")
                    .hasValue(2 * ConvBackpropChoice.TIMED_ROUNDS * candidates.size());
            convolution.assertRight(gradients, wrote != ConvBackprop.INPUT_ONLY);
        }

        Case taller = new Case(6, false);
        assertThat(choice.chosen(taller.operands, frozen)).as("another shape").isEmpty();
        assertThat(choice.chosen(convolution.operands, !frozen)).as("the other freezing").isEmpty();
    }

    /** A candidate that throws is left out with a warning; the gradients come from one that ran to the end. */
    @Test
    void aFailingCandidateIsLeftOutAndTheGradientsComeFromOneThatRan() {
        Case convolution = new Case(5, false);
        List<ConvBackprop> candidates = convolution.candidates(false);
        ConvBackprop failing = candidates.get(candidates.size() - 1);
        assertThat(failing).isNotEqualTo(ConvBackprop.COMBINED);
        ConvBackpropChoice.Runner runner = (way, operands, gradients, scratch) -> {
            if (way == failing) {
                gradients.input().assign(Double.NaN);
                throw new IllegalStateException("a native op failed");
            }
            way.run(operands, gradients, scratch);
        };
        ConvBackpropChoice choice = new ConvBackpropChoice(System::nanoTime, runner);
        ConvBackprop.Gradients gradients = convolution.fresh();
        ConvBackprop wrote = choice.run(convolution.operands, gradients, false, NO_WORKSPACES);
        assertThat(wrote).isNotEqualTo(failing);
        assertThat(choice.chosen(convolution.operands, false)).hasValueSatisfying(way ->
                assertThat(way).isNotEqualTo(failing));
        convolution.assertRight(gradients, true);
    }

    /** {@code conv2d_bp} failing is the layer's failure, and the shape is left to it: no later call waits. */
    @Test
    void combinedFailingPropagatesAndLeavesTheShapeToIt() {
        Case convolution = new Case(5, false);
        AtomicInteger combinedRuns = new AtomicInteger();
        ConvBackpropChoice.Runner runner = (way, operands, gradients, scratch) -> {
            if (way == ConvBackprop.COMBINED && combinedRuns.getAndIncrement() == 0) {
                throw new IllegalStateException("out of memory");
            }
            way.run(operands, gradients, scratch);
        };
        ConvBackpropChoice choice = new ConvBackpropChoice(System::nanoTime, runner);
        assertThatThrownBy(() -> choice.run(convolution.operands, convolution.fresh(), false, NO_WORKSPACES))
                .hasMessage("out of memory");
        assertThat(choice.chosen(convolution.operands, false)).contains(ConvBackprop.COMBINED);
        ConvBackprop.Gradients gradients = convolution.fresh();
        assertThat(choice.run(convolution.operands, gradients, false, NO_WORKSPACES)).isEqualTo(ConvBackprop.COMBINED);
        convolution.assertRight(gradients, true);
    }

    /**
     * Two threads reach a new shape: one times it, the other waits for its choice (the clock is read for one timing
     * only) and then takes that way.
     */
    @Test
    void aSecondThreadWaitsForTheFirstOnesTiming() throws Exception {
        Case convolution = new Case(5, false);
        List<ConvBackprop> candidates = convolution.candidates(false);
        CountDownLatch timingStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Thread> timer = new AtomicReference<>();
        ConvBackpropChoice.Runner runner = (way, operands, gradients, scratch) -> {
            if (timer.compareAndSet(null, Thread.currentThread())) {
                timingStarted.countDown();
                await(release);
            }
            way.run(operands, gradients, scratch);
        };
        AtomicInteger reads = new AtomicInteger();
        ConvBackpropChoice choice = new ConvBackpropChoice(() -> reads.incrementAndGet() * 1000L, runner);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            ConvBackprop.Gradients first = convolution.fresh();
            ConvBackprop.Gradients second = convolution.fresh();
            Future<ConvBackprop> timing = threads.submit(() -> choice.run(convolution.operands, first, false,
                    NO_WORKSPACES));
            assertThat(timingStarted.await(30, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Thread> waiter = new AtomicReference<>();
            Future<ConvBackprop> waiting = threads.submit(() -> {
                waiter.set(Thread.currentThread());
                return choice.run(convolution.operands, second, false, NO_WORKSPACES);
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((waiter.get() == null || waiter.get().getState() != Thread.State.WAITING)
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(waiter.get().getState()).as("the second thread waits").isEqualTo(Thread.State.WAITING);
            assertThat(waiting).isNotDone();
            release.countDown();
            timing.get(60, TimeUnit.SECONDS);
            ConvBackprop taken = waiting.get(60, TimeUnit.SECONDS);
            assertThat(choice.chosen(convolution.operands, false)).contains(taken);
            assertThat(reads).as("one timing").hasValue(2 * ConvBackpropChoice.TIMED_ROUNDS * candidates.size());
            convolution.assertRight(first, true);
            convolution.assertRight(second, true);
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void alwaysTakesItsWayAndRefusesAConvolutionItDoesNotApplyTo() {
        Case convolution = new Case(5, false);
        for (ConvBackprop way : List.of(ConvBackprop.COMBINED, ConvBackprop.SPLIT, ConvBackprop.GEMM)) {
            ConvBackprop.Gradients gradients = convolution.fresh();
            assertThat(ConvBackpropChoice.always(way).run(convolution.operands, gradients, false, NO_WORKSPACES))
                    .isEqualTo(way);
            convolution.assertRight(gradients, true);
        }
        ConvBackprop.Gradients frozen = convolution.fresh();
        assertThat(ConvBackpropChoice.always(ConvBackprop.INPUT_ONLY).run(convolution.operands, frozen, true,
                NO_WORKSPACES)).isEqualTo(ConvBackprop.INPUT_ONLY);
        convolution.assertRight(frozen, false);

        assertThatThrownBy(() -> ConvBackpropChoice.always(ConvBackprop.INPUT_ONLY).run(convolution.operands,
                convolution.fresh(), false, NO_WORKSPACES)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("INPUT_ONLY does not apply to a convolution of");
        Case strided = new Case(6, true);
        assertThatThrownBy(() -> ConvBackpropChoice.always(ConvBackprop.GEMM).run(strided.operands, strided.fresh(),
                false, NO_WORKSPACES)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("GEMM does not apply").hasMessageContaining("arguments=[3, 3, 2, 2");
    }
}
