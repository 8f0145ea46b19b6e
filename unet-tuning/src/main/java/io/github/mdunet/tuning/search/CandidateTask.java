package io.github.mdunet.tuning.search;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.ReleasingWorkspaces;
import io.github.mdunet.core.train.EpochOrdered;
import io.github.mdunet.core.train.TrainingBatches;
import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.candidate.CandidateValues;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.report.ResultsStore;
import io.github.mdunet.zoo.pretrained.PretrainedWeights;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
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
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates one Arbiter candidate: has the {@link CandidatePlanner} estimate its memory and rejects it over this run's
 * budget; else reuses its complete result of the same {@link SearchSetup} from the results (resume: its score, with
 * this run's estimate and parameter count), or takes the score of a candidate this run scored that builds the same
 * network ({@link CandidateNetwork}: e.g. {@code HALVE} and {@code EQ_SKIP} on the classic encoder), or builds it
 * (with its encoder's pretrained weights when the encoder asks for them), trains it on the same epochs as every other
 * candidate (epochs 1 to {@code epochs} of an {@link EpochOrdered} iterator) and scores it. A rejected or failed
 * candidate is assessed or tried again on every run, so a larger budget or a passing fault gives it its chance. A
 * trained candidate that is the best of this run's results (those the search's result takes its best from: see
 * {@link #beatenBy}) is staged as the best model, its row recorded, then the model installed
 * ({@link BestModelFiles}). After training, the candidate's native memory is released (workspaces destroyed, the
 * garbage collector run) before the next one is built. Never throws: every
 * outcome is returned as an {@link OptimizationResult} whose {@link CandidateInfo} is {@code Complete} (with a finite
 * score) or {@code Failed} (rejected or failed, score {@code null}), so Arbiter counts it and its termination
 * conditions hold. A result whose row cannot be appended to the results is returned as {@code FAILED}, saying what it
 * was and why it was not recorded (its staged best model deleted): unrecorded, it is tried again by the next run.
 */
final class CandidateTask implements Callable<OptimizationResult> {

    private static final Logger log = LoggerFactory.getLogger(CandidateTask.class);

    /**
     * What every candidate of one search shares. {@code sequence}: this run's candidates in their order (indexed by
     * candidate index, {@link CandidateSequence#of}); {@code outcomes} collects this run's results,
     * {@code reusedIndices} the indices of those reused from the results file, {@code unsaved} why the model of a
     * trained complete candidate that was the best so far was not saved, {@code networks} each candidate's network.
     */
    record Context(CandidatePlanner planner, DataSetIterator train, DataSetIterator validation, int epochs,
                   Objective objective, ResultsStore store, String setup, BestModelFiles bestFiles,
                   boolean saveBestModel, SearchFaults faults, List<CandidateValues> sequence,
                   List<CandidateResult> outcomes, Set<Integer> reusedIndices, Map<Integer, String> unsaved,
                   AtomicInteger trained, AtomicInteger resumed, Map<String, Optional<CandidateNetwork>> networks) {

        Context(CandidatePlanner planner, DataSetIterator train, DataSetIterator validation, int epochs,
                Objective objective, ResultsStore store, String setup, BestModelFiles bestFiles, boolean saveBestModel,
                SearchFaults faults, List<CandidateValues> sequence) {
            this(planner, train, validation, epochs, objective, store, setup, bestFiles, saveBestModel, faults,
                    List.copyOf(sequence), Collections.synchronizedList(new ArrayList<>()),
                    Collections.synchronizedSet(new HashSet<>()), new ConcurrentHashMap<>(), new AtomicInteger(),
                    new AtomicInteger(), new ConcurrentHashMap<>());
        }

        /** The network {@code values} build ({@link CandidatePlanner#network}), worked out once per candidate. */
        Optional<CandidateNetwork> networkOf(CandidateValues values) {
            return networks.computeIfAbsent(values.key(), key -> planner.network(values));
        }

        /** This run's results so far. */
        List<CandidateResult> outcomesSoFar() {
            synchronized (outcomes) {
                return List.copyOf(outcomes);
            }
        }

        /** Whether this run took {@code result} from the results file instead of training it. */
        boolean reused(CandidateResult result) {
            return reusedIndices.contains(result.index());
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
                    context.reusedIndices.add(index);
                    log.info("candidate #{} ({}) already trained in this setup: score {} (resumed, not redone)",
                            index, values, done.get().score());
                    CandidateResult d = done.get();
                    // It fits by this run's estimate, so it carries that one, not its row's (another estimator's).
                    yield new CandidateResult(index, values, planned.estimatedBytes(), planned.parameterCount(),
                            d.score(), d.seconds(), d.status(), d.message());
                }
                Optional<CandidateResult> twin = sameNetworkTrained(values);
                if (twin.isPresent()) {
                    CandidateResult t = twin.get();
                    log.info("candidate #{} ({}) builds the network of #{} ({}): its score {}, not trained again",
                            index, values, t.index(), t.values(), t.score());
                    yield recordAttempt(new CandidateResult(index, values, planned.estimatedBytes(),
                            planned.parameterCount(), t.score(), seconds(start), CandidateStatus.COMPLETE,
                            "the network of #" + t.index() + " (" + t.values() + "): its score, not trained again"));
                }
                CandidateResult trained = train(planned, start);
                // train() keeps the network and its arrays to itself: once it returns, nothing refers to them.
                releaseNativeMemory();
                context.faults.reached("released native memory after #" + index);
                yield trained;
            }
        };
    }

    /**
     * A complete result of this run whose candidate builds the same network as {@code values} ({@link
     * CandidateNetwork}): on the same setup, training it again would give the same score.
     */
    private Optional<CandidateResult> sameNetworkTrained(CandidateValues values) {
        Optional<CandidateNetwork> network = context.networkOf(values);
        if (network.isEmpty()) {
            return Optional.empty();
        }
        return context.outcomesSoFar().stream().filter(r -> r.scoreIfComplete().isPresent())
                .filter(r -> context.networkOf(r.values()).equals(network)).findFirst();
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

    /**
     * Records the outcome of this run's attempt at a candidate and returns it; when its row cannot be written, returns
     * that failure as the candidate's outcome instead ({@link CandidateStatus#FAILED}, unrecorded, so the next run on
     * the directory tries the candidate again).
     */
    private CandidateResult recordAttempt(CandidateResult result) {
        try {
            context.store.append(context.setup, result);
        } catch (RuntimeException e) {
            log.warn("candidate #{} ({}): its result could not be recorded", result.index(), result.values(), e);
            String outcome = result.status() + (Double.isNaN(result.score()) ? ""
                    : String.format(Locale.ROOT, " with score %.4f", result.score()))
                    + (result.message().isEmpty() ? "" : " (" + result.message() + ")");
            return new CandidateResult(result.index(), result.values(), result.estimatedBytes(), result.parameters(),
                    Double.NaN, result.seconds(), CandidateStatus.FAILED, outcome + ", but not recorded: "
                    + e.getMessage() + "; the next run on this directory tries it again");
        }
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
            fit(unet);
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
        boolean newBest = false;
        if (context.saveBestModel) {
            Optional<Rival> rival = beatenBy(result);
            newBest = rival.isEmpty() && stage(unet, result);
            if (rival.isPresent() && rival.get().toBeReused()) {
                Rival later = rival.get();
                log.info("candidate #{} is the best so far but not saved: #{} ({}) is to come, reusing the better"
                        + " score {} of an earlier run", index, later.index(), later.values(), later.score());
                context.unsaved.put(index, String.format(Locale.ROOT, "it was not saved, since #%d (%s) was to"
                        + " come, reusing the better score %.4f of an earlier run, but the search ended before it"
                        + " (time limit); run it again on this directory with more time", later.index(),
                        later.values(), later.score()));
            } else if (rival.isEmpty() && !newBest) {
                context.unsaved.put(index, "saving it failed (see the log); run the search again in a new output"
                        + " directory to train and save it");
            }
        }
        CandidateResult recorded = recordAttempt(result);
        if (recorded != result) {
            if (newBest) {
                context.bestFiles.discard(context.setup, result);
            }
            return recorded;
        }
        if (newBest) {
            try {
                context.bestFiles.install(context.setup, result);
                context.faults.reached("installed best model #" + index);
            } catch (IOException e) {
                log.warn("could not install the best model {}; the next run installs it", context.bestFiles.model(), e);
                context.unsaved.put(index, "installing it failed (see the log); the next run on this directory"
                        + " installs it");
            }
        }
        return result;
    }

    /**
     * Trains {@code unet} for the search's epochs, each from the start of the training data. An epoch-ordered
     * iterator (unet-data's, whose every {@code reset()} moves on to the next epoch's order and augmentation) is told
     * which epoch comes, as the {@code Trainer} does: every candidate trains on epochs 1 to {@code epochs}, whatever
     * its place in the search and whether the search was resumed, so that the candidates' scores compare.
     */
    private void fit(UNet unet) {
        for (int epoch = 1; epoch <= context.epochs; epoch++) {
            if (context.train instanceof EpochOrdered ordered) {
                ordered.beforeEpoch(epoch);
            }
            context.train.reset();
            // the loss averages over the configured input's pixels: a batch of another size fails the candidate
            int trainingEpoch = epoch;
            TrainingBatches.Checked batches = TrainingBatches.checked(unet.config(), context.train,
                    batch -> "search training batch " + batch + " of epoch " + trainingEpoch);
            try {
                ReleasingWorkspaces.applyToThisThread();
                unet.graph().fit(batches);
            } catch (RuntimeException e) {
                batches.throwIfRefused(e);
                throw e;
            }
            batches.throwIfRefused(null);
        }
    }

    /** A result that beats a candidate's: one of this run's so far, or one this run is still to reuse. */
    private record Rival(int index, CandidateValues values, double score, boolean toBeReused) {
    }

    /**
     * What beats {@code result} among this run's results, empty when nothing does: those are the results the search's
     * {@link SearchResult#best()} is taken from, so the model saved is the model of the best the search returns. This
     * run's results are its complete results so far, trained or reused, and those it is still to reuse: a later
     * candidate of its sequence that has a complete row of this setup and fits this run's budget. Rows this run does
     * not reuse (other spaces, rows superseded since) do not count. Of equal scores the earlier candidate is the best,
     * as in {@link #best}.
     */
    private Optional<Rival> beatenBy(CandidateResult result) {
        Optional<CandidateResult> incumbent = best(context.outcomesSoFar(), context.objective);
        if (incumbent.isPresent() && !context.objective.better(result.score(), incumbent.get().score())) {
            CandidateResult i = incumbent.get();
            return Optional.of(new Rival(i.index(), i.values(), i.score(), false));
        }
        for (int later = result.index() + 1; later < context.sequence.size(); later++) {
            CandidateValues values = context.sequence.get(later);
            Optional<CandidateResult> reusable = context.store.findComplete(context.setup, values)
                    .filter(r -> context.objective.better(r.score(), result.score()));
            if (reusable.isPresent() && context.planner.assess(later, values).fits()) {
                return Optional.of(new Rival(later, values, reusable.get().score(), true));
            }
        }
        return Optional.empty();
    }

    /**
     * Frees the native memory of the candidate just trained before the next is built: DL4J's workspaces of this
     * thread (the one that trained it), and, through the garbage collector, the arrays allocated outside them, which
     * are freed only when their Java objects are collected. Without it each candidate's peak adds to the next's.
     */
    private static void releaseNativeMemory() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
        System.gc();
    }

    /**
     * Stages the new best model; a failure to write it is logged and leaves the previous best in place and nothing
     * staged.
     */
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

    /** The best complete candidate with a finite score; of equal scores, the first. */
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
