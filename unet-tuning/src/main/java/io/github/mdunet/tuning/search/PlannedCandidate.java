package io.github.mdunet.tuning.search;

/**
 * One candidate of a search before anything is built: its size, its estimated training memory and whether that fits
 * the budget.
 *
 * @param index          the candidate's number in the search (from 0, in generation order)
 * @param values         the searched values
 * @param fit            fits, over the budget, or invalid
 * @param parameterCount the network's parameter count (exact; 0 when invalid)
 * @param estimatedBytes estimated peak training memory at the plan's batch size (0 when invalid)
 * @param message        why it does not fit or is invalid; empty when it fits
 */
public record PlannedCandidate(int index, CandidateValues values, BudgetFit fit, long parameterCount,
                               long estimatedBytes, String message) {

    public PlannedCandidate {
        if (values == null || fit == null) {
            throw new IllegalArgumentException("PlannedCandidate.values and fit must be set but were " + values + ", "
                    + fit);
        }
        message = message == null ? "" : message;
    }

    public boolean fits() {
        return fit == BudgetFit.FITS;
    }
}
