package io.github.mdunet.reference.torch.cli;

import io.github.mdunet.reference.torch.net.TorchRuntime;
import io.github.mdunet.reference.torch.npy.NpyArray;
import io.github.mdunet.reference.torch.npy.Npz;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Recipe;
import io.github.mdunet.reference.torch.train.StepsRun;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code steps}: K training steps on fixed batches from given weights, written to expected.npz. */
@Command(name = "steps", mixinStandardHelpOptions = true,
        description = "Train K steps on fixed batches from exact weights and write losses, learning rates, step-1"
                + " gradients, final parameters, Adam moments and eval logits to an .npz.")
final class StepsCommand extends SpecCommand {

    @Option(names = "--params", required = true, description = "initial parameters (.npz, keys <vertex>.<param>)")
    Path params;

    @Option(names = "--batches", required = true, description = ".npz with step<k>.x and step<k>.y, k = 1..K")
    Path batches;

    @Option(names = "--steps", required = true, description = "K, the number of steps")
    int steps;

    @Option(names = "--out", required = true, description = "expected.npz to write")
    Path out;

    @Override
    void run(NetworkSpec spec, Recipe trainingRecipe, int threads) throws IOException {
        Map<String, NpyArray> result = StepsRun.run(spec, Npz.read(params), Npz.read(batches), trainingRecipe,
                steps);
        Npz.write(result, out);
        for (int k = 1; k <= steps; k++) {
            System.out.printf("step %d loss %.6f lr %.6g%n", k, result.get("step" + k + ".loss").toFloats()[0],
                    result.get("step" + k + ".lr").toFloats()[0]);
        }
        System.out.printf("wrote %d arrays to %s (libtorch %s, %d threads)%n", result.size(), out,
                TorchRuntime.torchVersion(), threads);
    }
}
