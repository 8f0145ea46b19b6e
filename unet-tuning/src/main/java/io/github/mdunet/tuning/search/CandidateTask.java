package io.github.mdunet.tuning.search;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.report.ResultsStore;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
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
 * Evaluates one Arbiter candidate: has the {@link CandidatePlanner} estimate its memory and rejects it over this run's
 * budget; else reuses its complete result of the same {@link SearchSetup} from the results (resume), or builds it
 * (with its encoder's pretrained weights when the encoder asks for them), trains and scores it. A rejected or failed
 * candidate is assessed or tried again on every run, so a larger budget or a passing fault gives it its chance. A new
 * best model is staged, its row recorded, then the model installed ({@link BestModelFiles}). Never throws: every
 * outcome is returned as an {@link OptimizationResult} whose {@link CandidateInfo} is {@code Complete} (with a finite
 * score) or {@code Failed} (rejected or failed, score {@code null}), so Arbiter counts it and its termination
 * conditions hold.
 */
final class CandidateTask implements Callable<OptimizationResult> {

    private static final Logger log = LoggerFactory.getLogger(CandidateTask.class);

    /** What every candidate of one search shares; {@code outcomes} collects this run's results. */
    record Context(CandidatePlanner planner, DataSetIterator train, DataSetIterator validation, int epochs,
                   Objective objective, ResultsStore store, String setup, BestModelFiles bestFiles,
                   boolean saveBestModel, SearchFaults faults, List<CandidateResult> outcomes, AtomicInteger trained,
                   AtomicInteger resumed) {

        Context(CandidatePlanner planner, DataSetIterator train, DataSetIterator validation, int epochs,
                Objective objective, ResultsStore store, String setup, BestModelFiles bestFiles, boolean saveBestModel,
                SearchFaults faults) {
            this(planner, train, validation, epochs, objective, store, setup, bestFiles, saveBestModel, faults,
                    Collections.synchronizedList(new ArrayList<>()), new AtomicInteger(), new AtomicInteger());
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
        CandidateResult result = evaluate(values, start);
        context.outcomes.add(result);
        log.info("candidate #{} ({}): {}{}, estimated {}{}", result.index(), values, result.status(),
                Double.isNaN(result.score()) ? "" : String.format(Locale.ROOT, " score %.4f", result.score()),
                MemoryBudget.format(result.estimatedBytes()),
                result.message().isEmpty() ? "" : " - " + result.message());
        return toArbiter(result, start);
    }

    private CandidateResult evaluate(CandidateValues values, long start) {
        int index = candidate.getIndex();
        PlannedCandidate planned = context.planner.assess(index, values);
        return switch (planned.fit()) {
            case INVALID -> record(new CandidateResult(index, values, 0, 0, Double.NaN, seconds(start),
                    CandidateStatus.FAILED, planned.message()));
            case OVER_BUDGET -> record(new CandidateResult(index, values, planned.estimatedBytes(),
                    planned.parameterCount(), Double.NaN, 0, CandidateStatus.REJECTED,
                    planned.message() + ": not trained"));
            case FITS -> {
                Optional<CandidateResult> done = context.store.findComplete(context.setup, values);
                if (done.isPresent()) {
                    context.resumed.incrementAndGet();
                    log.info("candidate #{} ({}) already trained in this setup: score {} (resumed, not redone)",
                            index, values, done.get().score());
                    CandidateResult d = done.get();
                    yield new CandidateResult(index, values, d.estimatedBytes(), d.parameters(), d.score(),
                            d.seconds(), d.status(), d.message());
                }
                yield train(planned, start);
            }
        };
    }

    /** Records a result decided without training, unless the results already say exactly that. */
    private CandidateResult record(CandidateResult result) {
        Optional<CandidateResult> same = context.store.find(context.setup, result.values())
                .filter(r -> r.status() == result.status() && r.message().equals(result.message()));
        if (same.isPresent()) {
            context.resumed.incrementAndGet();
            return result;
        }
        return recordAttempt(result);
    }

    /** Records the outcome of this run's attempt at a candidate. */
    private CandidateResult recordAttempt(CandidateResult result) {
        context.store.append(context.setup, result);
        context.faults.reached("recorded #" + result.index());
        return result;
    }

    private CandidateResult train(PlannedCandidate planned, long start) {
        int index = planned.index();
        CandidateValues values = planned.values();
        UNet unet;
        double score;
        try {
            // Pretrained encoder weights (ZooEncoder with Weights.imagenet() or a file) are loaded here; else random.
            unet = PretrainedWeights.build(values.applyTo(context.planner.base()));
            context.train.reset();
            unet.graph().fit(context.train, context.epochs);
            score = context.objective.score(unet, context.validation);
            context.trained.incrementAndGet();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            log.warn("candidate #{} ({}) failed", index, values, e);
            return recordAttempt(new CandidateResult(index, values, planned.estimatedBytes(), planned.parameterCount(),
                    Double.NaN, seconds(start), CandidateStatus.FAILED, e.getClass().getSimpleName() + ": "
                    + e.getMessage()));
        }
        if (!Double.isFinite(score)) {
            return recordAttempt(new CandidateResult(index, values, planned.estimatedBytes(), unet.numParams(),
                    Double.NaN, seconds(start), CandidateStatus.FAILED, "score was " + score
                    + " (training diverged?)"));
        }
        CandidateResult result = new CandidateResult(index, values, planned.estimatedBytes(), unet.numParams(),
                score, seconds(start), CandidateStatus.COMPLETE, "");
        boolean newBest = context.saveBestModel && isBest(result) && stage(unet, result);
        recordAttempt(result);
        if (newBest) {
            try {
                context.bestFiles.install(context.setup, result);
                context.faults.reached("installed best model #" + index);
            } catch (IOException e) {
                log.warn("could not install the best model {}; the next run installs it", context.bestFiles.model(), e);
            }
        }
        return result;
    }

    /** Whether {@code result} beats every complete result of this setup recorded so far. */
    private boolean isBest(CandidateResult result) {
        Optional<CandidateResult> incumbent = best(context.store.of(context.setup), context.objective);
        return incumbent.isEmpty() || context.objective.better(result.score(), incumbent.get().score());
    }

    /** Stages the new best model; a failure to write it is logged and leaves the previous best in place. */
    private boolean stage(UNet unet, CandidateResult result) {
        try {
            context.bestFiles.stage(unet, context.setup, result, String.format(Locale.ROOT,
                    "candidate #%d%n%s%nscore %.6f (%s)%nestimated training memory %s at batch %d%nparameters %,d%n"
                            + "search setup %s%n%n%s%n",
                    result.index(), result.values(), result.score(), context.objective,
                    MemoryBudget.format(result.estimatedBytes()), context.planner.batchSize(), result.parameters(),
                    context.setup, unet.channelPlan().toTable()));
            context.faults.reached("staged best model #" + result.index());
            return true;
        } catch (IOException e) {
            log.warn("could not save the best model to {}", context.bestFiles.model(), e);
            return false;
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
