package io.github.mdunet.reference.torch.cli;

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

    /** The network of {@code --network}. */
    NetworkSpec network() throws IOException {
        return NetworkJson.read(network);
    }

    /** The recipe of {@code --recipe}. */
    Recipe recipe() throws IOException {
        return RecipeJson.read(recipe);
    }
}
