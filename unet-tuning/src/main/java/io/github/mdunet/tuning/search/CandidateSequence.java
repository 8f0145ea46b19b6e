package io.github.mdunet.tuning.search;

import io.github.mdunet.tuning.candidate.CandidateValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

/**
 * The candidates a search tries, in the order it tries them: Arbiter's generator for the strategy (grid in sequential
 * order, the mid scale changing fastest, then the reduction, upsampling and attention; or random with the strategy's
 * seed, a draw that repeats an earlier candidate replaced by another) over a {@link SearchSpace}, cut at the number of
 * candidates the search plans ({@link CandidateCount#planned}). {@link UNetSearch} runs the generator made here and
 * {@link CandidatePlanner#plan} lists what the same generator yields, so a plan and a search never disagree.
 */
public final class CandidateSequence {

    /** Draws a random search may spend on finding one new candidate before the space is taken to be exhausted. */
    private static final int MAX_DRAWS_PER_CANDIDATE = 100_000;

    private CandidateSequence() {
    }

    /**
     * The candidates of a search, in its order.
     *
     * @param maxCandidates the search's candidate limit, at least 1
     */
    public static List<CandidateValues> of(SearchSpace space, SearchStrategy strategy, int maxCandidates) {
        CandidateGenerator generator = generator(space, strategy);
        int length = CandidateCount.of(space, strategy, maxCandidates).planned();
        List<CandidateValues> candidates = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            candidates.add((CandidateValues) generator.getCandidate().getValue());
        }
        return List.copyOf(candidates);
    }

    /** A fresh Arbiter generator of the candidates; the same arguments always give the same sequence. */
    static CandidateGenerator generator(SearchSpace space, SearchStrategy strategy) {
        return strategy.accept(new SearchStrategy.Visitor<>() {
            @Override
            public CandidateGenerator random(SearchStrategy.Random random) {
                DistinctCandidates generator = new DistinctCandidates(space);
                generator.setRngSeed(random.seed());
                return generator;
            }

            @Override
            public CandidateGenerator grid(SearchStrategy.Grid grid) {
                return new GridSearchCandidateGenerator(space.toParameterSpace(), grid.scaleSteps(),
                        GridSearchCandidateGenerator.Mode.Sequential, null);
            }
        });
    }

    /**
     * Arbiter's random generator without repeats: a draw whose {@link CandidateValues#key} was drawn before (the same
     * network) is drawn again, so that every candidate slot of a search trains a network of its own; candidates are
     * numbered in the order they are returned. Ends when every distinct candidate was drawn.
     */
    private static final class DistinctCandidates extends RandomSearchGenerator {

        private final SearchSpace space;
        private final Set<String> drawn = new HashSet<>();

        DistinctCandidates(SearchSpace space) {
            super(space.toParameterSpace(), null);
            this.space = space;
        }

        @Override
        public boolean hasMoreCandidates() {
            return drawn.size() < space.distinctCount() && super.hasMoreCandidates();
        }

        @Override
        public Candidate getCandidate() {
            for (int draw = 0; draw < MAX_DRAWS_PER_CANDIDATE; draw++) {
                Candidate candidate = super.getCandidate();
                if (drawn.add(((CandidateValues) candidate.getValue()).key())) {
                    candidate.setIndex(drawn.size() - 1);
                    return candidate;
                }
            }
            throw new IllegalStateException("the random search drew no new candidate in " + MAX_DRAWS_PER_CANDIDATE
                    + " draws after " + drawn.size() + " distinct ones of " + space + "; ask for at most "
                    + drawn.size() + " candidates");
        }
    }
}
