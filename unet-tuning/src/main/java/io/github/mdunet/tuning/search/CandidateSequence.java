package io.github.mdunet.tuning.search;

import io.github.mdunet.core.checks.Checks;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

/**
 * The candidates a search tries, in the order it tries them: Arbiter's generator for the strategy (grid in sequential
 * order, the mid scale changing fastest, then the reduction, upsampling and attention; or random with the strategy's
 * seed) over a {@link SearchSpace}, cut at the candidate limit. {@link UNetSearch} runs the generator made here and
 * {@link CandidatePlanner#plan} lists what the same generator yields, so a plan and a search never disagree.
 */
public final class CandidateSequence {

    private CandidateSequence() {
    }

    /**
     * The candidates of a search, in its order.
     *
     * @param maxCandidates the search's candidate limit, at least 1
     */
    public static List<CandidateValues> of(SearchSpace space, SearchStrategy strategy, int maxCandidates) {
        CandidateGenerator generator = generator(space, strategy);
        int length = length(space, strategy, maxCandidates);
        List<CandidateValues> candidates = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            candidates.add((CandidateValues) generator.getCandidate().getValue());
        }
        return List.copyOf(candidates);
    }

    /**
     * How many candidates a search with this limit tries when time does not stop it first: the limit, or the grid's
     * size when that is smaller (Arbiter's grid generator never tells the runner it is done).
     */
    public static int length(SearchSpace space, SearchStrategy strategy, int maxCandidates) {
        Checks.atLeast("maxCandidates", maxCandidates, 1);
        return strategy instanceof SearchStrategy.Grid grid ? Math.min(maxCandidates, space.gridSize(grid.scaleSteps()))
                : maxCandidates;
    }

    /** A fresh Arbiter generator of the candidates; the same arguments always give the same sequence. */
    static CandidateGenerator generator(SearchSpace space, SearchStrategy strategy) {
        if (strategy instanceof SearchStrategy.Grid grid) {
            return new GridSearchCandidateGenerator(space.toParameterSpace(), grid.scaleSteps(),
                    GridSearchCandidateGenerator.Mode.Sequential, null);
        }
        // The only other permitted strategy: a new one fails here, loudly, instead of falling through.
        SearchStrategy.Random random = (SearchStrategy.Random) strategy;
        RandomSearchGenerator generator = new RandomSearchGenerator(space.toParameterSpace(), null);
        generator.setRngSeed(random.seed());
        return generator;
    }
}
