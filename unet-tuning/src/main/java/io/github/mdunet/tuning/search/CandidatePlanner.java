package io.github.mdunet.tuning.search;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.tuning.candidate.CandidateValues;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimate;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides, before anything is built, what a search does with each candidate: applies its values to the base
 * configuration, estimates the training memory ({@link MemoryEstimator}: graph configuration and DL4J's memory
 * reports, no parameter or activation allocated) and checks it against the budget. {@link UNetSearch} asks it about
 * each candidate as it comes; {@link #plan} asks it about every candidate of a search at once.
 *
 * @param base      every field that is not searched (encoder, input, classes, updater, data type, ...)
 * @param batchSize the mini-batch size the memory is estimated for, at least 1
 * @param budget    the training memory budget
 * @param estimator the memory estimator
 */
public record CandidatePlanner(UNetConfig base, int batchSize, MemoryBudget budget, MemoryEstimator estimator) {

    public CandidatePlanner {
        if (base == null || budget == null || estimator == null) {
            throw new IllegalArgumentException("CandidatePlanner.base, budget and estimator must be set but were "
                    + base + ", " + budget + ", " + estimator);
        }
        Checks.atLeast("CandidatePlanner.batchSize", batchSize, 1);
    }

    /** One candidate's size, estimated training memory and fit. Never throws for a bad configuration: INVALID. */
    public PlannedCandidate assess(int index, CandidateValues values) {
        MemoryEstimate estimate;
        try {
            estimate = estimator.estimate(values.applyTo(base), batchSize);
        } catch (RuntimeException e) {
            return new PlannedCandidate(index, values, BudgetFit.INVALID, 0, 0,
                    "invalid configuration: " + e.getMessage(), List.of());
        }
        if (!budget.fits(estimate)) {
            return new PlannedCandidate(index, values, BudgetFit.OVER_BUDGET, estimate.parameterCount(),
                    estimate.total(), "needs " + MemoryBudget.format(estimate.total()) + ", budget " + budget,
                    estimate.calibrationNotes());
        }
        return new PlannedCandidate(index, values, BudgetFit.FITS, estimate.parameterCount(), estimate.total(), "",
                estimate.calibrationNotes());
    }

    /** The network {@code values} build from the base; empty when they build none (an invalid configuration). */
    Optional<CandidateNetwork> network(CandidateValues values) {
        try {
            return Optional.of(new CandidateNetwork(UNet.plan(values.applyTo(base)), values.upsample().name(),
                    values.midAttention()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Every candidate the search over {@code space} with {@code strategy} and {@code maxCandidates} would try, in its
     * order ({@link CandidateSequence}), assessed, and how much of the space they cover. When none fits, the plan also
     * says at which smaller batch size the smallest candidate would.
     */
    public SearchPlan plan(SearchSpace space, SearchStrategy strategy, int maxCandidates) {
        List<CandidateValues> sequence = CandidateSequence.of(space, strategy, maxCandidates);
        List<PlannedCandidate> candidates = new ArrayList<>(sequence.size());
        Map<CandidateNetwork, Integer> firstOfNetwork = new HashMap<>();
        for (int i = 0; i < sequence.size(); i++) {
            int index = i;
            PlannedCandidate candidate = assess(index, sequence.get(index));
            Integer first = candidate.fits() ? network(candidate.values())
                    .map(network -> firstOfNetwork.putIfAbsent(network, index)).orElse(null) : null;
            candidates.add(first == null ? candidate : candidate.trainedAs(first));
        }
        Optional<SearchPlan.SmallerBatch> smallerBatch = Optional.empty();
        if (candidates.stream().noneMatch(PlannedCandidate::fits)) {
            smallerBatch = candidates.stream().filter(c -> c.fit() == BudgetFit.OVER_BUDGET)
                    .min(Comparator.comparingLong(PlannedCandidate::estimatedBytes))
                    .flatMap(this::largestFittingBatch);
        }
        return new SearchPlan(candidates, batchSize, budget, smallerBatch, space,
                coverage(space, strategy, CandidateCount.of(space, strategy, maxCandidates), sequence));
    }

    /**
     * How much of {@code space} the candidates {@code kept} cover: a grid's values are those of its every point, a
     * random search's those of the space (a mid-scale range is drawn from, not listed).
     */
    static SearchPlan.Coverage coverage(SearchSpace space, SearchStrategy strategy, CandidateCount count,
                                        List<CandidateValues> kept) {
        boolean grid = strategy instanceof SearchStrategy.Grid;
        List<String> untried = new ArrayList<>();
        if (count.cut()) {
            List<CandidateValues> every = grid ? CandidateSequence.of(space, strategy, count.available()) : List.of();
            List<Double> scales = grid ? every.stream().map(CandidateValues::midChannelScale).toList()
                    : space.midChannelScales() instanceof MidChannelScales.Values values ? values.values() : List.of();
            untried("mid scale", scales, kept.stream().map(CandidateValues::midChannelScale).toList(),
                    scale -> String.format(Locale.ROOT, "%.3f", scale), untried);
            untried("reduction", space.reductions(), kept.stream().map(CandidateValues::reduction).toList(),
                    ChannelReduction::name, untried);
            untried("upsample", space.upsampleModes().stream().map(UpsampleMode::name).toList(),
                    kept.stream().map(c -> c.upsample().name()).toList(), name -> name, untried);
            untried("mid attention", space.midAttention(), kept.stream().map(CandidateValues::midAttention).toList(),
                    String::valueOf, untried);
        }
        return new SearchPlan.Coverage(count, grid, untried);
    }

    /** Adds {@code "what v1, v2"} to {@code untried} for the values of {@code all} that {@code tried} lacks. */
    private static <T> void untried(String what, List<T> all, List<T> tried, Function<T, String> format,
                                    List<String> untried) {
        Set<String> triedText = tried.stream().map(format).collect(Collectors.toSet());
        List<String> missing = all.stream().map(format).distinct().filter(v -> !triedText.contains(v)).toList();
        if (!missing.isEmpty()) {
            untried.add(what + " " + String.join(", ", missing));
        }
    }

    /**
     * The largest batch size below this planner's at which {@code candidate} fits, found by bisection (training
     * memory grows with the batch size); empty when it does not fit even at batch size 1.
     */
    private Optional<SearchPlan.SmallerBatch> largestFittingBatch(PlannedCandidate candidate) {
        UNetConfig config = candidate.values().applyTo(base);
        int low = 0;
        long lowBytes = 0;
        int high = batchSize;
        while (high - low > 1) {
            int middle = (low + high) >>> 1;
            long bytes = estimator.estimate(config, middle).total();
            if (bytes <= budget.bytes()) {
                low = middle;
                lowBytes = bytes;
            } else {
                high = middle;
            }
        }
        return low == 0 ? Optional.empty()
                : Optional.of(new SearchPlan.SmallerBatch(candidate.index(), low, lowBytes));
    }
}
