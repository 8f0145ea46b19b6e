package io.github.mdunet.tuning.report;

import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.memory.MemoryBudget;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The search's results as a fixed-width console table, one row per candidate in index order. */
public final class ResultsTable {

    private ResultsTable() {
    }

    /** The table; the best candidate's row (if any) is marked with {@code *}. */
    public static String format(List<CandidateResult> results, int bestIndex) {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%-2s%5s %9s %-8s %-16s %-5s %12s %12s %8s %8s %-9s %s%n", "", "#",
                "midScale", "reduce", "upsample", "attn", "est. memory", "parameters", "score", "time s", "status",
                "message"));
        results.stream().sorted(Comparator.comparingInt(CandidateResult::index)).forEach(r -> table.append(
                String.format(Locale.ROOT, "%-2s%5d %9.3f %-8s %-16s %-5s %12s %,12d %8s %8.1f %-9s %s%n",
                        r.index() == bestIndex ? "*" : "", r.index(), r.values().midChannelScale(),
                        r.values().reduction(), r.values().upsample().name(), r.values().midAttention() ? "yes" : "no",
                        MemoryBudget.format(r.estimatedBytes()), r.parameters(),
                        Double.isNaN(r.score()) ? "-" : String.format(Locale.ROOT, "%.4f", r.score()), r.seconds(),
                        r.status(), r.message())));
        return table.toString();
    }
}
