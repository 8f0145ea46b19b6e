package io.github.mdunet.tuning.search;

import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.report.PlanTable;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a search would do, worked out without building or training anything: every candidate it would try, in its
 * order, with its parameter count, its estimated training memory and whether that fits the budget. Made by
 * {@link CandidatePlanner#plan}.
 *
 * @param candidates   every candidate, in search order
 * @param batchSize    the batch size the memory was estimated for
 * @param budget       the budget the candidates were checked against
 * @param smallerBatch when no candidate fits: the largest smaller batch size at which the smallest one would
 */
public record SearchPlan(List<PlannedCandidate> candidates, int batchSize, MemoryBudget budget,
                         Optional<SmallerBatch> smallerBatch) {

    public SearchPlan {
        candidates = List.copyOf(candidates);
        if (smallerBatch == null) {
            throw new IllegalArgumentException("SearchPlan.smallerBatch must be set (Optional.empty() for none)");
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

    /** The console table, one row per candidate in search order. */
    public String table() {
        return PlanTable.format(this);
    }

    /** One or two sentences: how many candidates fit, and when none does, what would. */
    public String summary() {
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
}
