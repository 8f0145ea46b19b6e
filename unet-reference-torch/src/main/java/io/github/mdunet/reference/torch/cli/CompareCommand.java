package io.github.mdunet.reference.torch.cli;

import io.github.mdunet.reference.torch.compare.NpzComparison;
import io.github.mdunet.reference.torch.npy.Npz;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code compare}: the reference's expected.npz against the project's output, key by key. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Compare two .npz files key by key; exit code 1 when a key is missing, has another shape or"
                + " differs by more than atol + rtol * max|expected|.")
final class CompareCommand implements Callable<Integer> {

    @Option(names = "--expected", required = true, description = "the reference's file (expected.npz)")
    Path expected;

    @Option(names = "--actual", required = true, description = "the project's file")
    Path actual;

    @Option(names = "--rtol", defaultValue = "1e-3", description = "relative tolerance (default 1e-3)")
    double relativeTolerance;

    @Option(names = "--atol", defaultValue = "1e-6", description = "absolute tolerance (default 1e-6)")
    double absoluteTolerance;

    @Override
    public Integer call() throws Exception {
        NpzComparison comparison = NpzComparison.of(Npz.read(expected), Npz.read(actual), relativeTolerance,
                absoluteTolerance);
        System.out.print(comparison.report());
        return comparison.agrees() ? 0 : 1;
    }
}
