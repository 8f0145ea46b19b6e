package io.github.mdunet.tuning.search;

/** How candidates are generated: Arbiter's random search or its grid search. */
public sealed interface SearchStrategy {

    /** Calls the visitor's method for this strategy; a new strategy fails to compile until every visitor has it. */
    <R> R accept(Visitor<R> visitor);

    /**
     * Arbiter's {@code RandomSearchGenerator}: uniform over the mid-scale range (or among explicit mid scales) and
     * the listed values; a draw that repeats an earlier candidate is replaced ({@link CandidateSequence}), so a
     * search tries at most {@link SearchSpace#distinctCount} candidates.
     *
     * @param seed the generator's seed: the same seed gives the same candidates (which is what resuming relies on)
     */
    record Random(long seed) implements SearchStrategy {
        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.random(this);
        }
    }

    /**
     * Arbiter's {@code GridSearchCandidateGenerator} in sequential order (see {@link CandidateSequence}).
     *
     * @param scaleSteps values of the mid scale, evenly spaced from min to max, when the space gives a
     *                   {@link MidChannelScales.Range}, at least 2; a space with {@link MidChannelScales.Values} tries
     *                   exactly those values and ignores it
     */
    record Grid(int scaleSteps) implements SearchStrategy {
        public Grid {
            if (scaleSteps < 2) {
                // Arbiter's grid generator fails on a one-value discretisation of a continuous range.
                throw new IllegalArgumentException("Grid.scaleSteps must be >= 2 but was " + scaleSteps
                        + "; for a single midChannelScale give the search space equal minimum and maximum, or"
                        + " explicit values (MidChannelScales.Values)");
            }
        }

        @Override
        public <R> R accept(Visitor<R> visitor) {
            return visitor.grid(this);
        }
    }

    /** One method per strategy. */
    interface Visitor<R> {
        R random(Random strategy);

        R grid(Grid strategy);
    }
}
