package io.github.mdunet.examples.parity;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.train.LearningRateSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The step-by-step check: runs this project's trainer on a case written by {@link ExportReference} (initial model,
 * fixed batches, recipe), writes its trace as {@code project.npz}, and when the reference's
 * {@code expected.npz} is there, prints how far apart they are ({@link StepComparison}).
 */
@Command(name = "compare-steps", mixinStandardHelpOptions = true,
        description = "Runs the trainer on a reference case and compares it with the PyTorch reference's steps.")
public final class CompareSteps extends AppCommand {

    @Option(names = "--case", required = true, description = "Directory written by export-reference --steps K.")
    Path caseDirectory;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new CompareSteps()));
    }

    /** Runs the trainer on the case and returns its trace ({@link StepTrace}). */
    public static Map<String, INDArray> trace(Path caseDirectory) throws Exception {
        UNet unet = UNet.load(CaseFile.MODEL.in(caseDirectory));
        var batches = ReferenceCase.readBatches(caseDirectory, unet.config().numClasses());
        Path work = Files.createTempDirectory("compare-steps");
        return StepTrace.run(unet, batches, schedule(CaseFile.RECIPE.in(caseDirectory)), work);
    }

    static LearningRateSchedule.OneCycle schedule(Path recipe) throws Exception {
        JsonNode schedule = new ObjectMapper().readTree(recipe.toFile()).path(ReferenceCase.SCHEDULE);
        JsonNode type = schedule.path(ReferenceCase.SCHEDULE_TYPE);
        if (!ReferenceCase.ONE_CYCLE.equals(type.asText())) {
            throw new IllegalArgumentException(recipe + ": " + ReferenceCase.SCHEDULE + "."
                    + ReferenceCase.SCHEDULE_TYPE + " must be " + ReferenceCase.ONE_CYCLE + " but was " + type);
        }
        return new LearningRateSchedule.OneCycle(schedule.path(ReferenceCase.WARMUP_FRACTION).asDouble(),
                schedule.path(ReferenceCase.START_DIVISOR).asDouble(),
                schedule.path(ReferenceCase.END_DIVISOR).asDouble());
    }

    @Override
    public Integer call() throws Exception {
        Map<String, INDArray> trace = trace(caseDirectory);
        ReferenceTensors.writeNpz(CaseFile.PROJECT.in(caseDirectory), trace);
        Path expected = CaseFile.EXPECTED.in(caseDirectory);
        if (!Files.isRegularFile(expected)) {
            System.out.println("Wrote " + CaseFile.PROJECT.in(caseDirectory) + "; no " + expected
                    + " to compare with yet (run the reference's steps mode).");
            return 0;
        }
        System.out.print(StepComparison.toTable(StepComparison.compare(trace, ReferenceTensors.readNpz(expected))));
        return 0;
    }
}
