package io.github.mdunet.reference.torch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mdunet.reference.torch.data.Augmentation;
import io.github.mdunet.reference.torch.net.TorchRuntime;
import io.github.mdunet.reference.torch.npy.Npz;
import io.github.mdunet.reference.torch.spec.NetworkJson;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Recipe;
import io.github.mdunet.reference.torch.train.InitialWeights;
import io.github.mdunet.reference.torch.train.TrainRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: the recipe on image folders, once per seed, evaluated on a held-out folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the network with the recipe on DIR/images + DIR/masks for each seed, evaluate on the"
                + " held-out folder and write results.json.")
final class TrainCommand extends SpecCommand {

    @Mixin
    SegmentationFolders folders = new SegmentationFolders();

    @Option(names = "--seeds", split = ",", defaultValue = "1", description = "comma-separated seeds (default 1)")
    List<Long> seeds;

    @Option(names = "--augment", defaultValue = "none", description = "none | flips | flips-zoom (default none)")
    String augment;

    @Option(names = "--init", defaultValue = "own",
            description = "own (network.json's init schemes, seeded per seed) or an .npz of starting weights")
    String init;

    @Option(names = "--epochs", description = "override the recipe's epochs (for quick runs)")
    Integer epochs;

    @Option(names = "--out", required = true, description = "results.json to write")
    Path out;

    @Override
    void run(NetworkSpec spec, Recipe trainingRecipe, int threads) throws IOException {
        Recipe effectiveRecipe = epochs == null ? trainingRecipe : trainingRecipe.withEpochs(epochs);
        Augmentation augmentation = Augmentation.fromCli(augment);
        InitialWeights weights = init.equals("own") ? new InitialWeights.Drawn()
                : new InitialWeights.Given(init, Npz.read(Path.of(init)));
        SegmentationFolders.Loaded sets = folders.load(spec);
        System.out.printf("libtorch %s, %d threads; %d training and %d held-out images; augment %s; init %s%n",
                TorchRuntime.torchVersion(), threads, sets.train().size(), sets.heldout().size(),
                augmentation.cliName(), weights.describe());
        ObjectNode results = TrainRun.run(spec, effectiveRecipe, sets.train(), sets.heldout(), seeds, augmentation,
                weights, System.out);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        NetworkJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
        System.out.printf("mean IoU over %d seed(s): %s (sample std %s); wrote %s%n", seeds.size(),
                results.get("meanIoU").get("mean"), results.get("meanIoU").get("sampleStd"), out);
    }
}
