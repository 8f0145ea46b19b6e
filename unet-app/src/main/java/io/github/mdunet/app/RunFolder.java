package io.github.mdunet.app;

import io.github.mdunet.core.train.EarlierRun;
import java.nio.file.Path;

/**
 * Where a training app keeps its run in its output folder ({@code --output}): the checkpoints in {@value #CHECKPOINTS},
 * which {@code --fresh} renames to {@value #CHECKPOINTS_SET_ASIDE} ({@link EarlierRun#setAside}).
 */
public final class RunFolder {

    /** The folder of the run's checkpoints, in the app's output folder. */
    public static final String CHECKPOINTS = "checkpoints";

    /** Where an earlier run's checkpoints are set aside, as messages name it. */
    public static final String CHECKPOINTS_SET_ASIDE = CHECKPOINTS + EarlierRun.SET_ASIDE_SUFFIX;

    private RunFolder() {
    }

    /** The checkpoint folder of the run whose output folder is {@code output}. */
    public static Path checkpoints(Path output) {
        return output.resolve(CHECKPOINTS);
    }
}
