package io.github.mdunet.examples;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.data.synthetic.ClassBalance;
import io.github.mdunet.data.synthetic.TexturedScenes;
import io.github.mdunet.data.synthetic.TexturedScenesConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes the textured-scenes benchmark ({@link TexturedScenes}: grass, cells and waves objects on textured
 * backgrounds, 4 classes) as {@code OUT/train} and {@code OUT/heldout} folders of images and class-id masks, and
 * prints each subset's share of pixels per class.
 */
@Command(name = "generate-benchmark-data", mixinStandardHelpOptions = true,
        description = "Writes the textured-scenes segmentation benchmark (4 classes: background, grass, cells, waves)"
                + " to OUT/train and OUT/heldout, and prints the pixel share of each class.")
public final class GenerateBenchmarkData extends AppCommand {

    @Option(names = "--out", description = "Output folder; its train/ and heldout/ must be missing or empty.")
    Path out = Path.of("data", "textured-benchmark");

    @Option(names = "--seed", description = "Seed; the same seed writes the same files.")
    long seed = TexturedScenesConfig.DEFAULT_SEED;

    @Option(names = "--train", description = "Training images.")
    int train = TexturedScenesConfig.DEFAULT_TRAIN_IMAGES;

    @Option(names = "--heldout", description = "Held-out images, 0 for none.")
    int heldout = TexturedScenesConfig.DEFAULT_HELDOUT_IMAGES;

    @Option(names = "--width", description = "Image width.")
    int width = TexturedScenesConfig.DEFAULT_WIDTH;

    @Option(names = "--height", description = "Image height.")
    int height = TexturedScenesConfig.DEFAULT_HEIGHT;

    public static void main(String[] args) {
        // No NativeMemoryLimits.raiseForApplication() here, unlike the other apps: this one is pure Java and never
        // loads JavaCPP, so there are no native limits to raise.
        System.exit(CommandLines.of(new GenerateBenchmarkData()).execute(args));
    }

    @Override
    public Integer call() {
        // Checked here, by option name: the config's own messages name its fields (TexturedScenesConfig.width).
        OptionChecks.atLeast(commandLine(), "--width", width, TexturedScenesConfig.MIN_SIDE, "the smallest objects"
                + " must still cover a few pixels; default " + TexturedScenesConfig.DEFAULT_WIDTH);
        OptionChecks.atLeast(commandLine(), "--height", height, TexturedScenesConfig.MIN_SIDE, "the smallest objects"
                + " must still cover a few pixels; default " + TexturedScenesConfig.DEFAULT_HEIGHT);
        OptionChecks.atLeast(commandLine(), "--train", train, 1, "a dataset to train on needs an image");
        OptionChecks.atLeast(commandLine(), "--heldout", heldout, 0, "0 writes no held-out folder");
        OptionChecks.outputFolder(commandLine(), "--out", out);
        TexturedScenesConfig config = new TexturedScenesConfig(seed, width, height, train, heldout);
        Optional<Path> occupied = TexturedScenes.occupiedFolder(out);
        if (occupied.isPresent()) {
            throw usage("--out " + out + ": " + occupied.get() + " is not empty, and a dataset written over it would"
                    + " keep the earlier files that this run does not rewrite: choose another --out or remove "
                    + occupied.get());
        }
        long start = System.nanoTime();
        TexturedScenes.Written written = TexturedScenes.write(config, out);
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter console = commandLine().getOut();
        console.printf(Locale.ROOT, "Wrote %d training and %d held-out images of %d x %d (seed %d) to %s in %.1f s%n",
                config.trainImages(), config.heldoutImages(), config.width(), config.height(), config.seed(),
                out.toAbsolutePath().normalize(), seconds);
        console.println("Pixel share per class:");
        printBalance(console, "train", written.train());
        if (config.heldoutImages() > 0) {
            printBalance(console, "heldout", written.heldout());
        }
        console.printf(Locale.ROOT, "Train on it with: --data %s --classes %d%n",
                out.resolve(TexturedScenes.Subset.TRAIN.folder()), TexturedScenes.NUM_CLASSES);
        console.flush();
        return 0;
    }

    private static void printBalance(PrintWriter console, String subset, ClassBalance balance) {
        console.printf(Locale.ROOT, "  %-8s %s%n", subset, balance.describe());
    }
}
