package io.github.mdunet.reference.torch.cli;

import io.github.mdunet.reference.torch.net.TorchRuntime;
import io.github.mdunet.reference.torch.spec.NetworkJson;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Recipe;
import io.github.mdunet.reference.torch.spec.RecipeJson;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The exported network and recipe that {@code steps} and {@code train} read: a picocli mixin. */
final class SpecFiles {

    @Option(names = "--network", required = true, description = "network.json")
    Path network;

    @Option(names = "--recipe", required = true, description = "recipe.json")
    Path recipe;

    /** How {@code steps} and {@code train} start: libtorch on every core, then the network and recipe read. */
    Loaded load() throws IOException {
        int threads = TorchRuntime.useAllCores();
        return new Loaded(NetworkJson.read(network), RecipeJson.read(recipe), threads);
    }

    /**
     * The files of {@code --network} and {@code --recipe}, and the libtorch threads a command runs with.
     *
     * @param threads libtorch's intra-op threads, for the provenance a command prints
     */
    record Loaded(NetworkSpec network, Recipe recipe, int threads) {
    }
}
