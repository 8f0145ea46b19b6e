package io.github.mdunet.examples;

import io.github.mdunet.core.config.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.cpu.CpuAcceleration;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.ImageShape;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.pipeline.PairedDataSetIterator;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.tuning.memory.MemoryBudget;
import io.github.mdunet.tuning.memory.MemoryEstimator;
import io.github.mdunet.tuning.search.SearchResult;
import io.github.mdunet.tuning.search.SearchSpace;
import io.github.mdunet.tuning.search.SearchStrategy;
import io.github.mdunet.tuning.search.UNetSearch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.nd4j.linalg.learning.config.Adam;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A memory-bounded search over {@code midChannelScale} and the channel reduction on the synthetic shapes: every
 * candidate whose estimated training memory exceeds the budget is rejected without being trained.
 */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = "Searches midChannelScale x channel reduction on synthetic shapes under a memory budget.")
public final class Tune implements Callable<Integer> {

    @Option(names = "--budget", description = "Training memory budget, e.g. 24g, 900m (default: ${DEFAULT-VALUE}).")
    String budget = "1g";

    @Option(names = "--output", description = "Output folder; rerun with the same one to resume (default:"
            + " ${DEFAULT-VALUE}).")
    Path output = Path.of("output", "tune");

    @Option(names = "--strategy", description = "grid or random (default: ${DEFAULT-VALUE}).")
    String strategy = "grid";

    @Option(names = "--scale-steps", description = "Grid values of midChannelScale in [0.25, 2] (default:"
            + " ${DEFAULT-VALUE}).")
    int scaleSteps = 3;

    @Option(names = "--candidates", description = "At most this many candidates (default: ${DEFAULT-VALUE}).")
    int candidates = 9;

    @Option(names = "--minutes", description = "Start no candidate after this many minutes (default: ${DEFAULT-VALUE}).")
    int minutes = 30;

    @Option(names = "--epochs", description = "Training epochs per candidate (default: ${DEFAULT-VALUE}).")
    int epochs = 2;

    @Option(names = "--images", description = "Synthetic images, 20%% for validation (default: ${DEFAULT-VALUE}).")
    int images = 240;

    @Option(names = "--size", description = "Image height and width (default: ${DEFAULT-VALUE}).")
    int size = 64;

    @Option(names = "--batch", description = "Images per step (default: ${DEFAULT-VALUE}).")
    int batch = 16;

    public static void main(String[] args) {
        io.github.mdunet.core.nativememory.NativeMemoryLimits.raiseForApplication(); // before JavaCPP loads
        CpuAcceleration.configure();
        System.exit(new CommandLine(new Tune()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SegmentationDataset data = SegmentationDataset.open(SyntheticShapes.write(output.resolve("data"), images, size,
                1).withSplit(new Split.BySeed(0.2, 1)));
        UNetConfig base = UNetConfig.builder()
                .encoder(new ClassicEncoder(3, 16, Normalization.BATCH))
                .input(new ImageShape(3, size, size))
                .numClasses(SyntheticShapes.NUM_CLASSES)
                .updater(new Adam(2e-3))
                .build();
        SearchStrategy chosen = switch (strategy) {
            case "grid" -> new SearchStrategy.Grid(scaleSteps);
            case "random" -> new SearchStrategy.Random(1);
            default -> throw new CommandLine.ParameterException(new CommandLine(this),
                    "--strategy must be grid or random but was '" + strategy + "'");
        };
        System.out.printf(Locale.ROOT, "Base configuration, batch %d:%n%s%n", batch,
                new MemoryEstimator().estimate(base, batch).toTable());
        SearchResult result;
        try (PairedDataSetIterator train = data.trainIterator(PipelineConfig.training(base, batch, 1));
             PairedDataSetIterator validation = data.validationIterator(PipelineConfig.evaluation(base, batch))) {
            result = UNetSearch.builder()
                    .baseConfig(base)
                    .space(SearchSpace.defaults())
                    .strategy(chosen)
                    .budget(MemoryBudget.parse(budget))
                    .batchSize(batch)
                    .data(train, validation)
                    .epochs(epochs)
                    .maxCandidates(candidates)
                    .maxTime(Duration.ofMinutes(minutes))
                    .outputDirectory(output.resolve("search"))
                    .build()
                    .run();
        }
        System.out.println(result.table());
        System.out.println(result.message());
        System.out.println("results: " + result.resultsCsv().toAbsolutePath() + ", chart: "
                + result.chart().toAbsolutePath() + result.bestModel().map(p -> ", best model: " + p).orElse(""));
        return result.best().isPresent() ? 0 : 2;
    }
}
