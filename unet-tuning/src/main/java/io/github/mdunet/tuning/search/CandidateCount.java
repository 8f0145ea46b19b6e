package io.github.mdunet.tuning.search;

import io.github.mdunet.core.checks.Checks;
import java.util.OptionalInt;

/**
 * How many candidates a search plans, worked out here only: {@link CandidateSequence} cuts its sequence at
 * {@link #planned}, {@link CandidatePlanner#plan} reports {@link #cut} and {@link #available} as the plan's coverage,
 * and the Tune app takes its {@code --candidates} default from {@link #of(SearchSpace, SearchStrategy, OptionalInt)}.
 * A grid search plans its whole grid unless a limit cuts it; a random search draws the limit's number of candidates,
 * {@link #DEFAULT_RANDOM_CANDIDATES} when no limit is given, and never more than the space's distinct candidates.
 *
 * @param limit     the candidate limit, at least 1
 * @param available the candidates the space holds for the strategy, at least 1: the grid's points
 *                  ({@link SearchSpace#gridSize}), or the distinct candidates a random search can draw
 *                  ({@link SearchSpace#distinctCount})
 */
public record CandidateCount(int limit, int available) {

    /**
     * How many candidates a random search draws when {@link #of} is given no limit: the default of the Tune app and
     * of {@link UNetSearch.Builder#maxCandidates}.
     */
    public static final int DEFAULT_RANDOM_CANDIDATES = 9;

    public CandidateCount {
        Checks.atLeast("CandidateCount.limit", limit, 1);
        Checks.atLeast("CandidateCount.available", available, 1);
    }

    /**
     * The count of a search with {@code strategy} over {@code space}.
     *
     * @param maxCandidates the candidate limit, at least 1; empty for the strategy's default: the whole grid, or
     *                      {@link #DEFAULT_RANDOM_CANDIDATES} random draws
     */
    public static CandidateCount of(SearchSpace space, SearchStrategy strategy, OptionalInt maxCandidates) {
        maxCandidates.ifPresent(limit -> Checks.atLeast("maxCandidates", limit, 1));
        Checks.requireSet("strategy", strategy, SearchStrategy.class);
        return strategy.accept(new SearchStrategy.Visitor<>() {
            @Override
            public CandidateCount random(SearchStrategy.Random random) {
                return new CandidateCount(maxCandidates.orElse(DEFAULT_RANDOM_CANDIDATES), space.distinctCount());
            }

            @Override
            public CandidateCount grid(SearchStrategy.Grid grid) {
                int points = space.gridSize(grid.scaleSteps());
                return new CandidateCount(maxCandidates.orElse(points), points);
            }
        });
    }

    /** {@link #of(SearchSpace, SearchStrategy, OptionalInt)} with the limit {@code maxCandidates}, at least 1. */
    public static CandidateCount of(SearchSpace space, SearchStrategy strategy, int maxCandidates) {
        return of(space, strategy, OptionalInt.of(maxCandidates));
    }

    /**
     * How many candidates the search tries when time does not stop it first: the limit, or the space's candidates
     * when they are fewer (Arbiter's grid generator never tells the runner it is done; a random search never draws a
     * candidate twice).
     */
    public int planned() {
        return Math.min(limit, available);
    }

    /** Whether the limit leaves candidates of the space out. */
    public boolean cut() {
        return limit < available;
    }
}
