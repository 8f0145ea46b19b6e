package io.github.mdunet.tuning.search;

import io.github.mdunet.tuning.candidate.CandidateValues;
import java.util.List;
import java.util.OptionalInt;

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
 * @param calibrationNotes how the candidate differs from the configurations the estimate was calibrated on, and
 *                         why its estimate was raised for an error the calibration measured
 *                         ({@code MemoryEstimate.calibrationNotes()}); empty within the calibration or when invalid
 * @param sameNetworkAs    an earlier candidate of the plan that builds the same network ({@link CandidateNetwork}),
 *                         whose score the search gives this one without training it; empty for most
 */
public record PlannedCandidate(int index, CandidateValues values, BudgetFit fit, long parameterCount,
                               long estimatedBytes, String message, List<String> calibrationNotes,
                               OptionalInt sameNetworkAs) {

    public PlannedCandidate {
        if (values == null || fit == null) {
            throw new IllegalArgumentException("PlannedCandidate.values and fit must be set but were " + values + ", "
                    + fit);
        }
        message = message == null ? "" : message;
        calibrationNotes = calibrationNotes == null ? List.of() : List.copyOf(calibrationNotes);
        sameNetworkAs = sameNetworkAs == null ? OptionalInt.empty() : sameNetworkAs;
    }

    /** A candidate that builds nothing another one builds. */
    public PlannedCandidate(int index, CandidateValues values, BudgetFit fit, long parameterCount, long estimatedBytes,
                            String message, List<String> calibrationNotes) {
        this(index, values, fit, parameterCount, estimatedBytes, message, calibrationNotes, OptionalInt.empty());
    }

    /** This candidate, building the network of candidate {@code first}. */
    PlannedCandidate trainedAs(int first) {
        return new PlannedCandidate(index, values, fit, parameterCount, estimatedBytes, message, calibrationNotes,
                OptionalInt.of(first));
    }

    public boolean fits() {
        return fit == BudgetFit.FITS;
    }
}
