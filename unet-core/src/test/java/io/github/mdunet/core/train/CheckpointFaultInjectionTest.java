package io.github.mdunet.core.train;

import static io.github.mdunet.core.train.TrainerTest.data;
import static io.github.mdunet.core.train.TrainerTest.tinyUNet;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import io.github.mdunet.runtime.process.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Kills and crashes at every step of writing and recovering checkpoints: afterwards the directory holds the files
 * and the state of one committed epoch, no committed epoch is lost, nothing is left over, and the resumed run trains
 * only the epochs that were not committed.
 */
class CheckpointFaultInjectionTest {

    @TempDir
    Path directory;

    /** Thrown at the chosen point: the in-process stand-in for a kill. */
    static final class SimulatedCrash extends IOException {
        SimulatedCrash(String point) {
            super("simulated crash after " + point);
        }
    }

    /** Crashes at the {@code n}-th time {@code point} is reached (from 1). */
    private static CheckpointFaults crashAt(String point, int n) {
        int[] seen = {0};
        return reached -> {
            if (reached.equals(point) && ++seen[0] == n) {
                throw new SimulatedCrash(reached);
            }
        };
    }

    private static TrainingConfig config(Path directory, int epochs) {
        return TrainingConfig.of(epochs, directory).withProgressBar(false).withCheckpointEvery(1)
                .withMonitor(Monitor.maximize("time"));
    }

    /** Counts its calls and reports a score that improves every time, so every epoch writes best.zip too. */
    private static final class CountingValidator implements Validator {
        int calls;

        @Override
        public Map<String, Double> validate(io.github.mdunet.core.model.UNet unet,
                                            org.nd4j.linalg.dataset.api.iterator.DataSetIterator validation) {
            calls++;
            return Map.of("time", (double) System.nanoTime());
        }
    }

    @Test
    @Timeout(300)
    void aCrashAtAnyStepOfAnEpochsCheckpointLeavesOneCommittedEpoch() throws IOException {
        Path base = directory.resolve("base");
        String endOfEpoch1 = "checkpointed epoch 1";
        assertThatThrownBy(() -> new Trainer(config(base, 2), new CountingValidator(), AtomicFiles.durable(),
                crashAt(endOfEpoch1, 1)).fit(tinyUNet(), data(1), data(2))).isInstanceOf(SimulatedCrash.class);
        List<String> points = new ArrayList<>();
        Path reference = copy(base, directory.resolve("reference"));
        new Trainer(config(reference, 2), new CountingValidator(), AtomicFiles.durable(), points::add)
                .fit(tinyUNet(), data(1), data(2));
        assertThat(points).containsExactly("staged last.zip", "staged best.zip", "staged epoch-2.zip",
                "committed epoch 2", "renamed last.zip", "renamed best.zip", "renamed epoch-2.zip",
                "checkpointed epoch 2");

        for (int k = 0; k < points.size(); k++) {
            String point = points.get(k);
            boolean committed = k >= points.indexOf("committed epoch 2");
            Path run = copy(base, directory.resolve("crash-" + k));
            assertThatThrownBy(() -> new Trainer(config(run, 2), new CountingValidator(), AtomicFiles.durable(),
                    crashAt(point, 1)).fit(tinyUNet(), data(1), data(2))).isInstanceOf(SimulatedCrash.class);
            TrainingState crashed = TrainingState.readFrom(run);
            assertThat(crashed.completedEpochs()).as("committed after a crash at '%s'", point)
                    .isEqualTo(committed ? 2 : 1);
            if (committed && stagedFilesIn(run) > 0) {
                // The first recovery is itself killed after renaming one file; the second completes it.
                assertThatThrownBy(() -> new Trainer(config(run, 2), new CountingValidator(), AtomicFiles.durable(),
                        reached -> {
                            if (reached.startsWith("recovered ")) {
                                throw new SimulatedCrash(reached);
                            }
                        }).fit(tinyUNet(), data(1), data(2)))
                        .as("a crash in the recovery after a crash at '%s'", point)
                        .isInstanceOfAny(SimulatedCrash.class);
            }
            CountingValidator resumedValidation = new CountingValidator();
            TrainingResult resumed = new Trainer(config(run, 2), resumedValidation).fit(tinyUNet(), data(1), data(2));
            assertThat(resumedValidation.calls).as("epochs trained again after a crash at '%s'", point)
                    .isEqualTo(committed ? 0 : 1);
            assertThat(resumed.history()).extracting(EpochRecord::epoch).containsExactly(1, 2);
            assertThat(resumed.history().subList(0, crashed.completedEpochs())).isEqualTo(crashed.history());
            TrainingState state = consistentState(run, 1);
            assertThat(state.bestEpoch()).isEqualTo(2);
            assertThat(state.files().get(Trainer.BEST)).isEqualTo(state.files().get(Trainer.LAST));
        }
    }

