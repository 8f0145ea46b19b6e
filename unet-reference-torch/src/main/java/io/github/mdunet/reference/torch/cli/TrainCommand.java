package io.github.mdunet.reference.torch.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mdunet.reference.torch.data.Augmentation;
import io.github.mdunet.reference.torch.data.SegmentationFolder;
import io.github.mdunet.reference.torch.data.SegmentationSet;
import io.github.mdunet.reference.torch.net.TorchRuntime;
import io.github.mdunet.reference.torch.npy.Npz;
import io.github.mdunet.reference.torch.spec.NetworkJson;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Recipe;
import io.github.mdunet.reference.torch.train.InitialWeights;
import io.github.mdunet.reference.torch.train.TrainRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train}: the recipe on image folders, once per seed, evaluated on a held-out folder. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train the network with the recipe on DIR/images + DIR/masks for each seed, evaluate on the"
                + " held-out folder and write results.json.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    SpecFiles specFiles = new SpecFiles();

    @Option(names = "--data", required = true, description = "training folder with images/*.png and masks/*.png")
    Path data;

    @Option(names = "--heldout", required = true, description = "held-out folder with images/ and masks/")
    Path heldout;

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
    public Integer call() throws Exception {
        SpecFiles.Loaded loaded = specFiles.load();
        NetworkSpec spec = loaded.network();
        Recipe parsedRecipe = epochs == null ? loaded.recipe() : loaded.recipe().withEpochs(epochs);
        Augmentation augmentation = Augmentation.fromCli(augment);
        InitialWeights weights = init.equals("own") ? new InitialWeights.Drawn()
                : new InitialWeights.Given(init, Npz.read(Path.of(init)));
        SegmentationSet train = SegmentationFolder.load(data, spec.input().shape(), spec.inputNormalization(),
                spec.classes());
        SegmentationSet held = SegmentationFolder.load(heldout, spec.input().shape(), spec.inputNormalization(),
                spec.classes());
        System.out.printf("libtorch %s, %d threads; %d training and %d held-out images; augment %s; init %s%n",
                TorchRuntime.torchVersion(), loaded.threads(), train.size(), held.size(), augmentation.cliName(),
                weights.describe());
        ObjectNode results = TrainRun.run(spec, parsedRecipe, train, held, seeds, augmentation, weights, System.out);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        NetworkJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), results);
        System.out.printf("mean IoU over %d seed(s): %s (sample std %s); wrote %s%n", seeds.size(),
                results.get("meanIoU").get("mean"), results.get("meanIoU").get("sampleStd"), out);
        return 0;
    }
}
