package io.github.mdunet.tuning.search;

import io.github.mdunet.tuning.memory.MemoryBudget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A {@link SearchPlan} as a fixed-width console table, one row per candidate in search order. The upsampling and
 * attention columns appear when the search space varies them (even when the candidate limit keeps candidates of one
 * value only: the column then shows that the other values are not tried).
 */
final class PlanTable {

    private PlanTable() {
    }

    static String format(SearchPlan plan) {
        boolean upsample = plan.space().upsampleModes().size() > 1;
        boolean attention = plan.space().midAttention().size() > 1;
        String budgetColumn = "budget " + plan.budget();
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%5s %9s %-8s", "#", "midScale", "reduce"));
        if (upsample) {
            table.append(String.format(Locale.ROOT, " %-16s", "upsample"));
        }
        if (attention) {
            table.append(String.format(Locale.ROOT, " %-5s", "attn"));
        }
        table.append(String.format(Locale.ROOT, " %14s %12s  %s%n", "parameters", "est. memory", budgetColumn));
        for (PlannedCandidate c : plan.candidates()) {
            table.append(String.format(Locale.ROOT, "%5d %9.3f %-8s", c.index(), c.values().midChannelScale(),
                    c.values().reduction()));
            if (upsample) {
                table.append(String.format(Locale.ROOT, " %-16s", c.values().upsample().name()));
            }
            if (attention) {
                table.append(String.format(Locale.ROOT, " %-5s", c.values().midAttention() ? "yes" : "no"));
            }
            boolean invalid = c.fit() == BudgetFit.INVALID;
            table.append(String.format(Locale.ROOT, " %14s %12s  %s%n",
                    invalid ? "-" : String.format(Locale.ROOT, "%,d", c.parameterCount()),
                    invalid ? "-" : MemoryBudget.format(c.estimatedBytes()) + (c.calibrationNotes().isEmpty() ? ""
                            : "*"), verdict(c)));
        }
        return table.append(notes(plan)).toString();
    }

    /**
     * Under the table: each calibration note once (an encoder, input size or feature outside the calibration, or an
     * estimate raised for the error the calibration measured), with the candidates (marked {@code *}) it concerns.
     */
    private static String notes(SearchPlan plan) {
        Map<String, List<Integer>> candidatesByNote = new LinkedHashMap<>();
        for (PlannedCandidate c : plan.candidates()) {
            c.calibrationNotes().forEach(note -> candidatesByNote.computeIfAbsent(note, n -> new ArrayList<>())
                    .add(c.index()));
        }
        if (candidatesByNote.isEmpty()) {
            return "";
        }
        StringBuilder notes = new StringBuilder("* estimated outside the memory calibration, or raised for an error it"
                + " measured:\n");
        candidatesByNote.forEach((note, indices) -> notes.append("  #").append(indices.stream().map(String::valueOf)
                .collect(Collectors.joining(", #"))).append(": ").append(note).append('\n'));
        return notes.toString();
    }

    private static String verdict(PlannedCandidate candidate) {
        return switch (candidate.fit()) {
            case FITS -> "fits" + (candidate.sameNetworkAs().isPresent() ? ", the network of #"
                    + candidate.sameNetworkAs().getAsInt() + ": takes its score, not trained again" : "");
            case OVER_BUDGET -> "does not fit";
            case INVALID -> "invalid: " + candidate.message();
        };
    }
}
