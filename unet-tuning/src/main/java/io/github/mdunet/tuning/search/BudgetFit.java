package io.github.mdunet.tuning.search;

/** Whether a candidate's estimated training memory fits the search's budget. */
public enum BudgetFit {
    /** The estimate is within the budget: the search trains it. */
    FITS,
    /** The estimate exceeds the budget: the search rejects it without building it. */
    OVER_BUDGET,
    /** The configuration cannot be planned (e.g. an input smaller than the encoder's stride): nothing to estimate. */
    INVALID
}
