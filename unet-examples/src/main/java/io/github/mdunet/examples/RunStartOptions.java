package io.github.mdunet.examples;

import io.github.mdunet.app.BadInputException;
import io.github.mdunet.core.train.EarlierRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What a training app does with an earlier run in its checkpoint folder, said explicitly: {@code --resume} continues
 * it (the trainer refuses changed settings), {@code --fresh} starts a new run after renaming the earlier run's
 * folder to {@code checkpoints-previous-<date>-<time>} (nothing is deleted). With neither, an earlier run is refused
 * with a message naming both. A picocli mixin.
 */
final class RunStartOptions {

    @Option(names = "--resume", description = "Continue the run whose checkpoints are in the output folder (with the"
            + " same settings).")
    boolean resume;

    @Option(names = "--fresh", description = "Start a new run; an earlier run's checkpoints are moved to"
            + " checkpoints-previous-<date>-<time> beside them, not deleted.")
    boolean fresh;

    /** The earlier run that {@code --fresh} sets aside once the new run is ready to train. */
    private EarlierRun toSetAside;

    /** Refuses both flags together, before anything is read. */
    void check(CommandLine command) {
        if (resume && fresh) {
            throw new CommandLine.ParameterException(command, "--resume and --fresh contradict each other: give"
                    + " --resume to continue the earlier run, or --fresh to start a new one");
        }
    }

    /**
     * Checks, before any data is read, that the flags say what to do with what {@code checkpoints} holds.
     *
     * @throws CommandLine.ParameterException when the folder holds an earlier run and neither flag says what to do
     *                                        with it, or {@code --resume} finds nothing to resume
     */
    void prepare(CommandLine command, Path checkpoints) throws IOException {
        Optional<EarlierRun> earlier = EarlierRun.in(checkpoints);
        if (earlier.isEmpty()) {
            if (resume) {
                throw new CommandLine.ParameterException(command, "--resume: " + checkpoints + " holds no run to"
                        + " resume; drop --resume to start one (or point --output at the earlier run's folder)");
            }
            return;
        }
        EarlierRun run = earlier.get();
        if (fresh) {
            toSetAside = run;
        } else if (resume) {
            if (!run.resumable()) {
                throw new BadInputException("--resume: " + checkpoints + " holds " + run.describe() + ", which"
                        + " cannot be resumed; --fresh moves them aside and starts a new run");
            }
            System.out.printf("Resuming the run in %s after epoch %d%n", checkpoints, run.completedEpochs());
        } else {
            throw new CommandLine.ParameterException(command, checkpoints + " holds " + run.describe() + ": give"
                    + " --resume to continue it, or --fresh to start a new run (the earlier files are moved to "
                    + checkpoints.getFileName() + "-previous-<date>-<time>, not deleted), or another --output");
        }
    }

    /** With {@code --fresh}, moves the earlier run aside: called once the data and the model are ready. */
    void setAsideEarlierRun() throws IOException {
        if (toSetAside != null) {
            Path moved = toSetAside.setAside();
            System.out.printf("Starting afresh; the earlier run's files (%s) are now in %s%n",
                    String.join(", ", toSetAside.files()), moved);
            toSetAside = null;
        }
    }
}
