package io.github.mdunet.reference.torch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code steps}, {@code train} and {@code compare}; run with
 * {@code mvn -Ppytorch -pl unet-reference-torch compile exec:java -Dexec.args="steps ..."} (see the README).
 */
@Command(name = "unet-reference-torch", mixinStandardHelpOptions = true,
        description = "PyTorch (libtorch) reference trainer for the project's exported networks.",
        subcommands = {StepsCommand.class, TrainCommand.class, CompareCommand.class})
public final class ReferenceMain implements Runnable {

    public static void main(String[] args) {
        int code = execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command line and returns its exit code (for tests). */
    public static int execute(String... args) {
        return new CommandLine(new ReferenceMain()).execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
