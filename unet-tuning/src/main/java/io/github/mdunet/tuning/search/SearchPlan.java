package io.github.mdunet.tuning.search;

import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import io.github.mdunet.tuning.memory.MemoryBudget;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a search would do, worked out without building or training anything: every candidate it would try, in its
 * order, with its parameter count, its estimated training memory and whether that fits the budget, and how much of
 * the search space those candidates cover. Made by {@link CandidatePlanner#plan}.
 *
 * @param candidates   every candidate, in search order
 * @param batchSize    the batch size the memory was estimated for
 * @param budget       the budget the candidates were checked against
 * @param smallerBatch when no candidate fits: the largest smaller batch size at which the smallest one would
 * @param space        the search space the candidates come from
 * @param coverage     how many candidates the space holds and which of its values the candidates leave out
 */
public record SearchPlan(List<PlannedCandidate> candidates, int batchSize, MemoryBudget budget,
                         Optional<SmallerBatch> smallerBatch, SearchSpace space, Coverage coverage) {

    public SearchPlan {
        candidates = List.copyOf(candidates);
        if (smallerBatch == null) {
            throw new IllegalArgumentException("SearchPlan.smallerBatch must be set (Optional.empty() for none)");
        }
        if (space == null || coverage == null) {
            throw new IllegalArgumentException("SearchPlan.space and coverage must be set but were " + space + ", "
                    + coverage);
        }
    }

    /**
     * How much of its space a search tries: a candidate limit below the grid's size cuts the grid (in its order, the
     * mid scale changing fastest, so the slowest options, attention and upsampling, are the first left out), and a
     * random search draws some of the space's distinct candidates.
     *
     * @param count   the candidate limit and the candidates the space holds: the grid's points, or the distinct
     *                candidates a random search can draw
     * @param grid    whether the search is a grid search
     * @param untried each searched value that no candidate of the plan has, e.g. {@code "upsample bilinear"} (a
     *                random search's mid scales drawn from a range are not listed)
     */
    public record Coverage(CandidateCount count, boolean grid, List<String> untried) {

        public Coverage {
            if (count == null) {
                throw new IllegalArgumentException("SearchPlan.Coverage.count must be set (CandidateCount.of(space,"
                        + " strategy, maxCandidates)) but was null");
            }
            untried = List.copyOf(untried);
        }

        /** The candidate limit. */
        public int limit() {
            return count.limit();
        }

        /** The candidates the space holds for the search's strategy. */
        public int available() {
            return count.available();
        }

        /** Whether the limit leaves candidates of the space out. */
        public boolean cut() {
            return count.cut();
        }
    }

    /**
     * A batch size at which a candidate that is over the budget would fit.
     *
     * @param candidateIndex the candidate
     * @param batchSize      the largest batch size at which it fits
     * @param estimatedBytes its estimated training memory at that batch size
     */
    public record SmallerBatch(int candidateIndex, int batchSize, long estimatedBytes) {
    }

    /** The candidates that fit, in search order. */
    public List<PlannedCandidate> fitting() {
        return candidates.stream().filter(PlannedCandidate::fits).toList();
    }

    /** The candidate with the smallest estimate (invalid ones left out). */
    public Optional<PlannedCandidate> smallest() {
        return candidates.stream().filter(c -> c.fit() != BudgetFit.INVALID)
                .min(Comparator.comparingLong(PlannedCandidate::estimatedBytes));
    }

    /**
     * The warning for candidates that fit the budget but not under this process's native memory limit beside what
     * it holds, where the search would train them: they would likely stop with an out-of-memory error. Empty when
     * every fitting candidate fits, or without a limit.
     *
     * @param usedBytes   the process's resident memory now
     * @param limitBytes  JavaCPP's native memory limit ({@code Pointer.maxPhysicalBytes()}); 0 or less for none
     * @param budgetName  what the caller calls the budget, e.g. {@code "--budget"}
     */
    public Optional<String> nativeLimitWarning(long usedBytes, long limitBytes, String budgetName) {
        if (limitBytes <= 0) {
            return Optional.empty();
        }
        List<PlannedCandidate> over = fitting().stream()
                .filter(c -> usedBytes + c.estimatedBytes() > limitBytes).toList();
        if (over.isEmpty()) {
            return Optional.empty();
        }
        PlannedCandidate largest = over.stream().max(Comparator.comparingLong(PlannedCandidate::estimatedBytes))
                .orElseThrow();
        long room = Math.max(0, limitBytes - usedBytes);
        return Optional.of(String.format(Locale.ROOT, "warning: %d of the %d candidates that fit the budget need more"
                        + " than this process's native memory limit of %s leaves beside the %s it holds (largest: #%d,"
                        + " %s): they will likely stop with an out-of-memory error. Lower %s to %dm, or raise the limit"
                        + " if the machine has the memory (-D%s=...).", over.size(), fitting().size(),
                MemoryBudget.format(limitBytes), MemoryBudget.format(usedBytes), largest.index(),
                MemoryBudget.format(largest.estimatedBytes()), budgetName, room >> 20,
                NativeMemoryLimits.MAX_PHYSICAL_BYTES_PROPERTY));
    }

    /** The console table, one row per candidate in search order. */
    public String table() {
        return PlanTable.format(this);
    }

    /** {@link #summary(String)} naming the candidate limit {@code maxCandidates}, as {@link UNetSearch} calls it. */
    public String summary() {
        return summary("maxCandidates");
    }

    /**
     * A few sentences: how many candidates fit; when none does, what would; and when the candidate limit leaves part
     * of the space out, how much and which values, and the limit that covers a grid.
     *
     * @param limitName what the caller calls the candidate limit, e.g. {@code "--candidates"}
     */
    public String summary(String limitName) {
        return fitSummary() + coverageSummary(limitName);
    }

    private String fitSummary() {
        long fit = fitting().size();
        String head = String.format(Locale.ROOT, "%d of %d candidates fit the budget of %s at batch size %d", fit,
                candidates.size(), budget, batchSize);
        if (fit > 0 || candidates.isEmpty()) {
            return head + ".";
        }
        Optional<PlannedCandidate> smallest = smallest();
        if (smallest.isEmpty()) {
            return head + ": every candidate is invalid (see the table).";
        }
        PlannedCandidate s = smallest.get();
        String needs = String.format(Locale.ROOT, "%s; the smallest, #%d (%s), needs %s.", head, s.index(), s.values(),
                MemoryBudget.format(s.estimatedBytes()));
        return needs + smallerBatch.map(b -> String.format(Locale.ROOT, " At batch size %d it needs %s and fits.",
                        b.batchSize(), MemoryBudget.format(b.estimatedBytes())))
                .orElse(batchSize > 1 ? " It does not fit even at batch size 1: raise the budget or lower the input"
                        + " size." : " Raise the budget or lower the input size.");
    }

    private String coverageSummary(String limitName) {
        if (!coverage.cut()) {
            return "";
        }
        String untried = String.join("; ", coverage.untried());
        if (coverage.grid()) {
            return String.format(Locale.ROOT, " The candidate limit (%s %d) keeps the first %d of the grid's %,d"
                            + " points%s; %s %d covers the grid.", limitName, coverage.limit(), candidates.size(),
                    coverage.available(), untried.isEmpty() ? "" : ", so these are never tried: " + untried,
                    limitName, coverage.available());
        }
        return String.format(Locale.ROOT, " The random search draws %d of the space's %,d distinct candidates (%s"
                        + " %d)%s.", candidates.size(), coverage.available(), limitName, coverage.limit(),
                untried.isEmpty() ? "" : "; never drawn: " + untried);
    }
}
