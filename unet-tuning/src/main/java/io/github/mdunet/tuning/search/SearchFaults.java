package io.github.mdunet.tuning.search;

/**
 * Called at each step of recording a candidate, installing the best model and releasing a trained candidate's native
 * memory, so tests can watch there or stop the search by throwing (production code uses {@link #NONE}).
 */
@FunctionalInterface
interface SearchFaults {

    /** Does nothing. */
    SearchFaults NONE = point -> {
    };

    /** The search has just done {@code point}, e.g. {@code "recorded #3"}. */
    void reached(String point);
}