    /**
     * Opens {@code run} as the next run would, recovers it (which checks that {@code last.zip} and {@code best.zip}
     * are the files the state committed) and checks that nothing else is there.
     *
     * @return the committed state; for a run killed before its first commit, a state of 0 epochs
     */
    private static TrainingState consistentState(Path run, int checkpointEvery) throws IOException {
        java.util.Optional<TrainingState> recovered;
        try (CheckpointDirectory checkpoints = CheckpointDirectory.open(run, AtomicFiles.durable(),
                CheckpointFaults.NONE)) {
            recovered = checkpoints.recover();
        }
        if (recovered.isEmpty()) {
            try (var files = Files.list(run)) {
                assertThat(files.map(f -> f.getFileName().toString())).as("files before the first commit")
                        .containsExactly(CheckpointDirectory.LOCK_FILE);
            }
            return TrainingState.start(new RunSettings(0, new LearningRateSchedule.Constant(), Monitor.minimize("loss"),
                    0, "", ""), Map.of());
        }
        TrainingState state = recovered.get();
        Set<String> expected = new TreeSet<>(List.of("last.zip", "best.zip", "training-state.json", "training.lock"));
        for (int epoch = checkpointEvery; epoch <= state.completedEpochs(); epoch += checkpointEvery) {
            expected.add(CheckpointDirectory.periodicName(epoch));
        }
        try (var files = Files.list(run)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .as("files after epoch %d", state.completedEpochs()).containsExactlyElementsOf(expected);
        }
        assertThat(state.files()).containsOnlyKeys(Trainer.LAST, Trainer.BEST);
        return state;
    }

