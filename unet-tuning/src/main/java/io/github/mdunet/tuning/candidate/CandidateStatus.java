package io.github.mdunet.tuning.candidate;

/** What became of a search candidate. */
public enum CandidateStatus {
    /** Trained and scored. */
    COMPLETE,
    /** Its estimated training memory exceeds the budget: never built nor trained. */
    REJECTED,
    /** Building, training or scoring failed, or the score was not a number. */
    FAILED
}
