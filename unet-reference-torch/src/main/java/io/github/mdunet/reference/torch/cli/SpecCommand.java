package io.github.mdunet.reference.torch.cli;

import io.github.mdunet.reference.torch.net.NativeConvolutions;
import io.github.mdunet.reference.torch.net.TorchRuntime;
import io.github.mdunet.reference.torch.spec.NetworkJson;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Recipe;
import io.github.mdunet.reference.torch.spec.RecipeJson;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/**
 * A command on the exported network and recipe ({@code steps}, {@code train}): it starts libtorch on every core
 * on native convolutions whose gradients are checked ({@link NativeConvolutions}), reads {@code --network} and
 * {@code --recipe}, does its work in {@link #run} and exits with 0.
 */
abstract class SpecCommand implements Callable<Integer> {

    @Option(names = "--network", required = true, description = "network.json")
    Path network;

    @Option(names = "--recipe", required = true, description = "recipe.json")
    Path recipe;

    @Override
    public final Integer call() throws Exception {
        int threads = TorchRuntime.useAllCores();
        NativeConvolutions.use();
        run(NetworkJson.read(network), RecipeJson.read(recipe), threads);
        return 0;
    }

    /**
     * The command's work on the files of {@code --network} and {@code --recipe}.
     *
     * @param threads libtorch's intra-op threads, for the provenance a command prints
     */
    abstract void run(NetworkSpec spec, Recipe trainingRecipe, int threads) throws Exception;
}