    private static long stagedFilesIn(Path run) throws IOException {
        try (var files = Files.list(run)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".staged")).count();
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    /**
     * A training process killed (SIGKILL) at random moments, also inside saves and inside the recovery that follows
     * a kill, then resumed: no committed epoch is lost, the state and the models agree, nothing is left over.
     */
    @Test
    @Timeout(240)
    void aProcessKilledAtRandomMomentsLosesNoCommittedEpoch() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 0;
        List<String> killedAfter = new ArrayList<>();
        int committedBefore = 0;
        List<EpochRecord> historyBefore = List.of();
        while (kills < KilledTraining.KILLS) {
            List<String> output = new ArrayList<>();
            Process child = new ChildJvm("the training to kill", List.of(), KilledTraining.class,
                    List.of(directory.toString()), Duration.ofMinutes(4)).start(line -> {
                        synchronized (output) {
                            output.add(line);
                        }
                    });
            int highestSeen = committedBefore;
            try {
                long deadline = System.currentTimeMillis() + 120_000;
                while (!outputContains(output, "ready")) {
                    assertThat(child.isAlive()).as("child (seed %d): %s", seed, output).isTrue();
                    assertThat(System.currentTimeMillis()).as("time waiting for the child").isLessThan(deadline);
                    Thread.sleep(5);
                }
                // A third of the kills come at a random moment from the start (recovery, first epoch), a third at a
                // random moment after this process committed an epoch (mostly in training), a third just after a
                // random step of a commit (mostly inside the next save or rename), however slow the machine is. The
                // last kill waits for a commit when none has come yet, so that a resume from a committed epoch is
                // always tested: under load, a seed drew six kills that all came before the first commit.
                boolean lastKillWithoutCommit = kills == KilledTraining.KILLS - 1 && committedBefore == 0;
                int mode = lastKillWithoutCommit ? 1 : random.nextInt(3);
                String awaited = mode == 0 ? null : mode == 1 ? "checkpointed epoch"
                        : COMMIT_STEPS.get(random.nextInt(COMMIT_STEPS.size()));
                while (awaited != null && !outputContains(output, awaited) && child.isAlive()) {
                    assertThat(System.currentTimeMillis()).as("time waiting for '%s'", awaited).isLessThan(deadline);
                    highestSeen = Math.max(highestSeen, committedEpochs(directory));
                    Thread.sleep(1);
                }
                int maxDelay = mode == 2 ? 25 : KilledTraining.MAX_KILL_DELAY_MILLIS;
                long killAt = System.currentTimeMillis() + random.nextInt(maxDelay);
                while (System.currentTimeMillis() < killAt && child.isAlive()) {
                    highestSeen = Math.max(highestSeen, committedEpochs(directory));
                    Thread.sleep(2);
                }
            } finally {
                child.destroyForcibly().waitFor();
            }
            boolean finished = outputContains(output, "done");
            kills += finished ? 0 : 1;
            killedAfter.add(finished ? "(finished)" : lastLine(output));

            TrainingState state = consistentState(directory, KilledTraining.CHECKPOINT_EVERY);
            assertThat(state.completedEpochs()).as("committed epochs after kill %d (seed %d)", kills, seed)
                    .isGreaterThanOrEqualTo(highestSeen);
            assertThat(state.history().subList(0, committedBefore)).as("finished epochs kept").isEqualTo(historyBefore);
            committedBefore = state.completedEpochs();
            historyBefore = state.history();
            if (finished) {
                break;
            }
        }
        assertThat(kills).as("kills before the run finished (seed %d): %s", seed, killedAfter)
                .isGreaterThanOrEqualTo(2);
        TrainingResult finished = new Trainer(KilledTraining.config(directory), Validator.loss())
                .fit(tinyUNet(), KilledTraining.data(1), KilledTraining.data(2));
        assertThat(finished.history()).extracting(EpochRecord::epoch)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, KilledTraining.EPOCHS).boxed()
                        .toList());
        assertThat(finished.history().subList(0, committedBefore)).isEqualTo(historyBefore);
        consistentState(directory, KilledTraining.CHECKPOINT_EVERY);
        assertThat(committedBefore).as("epochs committed by the killed runs (seed %d), each killed after: %s", seed,
                killedAfter).isPositive();
        System.out.printf("%d kills (seed %d), %d epochs committed by the killed runs; each killed after: %s%n",
                kills, seed, committedBefore, killedAfter);
    }

    /** Steps of a commit the child prints; a kill just after one lands in the next step or the save after it. */
    private static final List<String> COMMIT_STEPS = List.of("staged last.zip", "staged best.zip", "committed epoch",
            "renamed last.zip", "renamed best.zip");

    private static boolean outputContains(List<String> output, String line) {
        synchronized (output) {
            return output.stream().anyMatch(l -> l.startsWith(line));
        }
    }

    private static String lastLine(List<String> output) {
        synchronized (output) {
            return output.isEmpty() ? "" : output.get(output.size() - 1);
        }
    }

    private static int committedEpochs(Path directory) {
        try {
            return TrainingState.existsIn(directory) ? TrainingState.readFrom(directory).completedEpochs() : 0;
        } catch (IOException e) {
            throw new AssertionError("a committed state must always be readable", e);
        }
    }

    /** The child process of {@link #aProcessKilledAtRandomMomentsLosesNoCommittedEpoch}. */
    public static final class KilledTraining {
        static final int EPOCHS = 10;
        static final int KILLS = 6;
        static final int CHECKPOINT_EVERY = 3;
        static final int MAX_KILL_DELAY_MILLIS = 1000;

        /** Four images: one step per epoch, so that checkpoints are a large part of the time. */
        static DataSetIterator data(long seed) {
            return new ViewIterator(BrightShapes.generate(4, 16, seed), 4);
        }

        static TrainingConfig config(Path directory) {
            return TrainingConfig.of(EPOCHS, directory).withProgressBar(false).withCheckpointEvery(CHECKPOINT_EVERY);
        }

        public static void main(String[] args) throws IOException {
            CpuAcceleration.configure();
            var unet = tinyUNet(); // loads ND4J before the clock of the kill starts
            System.out.println("ready");
            System.out.flush();
            // A pause at each step of a commit or recovery makes the kill land there often.
            CheckpointFaults pause = point -> {
                System.out.println(point);
                System.out.flush();
                Pauses.sleep(ThreadLocalRandom.current().nextInt(20));
            };
            // Slow enough that a run of a few epochs is killed before it ends, also on a fast machine.
            Validator slowLoss = Pauses.slowLoss(250);
            new Trainer(config(Path.of(args[0])), slowLoss, AtomicFiles.durable(), pause)
                    .fit(unet, data(1), data(2));
            System.out.println("done");
        }
    }
}
