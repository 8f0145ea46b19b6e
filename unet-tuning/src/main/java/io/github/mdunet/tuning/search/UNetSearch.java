package io.github.mdunet.tuning.search;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.files.DirectoryLock;
import io.github.mdunet.core.model.TrainingRecord;
import io.github.mdunet.core.optim.HalfPrecisionUpdaters;
import io.github.mdunet.core.train.DataIdentity;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.report.ResultsStore;
import io.github.mdunet.tuning.report.SearchChart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A search over the decoder's width under a memory budget, run by Arbiter: its random or grid candidate generator,
 * its {@code LocalOptimizationRunner} and its termination conditions (candidate count and time). Candidates come in
 * the order {@link CandidateSequence} gives, and each is first assessed by a {@link CandidatePlanner}, the same
 * that {@link CandidatePlanner#plan} uses, so {@code plan} shows beforehand what the search will do: one over the
 * budget is recorded as {@link CandidateStatus#REJECTED} with its estimate and never built. The others are trained
 * for a fixed number of epochs and scored on the validation data.
 *
 * <p>Every finished candidate is appended to {@code results.csv} in the output directory as it finishes, with the key
 * of its {@link SearchSetup} (base configuration, data, batch size, epochs, objective). A search started again on the
 * same directory reuses the complete results of its own setup and trains the rest: candidates rejected before (a
 * larger budget may fit them now; a smaller one rejects reused ones) and failed ones are assessed and tried again, and
 * a half-written last row is dropped. The model of the best this run returns is saved to {@code best-model.zip}
 * (weights and configuration) with {@code best-candidate.txt}, installed only after its row is recorded, and the chart
 * to {@code search.png}. One search at a time per directory ({@code search.lock}). Training uses the training
 * iterator's batches, and the memory is estimated for its {@code batch()}; each candidate's native memory is released
 * before the next is built.
 *
 * <pre>{@code
 * SearchResult result = UNetSearch.builder()
 *         .baseConfig(config)                                   // encoder, input, classes, updater, ...
 *         .space(SearchSpace.defaults())                        // midChannelScale 0.25..2 x NONE/HALVE/EQ_SKIP
 *         .strategy(new SearchStrategy.Grid(3))
 *         .budget(MemoryBudget.parse("24g"))
 *         .data(train, validation)
 *         .epochs(2)
 *         .outputDirectory(Path.of("target/search"))
 *         .build().run();
 * }</pre>
 */
public final class UNetSearch {

    /** File names inside the output directory. */
    public static final String RESULTS_CSV = "results.csv";
    public static final String CHART_PNG = "search.png";
    public static final String BEST_MODEL = BestModelFiles.MODEL;
    public static final String BEST_SUMMARY = BestModelFiles.SUMMARY;
    public static final String LOCK = "search.lock";

    private static final Logger log = LoggerFactory.getLogger(UNetSearch.class);

    private final Builder settings;

    private UNetSearch(Builder settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the search to termination and writes the table, the chart and the best model.
     *
     * @throws UncheckedIOException when the output directory cannot be used, e.g. another search holds it (its cause
     *                              is then a {@link io.github.mdunet.core.files.DirectoryInUseException})
     */
    public SearchResult run() {
        Path out = settings.outputDirectory;
        try (DirectoryLock lock = DirectoryLock.acquire(out, LOCK, "search")) {
            return run(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private SearchResult run(Path out) throws IOException {
        for (Path partial : AtomicFiles.deletePartials(out)) {
            log.info("Removed {}, left by a save that did not finish", partial);
        }
        ResultsStore store = ResultsStore.load(out.resolve(RESULTS_CSV));
        BestModelFiles bestFiles = new BestModelFiles(out, AtomicFiles.durable(), settings.trainingRecord);
        bestFiles.recover(store);
        int batchSize = settings.batchSize > 0 ? settings.batchSize : settings.train.batch();
        SearchSetup setup = SearchSetup.of(settings.baseConfig, batchSize, settings.epochs, settings.objective,
                settings.train, settings.validation);
        CandidateGenerator generator = CandidateSequence.generator(settings.space, settings.strategy);
        CandidateCount count = CandidateCount.of(settings.space, settings.strategy, settings.maxCandidates);
        int maxCandidates = count.planned();
        long earlierKeys = store.rows().stream().filter(row -> row.setup().equals(setup.earlierKey())).count();
        long otherSetups = store.rows().stream().filter(row -> !row.setup().equals(setup.key())).count() - earlierKeys;
        if (earlierKeys > 0) {
            log.warn("{} rows of {} were recorded by a version before 2026-12-05, which keyed a setup by its text:"
                    + " they are not reused, and their candidates are trained again. A setup is now keyed by its"
                    + " configuration as a saved model stores it, since two user graphs had one text", earlierKeys,
                    store.file());
        }
        warnWithoutIdentity("training", settings.train, out);
        warnWithoutIdentity("validation", settings.validation, out);
        CandidateTask.Context context = new CandidateTask.Context(
                new CandidatePlanner(settings.baseConfig, batchSize, settings.budget, settings.estimator),
                settings.train, settings.validation, settings.epochs, settings.objective, store, setup.key(),
                bestFiles, settings.saveBestModel, settings.faults,
                CandidateSequence.of(settings.space, settings.strategy, count.limit()));
        OptimizationConfiguration configuration = new OptimizationConfiguration.Builder()
                .candidateGenerator(generator)
                .dataProvider(new IteratorDataProvider(settings.train, settings.validation))
                .scoreFunction(new ObjectiveScoreFunction(settings.objective))
                .terminationConditions(new MaxCandidatesCondition(maxCandidates),
                        new MaxTimeCondition(settings.maxTime.toMillis(), TimeUnit.MILLISECONDS))
                .build();
        log.info("U-Net search: {} candidates at most, {} at most, budget {}, batch {}, output {}, setup {} ({})",
                maxCandidates, settings.maxTime, settings.budget, batchSize, out, setup.key(), setup.description());
        LocalOptimizationRunner runner =
                new LocalOptimizationRunner(1, configuration, new CandidateTask.Creator(context));
        try {
            runner.execute();
        } finally {
            runner.shutdown(true);
        }
        return summarise(store, context, otherSetups, out);
    }

    private SearchResult summarise(ResultsStore store, CandidateTask.Context context, long otherSetups, Path out)
            throws IOException {
        List<CandidateResult> all = new ArrayList<>(context.outcomes());
        all.sort(Comparator.comparingInt(CandidateResult::index));
        Optional<CandidateResult> best = CandidateTask.best(all, settings.objective);
        int resumed = context.resumedCount();
        int trained = context.trainedCount();
        String message;
        if (best.isPresent()) {
            CandidateResult b = best.get();
            message = String.format(Locale.ROOT,
                    "best of %d candidates: #%d (%s) %s %.4f, estimated %s, %,d parameters",
                    all.size(), b.index(), b.values(), settings.objective.label(),
                    b.score(), MemoryBudget.format(b.estimatedBytes()), b.parameters());
        } else if (!all.isEmpty() && all.stream().allMatch(r -> r.status() == CandidateStatus.REJECTED)) {
            CandidateResult smallest =
                    all.stream().min(Comparator.comparingLong(CandidateResult::estimatedBytes)).get();
            message = String.format(Locale.ROOT, "No candidate fits the memory budget of %s: all %d candidates were "
                            + "rejected without training; the smallest needs %s (#%d, %s). Raise the budget, lower the "
                            + "batch size (%d) or the input size, or search smaller mid scales / EQ_SKIP.",
                    settings.budget, all.size(), MemoryBudget.format(smallest.estimatedBytes()), smallest.index(),
                    smallest.values(), context.planner().batchSize());
        } else if (all.isEmpty()) {
            message = "No candidate was evaluated: the time limit (" + settings.maxTime + ") or the candidate limit ("
                    + CandidateCount.of(settings.space, settings.strategy, settings.maxCandidates).limit()
                    + ") ended the search first.";
        } else {
            message = "No candidate was trained successfully: " + all.size() + " candidates, "
                    + all.stream().filter(r -> r.status() == CandidateStatus.FAILED).count() + " failed, "
                    + all.stream().filter(r -> r.status() == CandidateStatus.REJECTED).count()
                    + " rejected; see the message column of " + store.file();
        }
        Path chart = out.resolve(CHART_PNG);
        try {
            SearchChart.write(chart, all, settings.budget.bytes(), best,
                    "validation " + settings.objective.label());
        } catch (IOException | RuntimeException e) {
            log.warn("could not write the search chart {}: {}", chart, e.toString());
        }
        Optional<Path> model = Optional.empty();
        if (best.isPresent() && settings.saveBestModel) {
            if (context.bestFiles().holds(context.setup(), best.get())) {
                model = Optional.of(context.bestFiles().model());
            } else {
                message += ". " + notHeld(context, best.get());
            }
        }
        SearchResult result = new SearchResult(all, best, trained, resumed, store.file(), chart, model, message);
        log.info("U-Net search finished ({} trained now, {} resumed from {}):\n{}{}", trained, resumed, store.file(),
                result.table(), message);
        if (otherSetups > 0) {
            log.info("{} rows of {} are of other search setups (another base configuration, data, batch size, epochs"
                    + " or objective) and were not reused", otherSetups, store.file());
        }
        return result;
    }

    /**
     * Warns that results in {@code out} are reused for any {@code data} of the same class and batch size when the
     * iterator cannot say what it yields ({@link DataIdentity}).
     */
    private static void warnWithoutIdentity(String role, DataSetIterator data, Path out) {
        if (!(data instanceof DataIdentity)) {
            log.warn("The {} data ({}) does not say what it holds (DataIdentity): a later search in {} reuses these"
                    + " results for any data of that class and batch size; implement DataIdentity, or give other data"
                    + " another output folder", role, DataIdentity.of(data), out);
        }
    }

    /** Why {@code best-model.zip} is not the model of {@code best}, and what to do. */
    private static String notHeld(CandidateTask.Context context, CandidateResult best) throws IOException {
        String why;
        if (context.reused(best)) {
            why = "its result was reused from an earlier run, and " + context.bestFiles().heldCandidate()
                    .map(candidate -> BEST_MODEL + " holds the model of " + candidate)
                    .orElse("there is no " + BEST_MODEL) + "; run the search again in a new output directory to"
                    + " train and save it";
        } else {
            why = context.unsaved().getOrDefault(best.index(), "it was not saved (see the log)");
        }
        return BEST_MODEL + " is not the model of #" + best.index() + " (" + best.values() + "): " + why;
    }

    /**
     * Settings of a {@link UNetSearch}. Required: {@link #baseConfig}, {@link #data} and {@link #outputDirectory};
     * the rest have defaults (space {@link SearchSpace#defaults()}, random search with seed 42, no budget, the
     * training iterator's batch size, 1 epoch, mean IoU, the strategy's candidates as {@link CandidateCount} says (a
     * grid's whole grid, {@value CandidateCount#DEFAULT_RANDOM_CANDIDATES} random draws), 1 hour).
     */
    public static final class Builder {
        private UNetConfig baseConfig;
        private SearchSpace space = SearchSpace.defaults();
        private SearchStrategy strategy = new SearchStrategy.Random(42);
        private MemoryBudget budget = MemoryBudget.unlimited();
        private MemoryEstimator estimator = new MemoryEstimator();
        private int batchSize;
        private DataSetIterator train;
        private DataSetIterator validation;
        private int epochs = 1;
        private Objective objective = Objective.MEAN_IOU;
        private OptionalInt maxCandidates = OptionalInt.empty();
        private Duration maxTime = Duration.ofHours(1);
        private Path outputDirectory;
        private boolean saveBestModel = true;
        private TrainingRecord trainingRecord = TrainingRecord.NONE;
        private SearchFaults faults = SearchFaults.NONE;

        private Builder() {
        }

        /** Required: every field that is not searched (encoder, input, classes, updater, data type, ...). */
        public Builder baseConfig(UNetConfig value) {
            baseConfig = value;
            return this;
        }

        public Builder space(SearchSpace value) {
            space = value;
            return this;
        }

        public Builder strategy(SearchStrategy value) {
            strategy = value;
            return this;
        }

        public Builder budget(MemoryBudget value) {
            budget = value;
            return this;
        }

        public Builder estimator(MemoryEstimator value) {
            estimator = value;
            return this;
        }

        /**
         * The batch size the memory is estimated for. The search trains on the training iterator's batches, so this
         * must equal its {@code batch()}; needed only for an iterator that does not say its batch size (by default
         * the iterator's {@code batch()}).
         */
        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        /** Required: training data and validation data (features {@code [N,C,H,W]}, labels {@code [N,K,H,W]}). */
        public Builder data(DataSetIterator trainData, DataSetIterator validationData) {
            train = trainData;
            validation = validationData;
            return this;
        }

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder objective(Objective value) {
            objective = value;
            return this;
        }

        /**
         * Stop after this many candidates (trained, rejected or failed); by default a grid search's whole grid and
         * {@value CandidateCount#DEFAULT_RANDOM_CANDIDATES} draws of a random search.
         */
        public Builder maxCandidates(int value) {
            maxCandidates = OptionalInt.of(value);
            return this;
        }

        /** Start no candidate after this much time (a running one finishes). */
        public Builder maxTime(Duration value) {
            maxTime = value;
            return this;
        }

        /** Required: where results.csv, search.png and best-model.zip go; reusing it resumes the search. */
        public Builder outputDirectory(Path value) {
            outputDirectory = value;
            return this;
        }

        public Builder saveBestModel(boolean value) {
            saveBestModel = value;
            return this;
        }

        /**
         * How the candidates saw their training images (the fields {@code augmentation} records: the framing, the
         * crops' scale, the mirror images), recorded in {@code best-model.zip} so that prediction frames whole images
         * alike, e.g. {@code pipeline.augment().trainingRecord()}. Default: none recorded.
         */
        public Builder trainedAugmentation(TrainingRecord augmentation) {
            trainingRecord = augmentation.filledFrom(trainingRecord);
            return this;
        }

        /**
         * The bits of the training images' 16-bit samples that held their values (the folder's
         * {@code significantBits}), recorded in {@code best-model.zip} ({@code UNet.withTrainedSignificantBits}) so
         * that prediction reads images alike. Default: none recorded.
         *
         * @throws IllegalArgumentException unless 1 to 16
         */
        public Builder trainedSignificantBits(int value) {
            trainingRecord = trainingRecord.withSignificantBits(value);
            return this;
        }

        /**
         * Tests: called at each step of recording a candidate, installing the best model and releasing a trained
         * candidate's memory.
         */
        Builder faults(SearchFaults value) {
            faults = value;
            return this;
        }

        /** Validates the settings; throws {@link IllegalArgumentException} naming the field. */
        public UNetSearch build() {
            Checks.requireSet("baseConfig", baseConfig, "UNetConfig.builder()...build()");
            Checks.requireSet("data (training iterator)", train, "data(train, validation)");
            Checks.requireSet("data (validation iterator)", validation, "data(train, validation)");
            Checks.requireSet("outputDirectory", outputDirectory, "e.g. Path.of(\"target/search\")");
            Checks.requireSet("space", space, "SearchSpace.defaults()");
            Checks.requireSet("strategy", strategy, "new SearchStrategy.Random(42) or new SearchStrategy.Grid(3)");
            Checks.requireSet("budget", budget, "MemoryBudget.parse(\"24g\") or MemoryBudget.unlimited()");
            Checks.requireSet("estimator", estimator, "new MemoryEstimator()");
            Checks.requireSet("objective", objective, "Objective.MEAN_IOU or Objective.LOSS");
            Checks.requireSet("maxTime", maxTime, "e.g. Duration.ofMinutes(30)");
            Checks.atLeast("epochs", epochs, 1);
            maxCandidates.ifPresent(limit -> Checks.atLeast("maxCandidates", limit, 1));
            if (batchSize < 0) {
                throw new IllegalArgumentException("batchSize must be >= 1 (or 0 for the iterator's) but was "
                        + batchSize);
            }
            checkBatchSize();
            HalfPrecisionUpdaters.requireTrainable(baseConfig.updater(), baseConfig.dataType());
            budget.checkCanJudge(baseConfig.dataType());
            if (maxTime.isNegative() || maxTime.isZero()) {
                throw new IllegalArgumentException("maxTime must be positive but was " + maxTime);
            }
            return new UNetSearch(copy());
        }

        /**
         * The search trains on the training iterator's batches: the batch size the memory is estimated for must be
         * theirs.
         */
        private void checkBatchSize() {
            int iteratorBatch;
            try {
                iteratorBatch = train.batch();
            } catch (UnsupportedOperationException e) {
                iteratorBatch = -1;
            }
            if (iteratorBatch < 1) {
                if (batchSize == 0) {
                    throw new IllegalArgumentException("the training iterator's batch() is unknown (" + iteratorBatch
                            + ") for " + train.getClass().getName() + ", and the memory estimate needs the batch"
                            + " size: set batchSize(n) to the size of the batches it gives");
                }
                log.info("the training iterator ({}) does not say its batch size; the memory is estimated for"
                        + " batchSize {}, which must be the size of the batches it gives", train.getClass().getName(),
                        batchSize);
            } else if (batchSize > 0 && batchSize != iteratorBatch) {
                throw new IllegalArgumentException("batchSize is " + batchSize + " but the training iterator's batch()"
                        + " is " + iteratorBatch + ": the search trains on the iterator's batches, so the memory"
                        + " estimate must be for " + iteratorBatch + "; leave batchSize out (or set it to "
                        + iteratorBatch + "), or give an iterator with batches of " + batchSize);
            }
        }

        /** A snapshot, so that changing this builder later does not change a built search. */
        private Builder copy() {
            Builder c = new Builder();
            c.baseConfig = baseConfig;
            c.space = space;
            c.strategy = strategy;
            c.budget = budget;
            c.estimator = estimator;
            c.batchSize = batchSize;
            c.train = train;
            c.validation = validation;
            c.epochs = epochs;
            c.objective = objective;
            c.maxCandidates = maxCandidates;
            c.maxTime = maxTime;
            c.outputDirectory = outputDirectory;
            c.saveBestModel = saveBestModel;
            c.trainingRecord = trainingRecord;
            c.faults = faults;
            return c;
        }

    }
}
