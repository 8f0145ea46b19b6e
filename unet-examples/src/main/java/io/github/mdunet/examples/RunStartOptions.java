package io.github.mdunet.examples;

import io.github.mdunet.app.BadInputException;
import io.github.mdunet.app.RunFolder;
import io.github.mdunet.core.train.EarlierRun;
import io.github.mdunet.examples.report.TrainingCurves;
import io.github.mdunet.examples.report.TrainingReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What a training app does with an earlier run in its checkpoint folder, said explicitly: {@code --resume} continues
 * it (the trainer refuses changed settings), {@code --fresh} starts a new run after renaming the earlier run's
 * folder to {@code checkpoints-previous-<date>-<time>} and moving into it what the run wrote beside its checkpoints
 * (its report and evaluation for {@code train}, its pictures and curves for {@code superres}), so that nothing is
 * deleted or overwritten. With neither, an earlier run is refused with a message naming both. A picocli mixin.
 */
public final class RunStartOptions {

    @Option(names = "--resume", description = "Continue the run whose checkpoints are in the output folder (with the"
            + " same settings).")
    boolean resume;

    @Option(names = "--fresh", description = "Start a new run; an earlier run's checkpoints are moved to"
            + " " + RunFolder.CHECKPOINTS_SET_ASIDE + " beside them, the other files it wrote beside them (train:"
            + " " + TrainingReport.FILE_NAME + ", " + TrainingReports.EVALUATION + "/; superres: pictures/, "
            + TrainingCurves.FILE_NAME + ") into that folder; nothing is deleted.")
    boolean fresh;

    /** The earlier run that {@code --fresh} sets aside once the new run is ready to train. */
    private EarlierRun toSetAside;

    /** What the earlier run wrote beside its checkpoints, set aside with them. */
    private List<Path> outputsToSetAside = List.of();

    /** The earlier run that {@code --resume} continues; null for a run started here. */
    private EarlierRun toResume;

    /** The epochs the earlier run had finished when {@code --resume} continues it; 0 otherwise. */
    private int resumedAfterEpoch;

    /** Refuses both flags together, before anything is read. */
    public void check(CommandLine command) {
        if (resume && fresh) {
            throw new CommandLine.ParameterException(command, "--resume and --fresh contradict each other: give"
                    + " --resume to continue the earlier run, or --fresh to start a new one");
        }
    }

    /**
     * Checks, before any data is read, that the flags say what to do with what {@code checkpoints} holds.
     *
     * @param outputs the files and folders a run writes beside its checkpoints (its report, its evaluation): with
     *                {@code --fresh}, those of the earlier run are moved into its set-aside checkpoint folder
     * @throws CommandLine.ParameterException when the folder holds an earlier run and neither flag says what to do
     *                                        with it, or {@code --resume} finds nothing to resume
     */
    public void prepare(CommandLine command, Path checkpoints, List<Path> outputs) throws IOException {
        prepare(command, checkpoints, List.of(), outputs);
    }

    /**
     * As {@link #prepare(CommandLine, Path, List)} for a run of several stages that keeps its earlier stages'
     * checkpoints in the subfolders {@code stages} of {@code checkpoints} (fine-tuning's frozen stage): an earlier
     * run in any of them counts, and its epochs are counted over all stages.
     */
    void prepare(CommandLine command, Path checkpoints, List<String> stages, List<Path> outputs) throws IOException {
        Optional<EarlierRun> earlier = EarlierRun.in(checkpoints, stages);
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
            outputsToSetAside = List.copyOf(outputs);
        } else if (resume) {
            if (!run.resumable()) {
                throw new BadInputException("--resume: " + checkpoints + " holds " + run.describe() + ", which"
                        + " cannot be resumed; --fresh moves them aside and starts a new run");
            }
            toResume = run;
            resumedAfterEpoch = run.completedEpochs().orElseThrow(); // resumable: a readable state
            System.out.printf("Resuming the run in %s after epoch %d%n", checkpoints, resumedAfterEpoch);
        } else {
            throw new CommandLine.ParameterException(command, checkpoints + " holds " + run.describe() + ": give"
                    + " --resume to continue it, or --fresh to start a new run (the earlier files are moved to "
                    + checkpoints.getFileName() + EarlierRun.SET_ASIDE_SUFFIX + ", not deleted), or another --output");
        }
    }

    /**
     * After {@link #prepare}: the epochs of the run's history that earlier processes finished, when {@code --resume}
     * continues their run (the report keeps their time apart from this process's); 0 for a run started here.
     */
    public int resumedAfterEpoch() {
        return resumedAfterEpoch;
    }

    /**
     * After {@link #prepare}: the earlier run that {@code --resume} continues, for an app that checks its own options
     * against what the run's models record before anything is read; empty for a run started here.
     */
    public Optional<EarlierRun> resumedRun() {
        return Optional.ofNullable(toResume);
    }

    /**
     * With {@code --fresh}, moves the earlier run aside (its checkpoint folder renamed, its other outputs moved into
     * it): called once the data and the model are ready.
     */
    public void setAsideEarlierRun() throws IOException {
        if (toSetAside == null) {
            return;
        }
        Path moved = toSetAside.setAside();
        List<String> files = new ArrayList<>(toSetAside.files());
        for (Path output : outputsToSetAside) {
            if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
                String name = output.getFileName().toString();
                files.add(Files.isDirectory(output) ? name + "/" : name);
                Files.move(output, moved.resolve(name));
            }
        }
        System.out.printf("Starting afresh; the earlier run's files (%s) are now in %s%n", String.join(", ", files),
                moved);
        toSetAside = null;
        outputsToSetAside = List.of();
    }
}
