package io.github.mdunet.examples;

import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.train.TrainingResult;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.examples.evaluate.EvaluationFiles;
import io.github.mdunet.examples.evaluate.EvaluationResult;
import io.github.mdunet.examples.evaluate.FolderEvaluation;
import io.github.mdunet.examples.report.TrainingReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The end of a training app's run: the best model scored on the validation images (files in
 * {@value #EVALUATION}/) and the run's HTML report ({@value TrainingReport#FILE_NAME}) in the output folder.
 */
final class TrainingReports {

    static final String EVALUATION = "evaluation";
    static final int WORST_IMAGES = 8;
    private static final int OVERLAP = 16;

    private TrainingReports() {
    }

    /**
     * @param framing       how the validation images are seen: as the training images were
     * @param startNanos    {@link System#nanoTime()} when this process's run started
     * @param earlierEpochs the epochs earlier processes finished, when this one resumed their run; 0 otherwise
     * @return the report
     */
    static Path write(CommandSpec spec, Path output, TrainingResult result, List<SamplePair> validation,
                      MaskEncoding encoding, List<String> classNames, ImageFraming framing, long startNanos,
                      int earlierEpochs) throws IOException {
        UNet best = UNet.load(result.bestModel());
        EvaluationResult scores;
        EvaluationFiles.Pictures pictures;
        try {
            FolderEvaluation evaluation = new FolderEvaluation(best, encoding, OVERLAP, framing);
            scores = evaluation.evaluate(validation, classNames);
            pictures = EvaluationFiles.write(scores, evaluation, WORST_IMAGES, output.resolve(EVALUATION));
        } finally {
            best.graph().close(); // a second copy of the network: its memory back before the page is made
        }
        Path report = output.resolve(TrainingReport.FILE_NAME);
        new TrainingReport(spec.qualifiedName() + ": " + output, OptionValues.of(spec), result.model(), result,
                scores, pictures, (System.nanoTime() - startNanos) / 1e9, earlierEpochs).toHtml().write(report);
        return report;
    }
}
