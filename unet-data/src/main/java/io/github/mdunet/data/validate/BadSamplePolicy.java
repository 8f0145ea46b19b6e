package io.github.mdunet.data.validate;

/** What to do with samples that fail validation. */
public enum BadSamplePolicy {
    /** Throw a {@link DatasetValidationException} listing every problem before training starts. */
    FAIL,
    /** Leave the bad samples out, log and report each; fail only when no usable sample is left. */
    SKIP
}
