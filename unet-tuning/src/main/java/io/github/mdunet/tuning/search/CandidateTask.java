package io.github.mdunet.tuning.search;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.report.ResultsStore;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates one Arbiter candidate: looks it up among the finished results (resume), has the
 * {@link CandidatePlanner} estimate its memory and rejects it over the budget, else builds it (with its encoder's
 * pretrained weights when the encoder asks for them), trains and scores it, records the row and saves the model
 * when it is the best so far. Never throws: every outcome is returned as an {@link OptimizationResult} whose {@link CandidateInfo}
 * is {@code Complete} (with a finite score) or {@code Failed} (rejected or failed, score {@code null}), so Arbiter
 * counts it and its termination conditions hold.
 */
final class CandidateTask implements Callable<OptimizationResult> {

    private static final Logger log = LoggerFactory.getLogger(CandidateTask.class);

    /** What every candidate of one search shares. */
    record Context(CandidatePlanner planner, DataSetIterator train, DataSetIterator validation, int epochs,
                   Objective objective, ResultsStore store, Path bestModel, Path bestSummary, boolean saveBestModel,
                   AtomicInteger trained, AtomicInteger resumed) {

        Context(CandidatePlanner planner, DataSetIterator train, DataSetIterator validation, int epochs,
                Objective objective, ResultsStore store, Path bestModel, Path bestSummary, boolean saveBestModel) {
            this(planner, train, validation, epochs, objective, store, bestModel, bestSummary, saveBestModel,
                    new AtomicInteger(), new AtomicInteger());
        }

        int trainedCount() {
            return trained.get();
        }

        int resumedCount() {
            return resumed.get();
        }
    }

    /** Arbiter's hook: one {@link CandidateTask} per candidate. */
    static final class Creator implements TaskCreator {
        private final Context context;

        Creator(Context context) {
            this.context = context;
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider,
                                                   ScoreFunction scoreFunction, List<StatusListener> statusListeners,
                                                   IOptimizationRunner runner) {
            return new CandidateTask(candidate, context);
        }

        @Override
        public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
                                                   Properties dataSourceProperties, ScoreFunction scoreFunction,
                                                   List<StatusListener> statusListeners, IOptimizationRunner runner) {
            return new CandidateTask(candidate, context);
        }
    }

    private final Candidate candidate;
    private final Context context;

    private CandidateTask(Candidate candidate, Context context) {
        this.candidate = candidate;
        this.context = context;
    }

    @Override
    public OptimizationResult call() {
        long start = System.currentTimeMillis();
        CandidateValues values = (CandidateValues) candidate.getValue();
        Optional<CandidateResult> done = context.store.find(values);
        if (done.isPresent()) {
            context.resumed.incrementAndGet();
            log.info("candidate #{} ({}) already finished: {} (resumed, not redone)", candidate.getIndex(), values,
                    done.get().status());
            return toArbiter(done.get(), start);
        }
        CandidateResult result = evaluate(values, start);
        context.store.append(result);
        log.info("candidate #{} ({}): {}{}, estimated {}{}", result.index(), values, result.status(),
                Double.isNaN(result.score()) ? "" : String.format(Locale.ROOT, " score %.4f", result.score()),
                MemoryBudget.format(result.estimatedBytes()), result.message().isEmpty() ? "" : " - " + result.message());
        return toArbiter(result, start);
    }

    private CandidateResult evaluate(CandidateValues values, long start) {
        int index = candidate.getIndex();
        PlannedCandidate planned = context.planner.assess(index, values);
        return switch (planned.fit()) {
            case INVALID -> new CandidateResult(index, values, 0, 0, Double.NaN, seconds(start),
                    CandidateStatus.FAILED, planned.message());
            case OVER_BUDGET -> new CandidateResult(index, values, planned.estimatedBytes(), planned.parameterCount(),
                    Double.NaN, 0, CandidateStatus.REJECTED, planned.message() + ": not trained");
            case FITS -> train(planned, start);
        };
    }

    private CandidateResult train(PlannedCandidate planned, long start) {
        int index = planned.index();
        CandidateValues values = planned.values();
        try {
            // Pretrained encoder weights (ZooEncoder with Weights.imagenet() or a file) are loaded here; else random.
            UNet unet = PretrainedWeights.build(values.applyTo(context.planner.base()));
            context.train.reset();
            unet.graph().fit(context.train, context.epochs);
            double score = context.objective.score(unet, context.validation);
            context.trained.incrementAndGet();
            if (!Double.isFinite(score)) {
                return new CandidateResult(index, values, planned.estimatedBytes(), unet.numParams(), Double.NaN,
                        seconds(start), CandidateStatus.FAILED, "score was " + score + " (training diverged?)");
            }
            CandidateResult result = new CandidateResult(index, values, planned.estimatedBytes(), unet.numParams(),
                    score, seconds(start), CandidateStatus.COMPLETE, "");
            saveIfBest(unet, result);
            return result;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            log.warn("candidate #{} ({}) failed", index, values, e);
            return new CandidateResult(index, values, planned.estimatedBytes(), planned.parameterCount(), Double.NaN,
                    seconds(start), CandidateStatus.FAILED, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private void saveIfBest(UNet unet, CandidateResult result) {
        if (!context.saveBestModel) {
            return;
        }
        Optional<CandidateResult> incumbent = best(context.store.all(), context.objective);
        if (incumbent.isPresent() && !context.objective.better(result.score(), incumbent.get().score())) {
            return;
        }
        try {
            unet.save(context.bestModel);
            Files.writeString(context.bestSummary, String.format(Locale.ROOT,
                    "candidate #%d%n%s%nscore %.6f (%s)%nestimated training memory %s at batch %d%nparameters %,d%n%n%s%n",
                    result.index(), result.values(), result.score(), context.objective,
                    MemoryBudget.format(result.estimatedBytes()), context.planner.batchSize(), result.parameters(),
                    unet.channelPlan().toTable()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.warn("could not save the best model to {}", context.bestModel, e);
        }
    }

    /** The best complete candidate with a finite score. */
    static Optional<CandidateResult> best(List<CandidateResult> results, Objective objective) {
        CandidateResult best = null;
        for (CandidateResult r : results) {
            if (r.scoreIfComplete().isPresent() && (best == null || objective.better(r.score(), best.score()))) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
    }

    private OptimizationResult toArbiter(CandidateResult result, long start) {
        boolean complete = result.scoreIfComplete().isPresent();
        // Failed (not thrown) so that Arbiter counts the candidate; a null score never becomes the best.
        CandidateInfo info = new CandidateInfo(candidate.getIndex(),
                complete ? org.deeplearning4j.arbiter.optimize.runner.CandidateStatus.Complete
                        : org.deeplearning4j.arbiter.optimize.runner.CandidateStatus.Failed,
                complete ? result.score() : null, start, start, System.currentTimeMillis(),
                candidate.getFlatParameters(), complete ? null : result.status() + ": " + result.message());
        return new OptimizationResult(candidate, complete ? result.score() : null, candidate.getIndex(), result, info,
                null);
    }

    private static double seconds(long start) {
        return (System.currentTimeMillis() - start) / 1000.0;
    }
}
