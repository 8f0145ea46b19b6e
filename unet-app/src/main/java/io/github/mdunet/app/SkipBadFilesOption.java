package io.github.mdunet.app;

import io.github.mdunet.data.validate.BadSamplePolicy;
import picocli.CommandLine.Option;

/**
 * {@code --skip-bad-files}: whether an app skips the files it cannot use (and reports them) or stops at the first. A
 * picocli mixin, so that {@code train}, {@code evaluate} ({@link MaskFileOptions}) and {@code predict} word it alike.
 */
public final class SkipBadFilesOption {

    @Option(names = "--skip-bad-files", description = "Skip and report unreadable or inconsistent files instead of"
            + " stopping.")
    private boolean skipBadFiles;

    /** Whether {@code --skip-bad-files} was given. */
    public boolean skip() {
        return skipBadFiles;
    }

    /** What reading a folder does with a bad sample: skip and report it, or stop. */
    public BadSamplePolicy policy() {
        return skipBadFiles ? BadSamplePolicy.SKIP : BadSamplePolicy.FAIL;
    }
}
