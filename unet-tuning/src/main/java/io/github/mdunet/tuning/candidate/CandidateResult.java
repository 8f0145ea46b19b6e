package io.github.mdunet.tuning.candidate;

import java.util.OptionalDouble;

/**
 * One row of the search's results: a candidate, its estimated memory and what became of it.
 *
 * @param index          the candidate's number in the search (from 0, in generation order)
 * @param values         the searched values
 * @param estimatedBytes estimated peak training memory at the search's batch size
 * @param parameters     the network's parameter count (from the estimate: known also for rejected candidates)
 * @param score          the score (the search's {@code Objective}), NaN unless {@link CandidateStatus#COMPLETE}
 * @param seconds        wall time spent on the candidate (0 for rejected ones)
 * @param status         complete, rejected or failed
 * @param message        why it was rejected or failed; empty when complete
 */
public record CandidateResult(int index, CandidateValues values, long estimatedBytes, long parameters, double score,
                              double seconds, CandidateStatus status, String message) {

    public CandidateResult {
        message = message == null ? "" : message;
    }

    public OptionalDouble scoreIfComplete() {
        return status == CandidateStatus.COMPLETE && Double.isFinite(score) ? OptionalDouble.of(score)
                : OptionalDouble.empty();
    }
}
