package io.github.mdunet.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.NativeOutOfMemoryError;
import io.github.mdunet.core.testing.EpochEvents;
import io.github.mdunet.core.train.BatchCount;
import io.github.mdunet.core.train.EpochRecord;
import io.github.mdunet.core.train.LearningRateSchedule;
import io.github.mdunet.core.train.Monitor;
import io.github.mdunet.core.train.StepLearningRates;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.TrainingDivergedException;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.core.train.Validator;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.testing.SmallShapes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.core.storage.StatsStorageRouter;
import org.deeplearning4j.core.storage.listener.RoutingIterationListener;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.solvers.accumulation.Registerable;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.util.CrashReportingUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Training with 2 data-parallel workers on the CPU: the loss falls, the result is close to one worker's on the same
 * data and epochs, and checkpoints, resume and the saved configuration work as with one device.
 */
class ParallelFitterTest {

    private static final int BATCH = 4;
    private static final int EPOCHS = 6;
    /** Largest difference of final validation mean IoU allowed between 2 workers and 1 (6 epochs, 12 images). */
    static final double IOU_TOLERANCE = 0.10;

    @TempDir
    static Path data;

    @TempDir
    Path checkpoints;

    private static SegmentationDataset dataset;

    @BeforeAll
    static void writeData() {
        dataset = SmallShapes.dataset(data, 48);
    }

    private TrainingResult train(int batch, Trainer trainer) throws IOException {
        try (PairedDataSetIterator train = dataset.trainIterator(PipelineConfig.training(SmallShapes.model(), batch, 3)
                .withAugment(AugmentConfig.NONE));
             PairedDataSetIterator validation = dataset.validationIterator(
                     PipelineConfig.evaluation(SmallShapes.model(), BATCH))) {
            return trainer.fit(UNet.build(SmallShapes.model()), train, validation);
        }
    }

    private static TrainingConfig config(Path directory, int epochs) {
        // A constant rate, as on Spark, so that the three runs of docs/SCALE-OUT.md compare like with like.
        return TrainingConfig.of(epochs, directory).withSchedule(new LearningRateSchedule.Constant())
                .withMonitor(Monitor.maximize("meanIoU")).withProgressBar(false);
    }

    private static Trainer trainer(Path directory, int epochs, DataParallel parallel) {
        Trainer trainer = new Trainer(config(directory, epochs), Validator.segmentation());
        return parallel == null ? trainer : trainer.withFitter(new ParallelFitter(parallel));
    }

    private static List<String> ious(TrainingResult result) {
        return result.history().stream().map(r -> String.format("%.3f", r.validation().get("meanIoU"))).toList();
    }

    private static double finalIoU(TrainingResult result) {
        return result.history().get(result.history().size() - 1).validation().get("meanIoU");
    }

    /**
     * Like for like: 1 worker with batches of 4 against 2 workers with batches of 2 averaged after every round, so
     * that each update sees 4 samples and both runs make the same number of updates.
     */
    @Test
    void twoWorkersTrainToAFallingLossCloseToOneWorker() throws IOException {
        TrainingResult one = train(BATCH, trainer(checkpoints.resolve("one"), EPOCHS, null));
        TrainingResult two = train(BATCH / 2, trainer(checkpoints.resolve("two"), EPOCHS, DataParallel.averaging(2)));
        List<Double> losses = two.history().stream().map(EpochRecord::trainLoss).toList();
        assertThat(losses.get(EPOCHS - 1)).isLessThan(losses.get(0));
        assertThat(two.history().get(EPOCHS - 1).validation().get("loss"))
                .isLessThan(two.history().get(0).validation().get("loss"));
        System.out.printf("final validation mean IoU: 1 worker %.4f, 2 workers %.4f%n", finalIoU(one), finalIoU(two));
        System.out.println("validation mean IoU per epoch, 1 worker: " + ious(one) + ", 2 workers: " + ious(two));
        assertThat(Math.abs(finalIoU(two) - finalIoU(one))).isLessThanOrEqualTo(IOU_TOLERANCE);
    }

