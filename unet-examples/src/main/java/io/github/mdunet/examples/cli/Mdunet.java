package io.github.mdunet.examples.cli;

import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.console.ConsoleOptions;
import io.github.mdunet.examples.Demo;
import io.github.mdunet.examples.Evaluate;
import io.github.mdunet.examples.GenerateBenchmarkData;
import io.github.mdunet.examples.Predict;
import io.github.mdunet.examples.QuickStart;
import io.github.mdunet.examples.TrainFolder;
import io.github.mdunet.examples.Tune;
import io.github.mdunet.examples.bench.CpuSpeedupBenchmark;
import io.github.mdunet.examples.bench.SeedParityBenchmark;
import io.github.mdunet.examples.parity.LearningParity;
import io.github.mdunet.examples.superres.PredictImages;
import io.github.mdunet.examples.superres.SuperResolution;
import io.github.mdunet.examples.superres.UpsamplerExperiment;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code mdunet}: the apps as subcommands of one tool ({@code mdunet train --help}), built by {@code mvn package}
 * into {@code unet-examples/target/mdunet} with a launcher script. The subcommands are the apps' own classes, so the
 * tool and the IDE {@code main}s take the same options and end with the same {@code ExitCode}s.
 */
@Command(name = "mdunet", mixinStandardHelpOptions = true, versionProvider = ToolVersion.class,
        description = "U-Nets on Deeplearning4j: train, predict, evaluate, tune and benchmark.",
        footer = {"", "Run 'mdunet COMMAND --help' for a command's options. Exit status: 0 done, 1 failed, 2 bad"
                + " option, 3 bad data, 4 nothing fits the memory budget (tune, plan)."})
public final class Mdunet implements Runnable {

    @Mixin
    ConsoleOptions console = new ConsoleOptions();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        CommandLines.runMain(args, Mdunet::commandLine);
    }

    /** The tool's command line, every subcommand set up as {@link CommandLines#of} sets up an app. */
    public static CommandLine commandLine() {
        CommandLine line = new CommandLine(new Mdunet());
        add(line, "train", new TrainFolder());
        add(line, "predict", new Predict());
        add(line, "evaluate", new Evaluate());
        add(line, "tune", new Tune());
        add(line, "plan", Tune.planOnly()).getCommandSpec().usageMessage().description("Prints tune's plan and"
                + " exits: every candidate decoder width with its parameters, estimated training memory and whether it"
                + " fits the budget (tune --plan-only). Reads no image and builds no network.");
        add(line, "superres", new SuperResolution());
        add(line, "superres-predict", new PredictImages());
        add(line, "demo", new Demo());
        add(line, "quick-start", new QuickStart());
        add(line, "generate-data", new GenerateBenchmarkData());
        CommandLine bench = add(line, "bench", new Bench());
        add(bench, "seed-parity", new SeedParityBenchmark());
        add(bench, "cpu-speedup", new CpuSpeedupBenchmark());
        add(bench, "learning-parity", new LearningParity());
        add(bench, "upsamplers", new UpsamplerExperiment());
        // picocli's bash and zsh completion script of this very command line (hidden in picocli, shown here)
        add(line, "generate-completion", new AutoComplete.GenerateCompletion()).getCommandSpec().usageMessage()
                .hidden(false).description("Prints a bash/zsh completion script for mdunet's commands, options and"
                        + " choices: mdunet generate-completion > ~/.mdunet-completion, then"
                        + " source ~/.mdunet-completion");
        return CommandLines.configure(line);
    }

    /** Adds {@code command} to {@code parent} under {@code name}, which its usage and report titles then show. */
    private static CommandLine add(CommandLine parent, String name, Object command) {
        CommandLine sub = new CommandLine(command);
        sub.getCommandSpec().name(name);
        parent.addSubcommand(name, sub);
        return sub;
    }

    /** Without a subcommand: the usage, as a bad option. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a command, e.g. mdunet train --help");
    }

    /** {@code mdunet bench}: the benchmarks. */
    @Command(name = "bench", mixinStandardHelpOptions = true,
            description = "Benchmarks: seed-parity (speed against SGEMM, training memory), cpu-speedup (oneDNN"
                    + " against plain ND4J), learning-parity (held-out IoU against the PyTorch reference),"
                    + " upsamplers (each decoder upsampling mode on one super-resolution task).")
    static final class Bench implements Runnable {

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(), "give a benchmark, e.g. mdunet bench"
                    + " seed-parity --help");
        }
    }
}
