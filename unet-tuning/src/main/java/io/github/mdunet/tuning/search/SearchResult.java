package io.github.mdunet.tuning.search;

import io.github.mdunet.tuning.candidate.CandidateResult;
import io.github.mdunet.tuning.candidate.CandidateStatus;
import io.github.mdunet.tuning.report.ResultsTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a search produced: every candidate (also those finished by an earlier, interrupted run), the best one and
 * the files written.
 *
 * @param candidates  every candidate, in index order
 * @param best        the best complete candidate; empty when none was trained (see {@link #message})
 * @param trained     candidates trained by this run (resumed ones excluded)
 * @param resumed     candidates found finished in the results file and not redone
 * @param resultsCsv  the results table
 * @param chart       the score-against-memory PNG
 * @param bestModel   the saved best model (with its configuration), when one was trained
 * @param message     a one-line summary, or why nothing was trained
 */
public record SearchResult(List<CandidateResult> candidates, Optional<CandidateResult> best, int trained, int resumed,
                           Path resultsCsv, Path chart, Optional<Path> bestModel, String message) {

    public SearchResult {
        candidates = List.copyOf(candidates);
    }

    public long count(CandidateStatus status) {
        return candidates.stream().filter(c -> c.status() == status).count();
    }

    /**
     * The best candidate.
     *
     * @throws IllegalStateException with {@link #message} when no candidate was trained (e.g. none fits the budget)
     */
    public CandidateResult bestOrThrow() {
        return best.orElseThrow(() -> new IllegalStateException(message));
    }

    /** The console table of every candidate, the best marked. */
    public String table() {
        return ResultsTable.format(candidates, best.map(CandidateResult::index).orElse(-1));
    }
}