    @Test
    void sharedGradientsTrainToAFallingLoss() throws IOException {
        TrainingResult result = train(BATCH,
                trainer(checkpoints, 2, DataParallel.averaging(2).withMode(SyncMode.SHARED_GRADIENTS)));
        assertThat(result.history().get(1).trainLoss()).isLessThan(result.history().get(0).trainLoss());
    }

    @Test
    void aRunKilledAfterItsFirstEpochResumesWithTwoWorkersAndSavesItsConfiguration() throws IOException {
        Validator crashesInEpochTwo = crashingInEpochTwo(Validator.segmentation());
        TrainingConfig oneCycle = TrainingConfig.of(2, checkpoints).withMonitor(Monitor.maximize("meanIoU"))
                .withProgressBar(false);
        Trainer crashing = new Trainer(oneCycle, crashesInEpochTwo)
                .withFitter(new ParallelFitter(DataParallel.averaging(2)));
        assertThatThrownBy(() -> train(BATCH, crashing)).hasMessageContaining("simulated crash");
        UNet afterOne = UNet.load(checkpoints.resolve("last.zip"));

        TrainingResult resumed = train(BATCH, new Trainer(oneCycle, Validator.segmentation())
                .withFitter(new ParallelFitter(DataParallel.averaging(2))));
        assertThat(resumed.history()).extracting(EpochRecord::epoch).containsExactly(1, 2);
        // The schedule counts every worker's batches: the run's last batch ran at the end of the one-cycle schedule.
        assertThat(resumed.history().get(1).learningRate())
                .isCloseTo(LearningRateSchedule.OneCycle.fastai().factorAt(1.0),
                        org.assertj.core.data.Offset.offset(1e-6));
        UNet last = UNet.load(checkpoints.resolve("last.zip"));
        assertThat(last.config()).isEqualTo(SmallShapes.model());
        assertThat(last.graph().params().equalsWithEps(afterOne.graph().params(), 1e-6)).isFalse();
        assertThat(last.graph().getUpdater().getStateViewArray()).isNotNull();
    }

    @Test
    void averagingLessOftenGivesAnotherModel() throws IOException {
        TrainingResult everyRound = train(BATCH,
                trainer(checkpoints.resolve("a"), 1, DataParallel.averaging(2)));
        TrainingResult never = train(BATCH,
                trainer(checkpoints.resolve("b"), 1, DataParallel.averaging(2).withAveragingFrequency(1000)));
        assertThat(never.model().graph().params().equalsWithEps(everyRound.model().graph().params(), 1e-4))
                .isFalse();
    }

    @Test
    void prefetchReadsBatchesAheadOnAnotherThreadForIteratorsThatAllowIt() throws IOException {
        assertThat(threadsReading(0)).containsExactly(Thread.currentThread().getName());
        assertThat(threadsReading(2)).doesNotContain(Thread.currentThread().getName());
    }

    private Set<String> threadsReading(int prefetch) throws IOException {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<DataSet> batches = List.of(batch(false), batch(false), batch(false), batch(false));
        class RecordingIterator extends ListDataSetIterator<DataSet> implements BatchCount {
            RecordingIterator() {
                super(batches, 1);
            }

            @Override
            public int batchesPerEpoch() {
                return batches.size();
            }

            @Override
            public boolean asyncSupported() {
                return true;
            }

            @Override
            public DataSet next() {
                threads.add(Thread.currentThread().getName());
                return super.next();
            }
        }
        RecordingIterator train = new RecordingIterator();
        Path directory = checkpoints.resolve("prefetch-" + prefetch);
        new Trainer(TrainingConfig.of(1, directory).withProgressBar(false), Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2).withPrefetchBatches(prefetch)))
                .fit(UNet.build(SmallShapes.model()), train, new ListDataSetIterator<>(List.of(batch(false)), 1));
        return threads;
    }

    @Test
    void aLossThatBecomesNaNInAWorkerStopsTrainingWithTheTrainersError() {
        ListDataSetIterator<DataSet> train = new ListDataSetIterator<>(List.of(batch(false), batch(true)), 1);
        Trainer trainer = new Trainer(TrainingConfig.of(1, checkpoints).withProgressBar(false), Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2)));
        assertThatThrownBy(() -> trainer.fit(UNet.build(SmallShapes.model()), train,
                new ListDataSetIterator<>(List.of(batch(false)), 1)))
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("training loss became NaN at epoch 1");
    }

    /**
     * DL4J's worker loop catches only exceptions: JavaCPP's out-of-memory error in worker 1 ended its thread unseen
     * and the wrapper waited for its batch forever. It now ends the epoch with the trainer's native-memory error.
     */
    @Test
    void anOutOfMemoryErrorInAWorkerEndsTrainingInsteadOfHangingIt() {
        assertThat(failureOfAnEpochWhoseWorkerOneThrows(SyncMode.AVERAGING, new OutOfMemoryError(
                "Cannot allocate new LongPointer(1): totalBytes = 256, physicalBytes = 8223M")))
                .isInstanceOf(NativeOutOfMemoryError.class);
    }

    /**
     * With shared gradients the workers of a round wait for each other's updates: a worker whose step threw never sent
     * its own, and the others, and the run, waited forever. Now they stop together with its failure.
     */
    @Test
    void aFailingWorkerEndsSharedGradientTrainingInsteadOfHangingIt() {
        assertThat(failureOfAnEpochWhoseWorkerOneThrows(SyncMode.SHARED_GRADIENTS,
                new IllegalStateException("worker 1 fails on purpose")))
                .hasStackTraceContaining("worker 1 fails on purpose");
    }

    /**
     * A file that breaks mid-epoch throws from the data iterator: on DL4J's prefetch thread (an iterator that allows
     * it) or on the wrapper's own; either way the run must end with that error, not wait for the batch forever.
     */
    @ParameterizedTest(name = "{0}, DL4J prefetch {1}")
    @CsvSource({"AVERAGING, true", "AVERAGING, false", "SHARED_GRADIENTS, true", "SHARED_GRADIENTS, false"})
    void aDataErrorMidEpochEndsParallelTrainingInsteadOfHangingIt(SyncMode mode, boolean asyncAllowed) {
        UNet unet = UNet.build(SmallShapes.model());
        Trainer trainer = new Trainer(TrainingConfig.of(1, checkpoints).withProgressBar(false), Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2).withMode(mode).withPrefetchBatches(2)));
        List<DataSet> batches = List.of(batch(false), batch(false), batch(false), batch(false), batch(false));
        ListDataSetIterator<DataSet> train = new ListDataSetIterator<>(batches, 1) {
            private int taken;

            @Override
            public DataSet next() {
                if (++taken == 3) {
                    throw new IllegalStateException("images/broken.png: corrupt or truncated image");
                }
                return super.next();
            }

            @Override
            public boolean asyncSupported() {
                return asyncAllowed;
            }
        };

        Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> catchThrowable(
                () -> trainer.fit(unet, train, new ListDataSetIterator<>(List.of(batch(false)), 1))));
        assertThat(failure).as("the epoch fails with the data's error").isNotNull()
                .hasStackTraceContaining("images/broken.png: corrupt or truncated image");
    }

    /**
     * What one epoch of four batches on two {@code mode} workers throws when worker 1's first gradient throws
     * {@code thrown} (a {@code RuntimeException} or an {@code Error}); it must end within a minute.
     */
    private Throwable failureOfAnEpochWhoseWorkerOneThrows(SyncMode mode, Throwable thrown) {
        UNet unet = UNet.build(SmallShapes.model());
        ComputationGraph root = unet.graph();
        AtomicInteger calls = new AtomicInteger();
        BaseTrainingListener failingWorkerOne = new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                if (model != root && calls.getAndIncrement() == 0) {
                    if (thrown instanceof Error error) {
                        throw error;
                    }
                    throw (RuntimeException) thrown;
                }
            }
        };
        Trainer trainer = new Trainer(TrainingConfig.of(1, checkpoints).withProgressBar(false), Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2).withMode(mode).withPrefetchBatches(0)))
                .withListeners(List.of(failingWorkerOne));
        ListDataSetIterator<DataSet> train = new ListDataSetIterator<>(List.of(batch(false), batch(false),
                batch(false), batch(false)), 1);
        // DL4J writes a memory dump file into the working directory when a fit throws OutOfMemoryError.
        CrashReportingUtil.crashDumpsEnabled(false);
        try {
            Throwable failure = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> catchThrowable(
                    () -> trainer.fit(unet, train, new ListDataSetIterator<>(List.of(batch(false)), 1))));
            assertThat(failure).as("the epoch fails").isNotNull();
            return failure;
        } finally {
            CrashReportingUtil.crashDumpsEnabled(true);
        }
    }

    /**
     * DL4J's wrapper averages only after rounds whose count is a multiple of the frequency: with a frequency above
     * the epoch's single round it would end the epoch with worker 0's model and drop worker 1's step. The model after
     * the epoch is the average of the two workers' (each one step from the same start on its own batch), parameters
     * and Adam's state alike.
     */
    @Test
    void anEpochShorterThanTheAveragingFrequencyEndsWithTheWorkersAverage() throws IOException {
        List<DataSet> batches = List.of(batch(false), batch(false));
        UNet unet = UNet.build(SmallShapes.model());
        ComputationGraph start = unet.graph().clone();
        ComputationGraph worker0 = start.clone();
        worker0.fit(batches.get(0));
        ComputationGraph worker1 = start.clone();
        worker1.fit(batches.get(1));
        INDArray average = worker0.params().add(worker1.params()).divi(2);
        INDArray averageState = worker0.getUpdater().getStateViewArray()
                .add(worker1.getUpdater().getStateViewArray()).divi(2);

        TrainingConfig constantRate = TrainingConfig.of(1, checkpoints).withSchedule(
                new LearningRateSchedule.Constant()).withProgressBar(false);
        TrainingResult result = new Trainer(constantRate, Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2).withAveragingFrequency(3)
                        .withPrefetchBatches(0)))
                .fit(unet, new ListDataSetIterator<>(batches, 1), new ListDataSetIterator<>(List.of(batch(false)), 1));

        ComputationGraph graph = result.model().graph();
        INDArray trained = graph.params();
        double fromAverage = trained.sub(average).amaxNumber().doubleValue();
        double fromWorker0 = trained.sub(worker0.params()).amaxNumber().doubleValue();
        assertThat(fromWorker0).as("differs from worker 0's model").isGreaterThan(1e-4);
        assertThat(fromAverage).as("is the average (worker 0 differs by %s)", fromWorker0).isLessThan(1e-6);
        assertThat(graph.getUpdater().getStateViewArray().sub(averageState).amaxNumber().doubleValue())
                .as("Adam's moments are averaged too").isLessThan(1e-6);
    }

    /**
     * Three batches, two workers, averaging every 2 rounds: round 2 is an averaging round with worker 0 alone, and
     * DL4J averages only the workers fed in it. Worker 1's step of round 1 must still reach the model: the epoch ends
     * with the average of worker 0 (two steps) and worker 1 (one step).
     */
    @Test
    void aShortLastAveragingRoundKeepsTheStepsOfTheWorkersItMissed() throws IOException {
        List<DataSet> batches = List.of(batch(false), batch(false), batch(false));
        UNet unet = UNet.build(SmallShapes.model());
        ComputationGraph start = unet.graph().clone();
        ComputationGraph worker0 = start.clone();
        worker0.fit(batches.get(0));
        worker0.fit(batches.get(2));
        ComputationGraph worker1 = start.clone();
        worker1.fit(batches.get(1));
        INDArray average = worker0.params().add(worker1.params()).divi(2);

        TrainingConfig constantRate = TrainingConfig.of(1, checkpoints).withSchedule(
                new LearningRateSchedule.Constant()).withProgressBar(false);
        TrainingResult result = new Trainer(constantRate, Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2).withAveragingFrequency(2)
                        .withPrefetchBatches(0)))
                .fit(unet, new ListDataSetIterator<>(batches, 1), new ListDataSetIterator<>(List.of(batch(false)), 1));

        INDArray trained = result.model().graph().params();
        double fromWorker0 = trained.sub(worker0.params()).amaxNumber().doubleValue();
        assertThat(fromWorker0).as("differs from worker 0's model").isGreaterThan(1e-4);
        assertThat(trained.sub(average).amaxNumber().doubleValue())
                .as("is the average (worker 0 differs by %s)", fromWorker0).isLessThan(1e-6);
    }

    /**
     * DL4J's trainer for worker 1 copies the graph on its own thread, in no set order with worker 0's first step,
     * which with gradient sharing updates Adam's state before the workers exchange their updates. Here worker 0's step
     * is made to come first: worker 1 must still start from the graph as it was when the workers were made.
     */
    @Test
    void sharedGradientWorkersStartFromTheGraphAsItWasBeforeWorkerZerosFirstStep() {
        ComputationGraph graph = UNet.build(SmallShapes.model()).graph();
        ParallelFitter fitter = new ParallelFitter(DataParallel.averaging(2).withMode(SyncMode.SHARED_GRADIENTS));
        ParallelWrapper wrapper = fitter.wrapper(graph, fitter.trainers());
        List<INDArray> seenAtFirstStep = new ArrayList<>();
        wrapper.setListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                ComputationGraph copy = (ComputationGraph) model;
                if (seenAtFirstStep.isEmpty()) {
                    seenAtFirstStep.add(copy.params().dup());
                    seenAtFirstStep.add(copy.getUpdater().getStateViewArray().dup());
                }
            }
        });
        ComputationGraph start = graph.clone();
        TrainerContext trainers = wrapper.getTrainerContext();
        trainers.create("test", 0, graph, 0, false, wrapper, WorkspaceMode.ENABLED, 1);
        graph.fit(batch(false)); // worker 0's first step, before worker 1's trainer has copied the graph
        org.deeplearning4j.parallelism.trainer.Trainer worker1 = trainers.create("test", 1, graph, 0, false, wrapper,
                WorkspaceMode.ENABLED, 1);
        ((Registerable) wrapper.getGradientsAccumulator()).registerConsumers(1);
        Thread thread = new Thread(worker1, "worker 1");
        thread.setDaemon(true);
        thread.start();
        try {
            worker1.feedDataSet(batch(false), 0);
            worker1.waitTillRunning();
        } finally {
            worker1.shutdown();
        }

        assertThat(graph.params().equalsWithEps(start.params(), 1e-6)).as("worker 0 has stepped").isFalse();
        assertThat(seenAtFirstStep).as("worker 1 took a step").hasSize(2);
        assertThat(seenAtFirstStep.get(0).sub(start.params()).amaxNumber().doubleValue())
                .as("worker 1's parameters at its first step").isEqualTo(0.0);
        assertThat(seenAtFirstStep.get(1).sub(start.getUpdater().getStateViewArray()).amaxNumber().doubleValue())
                .as("worker 1's Adam state at its first step").isEqualTo(0.0);
    }

    /**
     * Adam's bias correction reads the configuration's iteration count, which DL4J's {@code ComputationGraph.clone}
     * does not copy: the workers after 0, built from a clone, restarted at t = 1 every epoch and after a resume (with
     * built-up moments a step at t = 1 is about a third of a normal one). Each worker's count at its updates goes on
     * across epochs and a resume as worker 0's does (4 batches on 2 workers: 2 rounds an epoch).
     */
    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void everyWorkersIterationCountGoesOnAcrossEpochsAndAResume(SyncMode mode) {
        List<DataSet> batches = List.of(batch(false), batch(false), batch(false), batch(false));
        ListDataSetIterator<DataSet> validation = new ListDataSetIterator<>(List.of(batch(false)), 1);
        Validator crashesInEpochTwo = crashingInEpochTwo(Validator.loss());
        TrainingConfig config = TrainingConfig.of(2, checkpoints).withProgressBar(false);
        ParallelFitter fitter = new ParallelFitter(DataParallel.averaging(2).withMode(mode).withPrefetchBatches(0));
        IterationsByWorker beforeCrash = new IterationsByWorker();
        Trainer crashing = new Trainer(config, crashesInEpochTwo).withFitter(fitter)
                .withListeners(List.of(beforeCrash));
        assertThatThrownBy(() -> crashing.fit(UNet.build(SmallShapes.model()), new ListDataSetIterator<>(batches, 1),
                validation)).hasMessageContaining("simulated crash");
        IterationsByWorker resumed = new IterationsByWorker();
        Trainer resuming = new Trainer(config, Validator.loss()).withFitter(fitter).withListeners(List.of(resumed));
        assertThatCode(() -> resuming.fit(UNet.build(SmallShapes.model()), new ListDataSetIterator<>(batches, 1),
                validation)).doesNotThrowAnyException();

        System.out.println(mode + " iteration counts at each worker's updates, epochs 1 and 2: " + beforeCrash.counts
                + "; epoch 2 resumed: " + resumed.counts);
        assertThat(beforeCrash.counts).as("workers in epochs 1 and 2").hasSize(2)
                .allSatisfy((worker, counts) -> assertThat(counts).as(worker).containsExactly(0, 1, 2, 3));
        assertThat(resumed.counts).as("workers in epoch 2, resumed after epoch 1").hasSize(2)
                .allSatisfy((worker, counts) -> assertThat(counts).as(worker).containsExactly(2, 3));
    }

    /**
     * DL4J's {@code ParallelWrapper} neither tells listeners of epochs nor counts them; the trainer does, around each
     * epoch of the workers: the listeners see each epoch start and end once, every worker's steps get their epoch
     * (0-based, as DL4J's {@code fit(iterator)} numbers them), across a resume too, and the checkpoint keeps the count.
     * 4 batches on 2 workers: each worker takes 2 steps an epoch.
     */
    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void listenersSeeEachEpochAndEveryWorkersStepItsEpochAcrossAResume(SyncMode mode) throws IOException {
        List<DataSet> batches = List.of(batch(false), batch(false), batch(false), batch(false));
        ListDataSetIterator<DataSet> validation = new ListDataSetIterator<>(List.of(batch(false)), 1);
        Validator crashesInEpochTwo = crashingInEpochTwo(Validator.loss());
        TrainingConfig config = TrainingConfig.of(3, checkpoints).withProgressBar(false);
        ParallelFitter fitter = new ParallelFitter(DataParallel.averaging(2).withMode(mode).withPrefetchBatches(0));
        EpochEvents beforeCrash = new EpochEvents();
        Trainer crashing = new Trainer(config, crashesInEpochTwo).withFitter(fitter)
                .withListeners(List.of(beforeCrash));
        assertThatThrownBy(() -> crashing.fit(UNet.build(SmallShapes.model()), new ListDataSetIterator<>(batches, 1),
                validation)).hasMessageContaining("simulated crash");
        assertThat(UNet.load(checkpoints.resolve("last.zip")).graph().getConfiguration().getEpochCount())
                .isEqualTo(1);
        EpochEvents resumed = new EpochEvents();
        TrainingResult result = new Trainer(config, Validator.loss()).withFitter(fitter)
                .withListeners(List.of(resumed)).fit(UNet.build(SmallShapes.model()),
                        new ListDataSetIterator<>(batches, 1), validation);

        assertThat(beforeCrash.startsAndEnds()).containsExactly("start", "end", "start", "end");
        assertThat(beforeCrash.epochsByWorker()).as("workers in epochs 1 and 2").hasSize(2)
                .allSatisfy((worker, epochs) -> assertThat(epochs).as(worker).containsExactly(0, 0, 1, 1));
        assertThat(resumed.startsAndEnds()).containsExactly("start", "end", "start", "end");
        assertThat(resumed.epochsByWorker()).as("workers in epochs 2 and 3, resumed after epoch 1").hasSize(2)
                .allSatisfy((worker, epochs) -> assertThat(epochs).as(worker).containsExactly(1, 1, 2, 2));
        assertThat(result.model().graph().getConfiguration().getEpochCount()).isEqualTo(3);
    }

    /** {@code validator}, throwing at its second validation as a crash in epoch 2 would. */
    private static Validator crashingInEpochTwo(Validator validator) {
        AtomicInteger validations = new AtomicInteger();
        return (unet, data) -> {
            if (validations.incrementAndGet() == 2) {
                throw new IllegalStateException("simulated crash in epoch 2");
            }
            return validator.validate(unet, data);
        };
    }

    /**
     * Batches of 4, 4 and 2 samples on 2 workers: worker 0 takes the first and the third (DL4J's wrapper hands them
     * round by round), worker 1 the second. The epoch's training loss weighs each worker's step by its batch's samples.
     */
    @Test
    void theEpochsTrainingLossWeighsEachWorkersStepByItsSamples() throws IOException {
        LossesByWorker losses = new LossesByWorker();
        Trainer trainer = new Trainer(TrainingConfig.of(1, checkpoints).withProgressBar(false), Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2).withPrefetchBatches(0)))
                .withListeners(List.of(losses));

        TrainingResult result = trainer.fit(UNet.build(SmallShapes.model()), new ListDataSetIterator<>(
                List.of(batch(4), batch(4), batch(2)), 1), new ListDataSetIterator<>(List.of(batch(1)), 1));

        List<Double> worker0 = losses.of(0);
        List<Double> worker1 = losses.of(1);
        assertThat(worker0).hasSize(2);
        assertThat(worker1).hasSize(1);
        double bySamples = (4 * worker0.get(0) + 4 * worker1.get(0) + 2 * worker0.get(1)) / 10;
        double bySteps = (worker0.get(0) + worker1.get(0) + worker0.get(1)) / 3;
        assertThat(Math.abs(bySamples - bySteps)).as("the two means differ on this data").isGreaterThan(1e-6);
        assertThat(result.history().get(0).trainLoss()).isCloseTo(bySamples, within(1e-6));
    }

    /**
     * Each worker's step losses, in order, by the number that ends its thread's name (DL4J M2.1 runs the trainers on
     * its pool's threads, "ParallelWrapper training thread N", N the worker).
     */
    private static final class LossesByWorker extends BaseTrainingListener {

        final Map<String, List<Double>> losses = new ConcurrentHashMap<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            String thread = Thread.currentThread().getName();
            String worker = thread.substring(thread.lastIndexOf(' ') + 1);
            losses.computeIfAbsent(worker, w -> new CopyOnWriteArrayList<>()).add(model.score());
        }

        List<Double> of(int worker) {
            return losses.getOrDefault(String.valueOf(worker), List.of());
        }
    }

    /** The iteration count each worker (by thread name) updated its model with, in order. */
    private static final class IterationsByWorker extends BaseTrainingListener {

        final Map<String, List<Integer>> counts = new ConcurrentSkipListMap<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            counts.computeIfAbsent(Thread.currentThread().getName(), worker -> new CopyOnWriteArrayList<>())
                    .add(iteration);
        }
    }

    /**
     * With a schedule that changes every step, which rate a worker's update gets must not depend on which worker's
     * gradient comes first: worker w's k-th update of an epoch is step k x workers + w of it, its batch's place in the
     * epoch. Here worker 0 is held back in each round until worker 1 has taken its step.
     */
    @Test
    void eachWorkersLearningRateIsItsBatchsStepWhicheverWorkerFinishesFirst() throws IOException {
        UNet unet = UNet.build(SmallShapes.model());
        ComputationGraph root = unet.graph();
        org.deeplearning4j.nn.api.Layer layer = Arrays.stream(root.getLayers())
                .filter(candidate -> candidate.numParams() > 0).findFirst().orElseThrow();
        String layerName = layer.conf().getLayer().getLayerName();
        String param = layer.paramTable().keySet().iterator().next();
        double configured = layer.conf().getLayer().getUpdaterByParam(param).getLearningRate(0, 0);
        Semaphore workerOneStepped = new Semaphore(0);
        AtomicBoolean timedOut = new AtomicBoolean();
        List<Integer> finishingOrder = new CopyOnWriteArrayList<>();
        Map<Integer, List<Double>> rates = new ConcurrentSkipListMap<>();
        BaseTrainingListener workerOneFirst = new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                if (model == root) {
                    try {
                        timedOut.compareAndSet(false, !workerOneStepped.tryAcquire(30, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }

            @Override
            public void iterationDone(Model model, int iteration, int epoch) {
                int worker = model == root ? 0 : 1;
                finishingOrder.add(worker);
                double rate = ((ComputationGraph) model).getLayer(layerName).conf().getLayer()
                        .getUpdaterByParam(param).getLearningRate(0, 0);
                rates.computeIfAbsent(worker, w -> new CopyOnWriteArrayList<>()).add(rate);
                if (worker == 1) {
                    workerOneStepped.release();
                }
            }
        };
        List<DataSet> batches = List.of(batch(false), batch(false), batch(false), batch(false));
        TrainingConfig oneCycle = TrainingConfig.of(1, checkpoints)
                .withSchedule(LearningRateSchedule.OneCycle.fastai()).withProgressBar(false);
        new Trainer(oneCycle, Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2).withPrefetchBatches(0)))
                .withListeners(List.of(workerOneFirst))
                .fit(unet, new ListDataSetIterator<>(batches, 1), new ListDataSetIterator<>(List.of(batch(false)), 1));

        assertThat(timedOut).as("worker 0 waited for worker 1's step in time").isFalse();
        assertThat(finishingOrder).as("the workers finished their steps").containsExactly(1, 0, 1, 0);
        StepLearningRates schedule = new StepLearningRates(Map.of(), LearningRateSchedule.OneCycle.fastai(),
                batches.size());
        System.out.println("rates of " + layerName + "/" + param + " (configured " + configured + ") per worker: "
                + rates);
        for (int worker = 0; worker < 2; worker++) {
            List<Double> expected = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                expected.add(configured * schedule.factorAt(round * 2L + worker));
            }
            assertThat(rates.get(worker)).as("worker %s's rates in rounds 1 and 2", worker)
                    .usingElementComparator((a, b) -> Math.abs(a - b) <= 1e-9 * configured ? 0
                            : Double.compare(a, b))
                    .containsExactlyElementsOf(expected);
        }
    }

    /**
     * A listener given to the trainer hears each worker's step once. DL4J gives each worker its own clone of a
     * routing listener (the training UI's {@code StatsListener}) for every time the wrapper holds it, and its builder
     * for gradient sharing moves the graph's listeners onto the wrapper: handed over again, they were reported twice.
     */
    @ParameterizedTest
    @EnumSource(SyncMode.class)
    void eachRoutingListenerReportsEachWorkerStepOnce(SyncMode mode) throws IOException {
        CountingRoutingListener counting = new CountingRoutingListener(new AtomicInteger());
        List<DataSet> batches = List.of(batch(false), batch(false), batch(false), batch(false));
        new Trainer(TrainingConfig.of(1, checkpoints).withProgressBar(false), Validator.loss())
                .withFitter(new ParallelFitter(DataParallel.averaging(2).withMode(mode)))
                .withListeners(List.of(counting))
                .fit(UNet.build(SmallShapes.model()), new ListDataSetIterator<>(batches, 1),
                        new ListDataSetIterator<>(List.of(batch(false)), 1));
        assertThat(counting.steps).as("steps reported for %s batches", batches.size()).hasValue(batches.size());
    }

    /** Counts steps; its clones (one per worker, as StatsListener's) count into the same total. */
    private static final class CountingRoutingListener extends BaseTrainingListener
            implements RoutingIterationListener {

        private final AtomicInteger steps;
        private StatsStorageRouter router;
        private String workerId;
        private String sessionId = "counting";

        CountingRoutingListener(AtomicInteger steps) {
            this.steps = steps;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            steps.incrementAndGet();
        }

        @Override
        public void setStorageRouter(StatsStorageRouter router) {
            this.router = router;
        }

        @Override
        public StatsStorageRouter getStorageRouter() {
            return router;
        }

        @Override
        public void setWorkerID(String workerId) {
            this.workerId = workerId;
        }

        @Override
        public String getWorkerID() {
            return workerId;
        }

        @Override
        public void setSessionID(String sessionId) {
            this.sessionId = sessionId;
        }

        @Override
        public String getSessionID() {
            return sessionId;
        }

        @Override
        public CountingRoutingListener clone() {
            return new CountingRoutingListener(steps);
        }
    }

    /** One random 32 x 32 example with one-hot labels; its features all NaN when {@code nan}. */
    private static DataSet batch(boolean nan) {
        DataSet batch = batch(1);
        if (nan) {
            batch.getFeatures().assign(Float.NaN);
        }
        return batch;
    }

    /** {@code samples} random images, every pixel labelled class 0. */
    static DataSet batch(int samples) {
        var features = Nd4j.rand(DataType.FLOAT, samples, 3, SmallShapes.SIZE, SmallShapes.SIZE);
        var labels = Nd4j.zeros(DataType.FLOAT, samples, 4, SmallShapes.SIZE, SmallShapes.SIZE);
        labels.get(NDArrayIndex.all(), NDArrayIndex.point(0)).assign(1);
        return new DataSet(features, labels);
    }
}
