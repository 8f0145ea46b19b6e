package io.github.mdunet.app;

import io.github.mdunet.app.console.QuietConsole;
import io.github.mdunet.core.nativememory.NativeHeap;
import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import io.github.mdunet.runtime.cpu.CpuAcceleration;
import java.io.PrintWriter;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * How every app runs its command line: bad options end with their message and the usage
 * ({@link ExitCode#BAD_OPTION}); failures with their message and the {@link ExitCode} of their kind, and a stack
 * trace only when the failure is unexpected.
 */
public final class CommandLines {

    private CommandLines() {
    }

    /**
     * What an app's {@code main} does, in the order it needs: the console settings the arguments ask for, JavaCPP's
     * memory limits and the oneDNN build for this CPU (both before anything loads JavaCPP or ND4J), then the command
     * line, made only now; exits with its status.
     */
    public static void runMain(String[] args, Supplier<CommandLine> commandLine) {
        QuietConsole.configure(args);
        run(args, commandLine);
    }

    /**
     * What {@link #runMain} does after the console settings, for the apps that leave the console as it is: JavaCPP's
     * memory limits and the oneDNN build for this CPU, then the command line, made only now; exits with its status.
     */
    public static void run(String[] args, Supplier<CommandLine> commandLine) {
        prepareNativeRuntime();
        System.exit(commandLine.get().execute(args));
    }

    /**
     * What a program does first, before anything loads JavaCPP or ND4J: JavaCPP's memory limits raised for an
     * application, large freed native arrays handed back to the system ({@link NativeHeap}), then the oneDNN build
     * chosen for this CPU, which it returns.
     */
    public static CpuAcceleration.Status prepareNativeRuntime() {
        NativeMemoryLimits.raiseForApplication();
        NativeHeap.configureForApplication();
        return CpuAcceleration.configure();
    }

    /** The command line of {@code app}, with enum values accepted in any case. */
    public static CommandLine of(Object app) {
        return configure(new CommandLine(app));
    }

    /** {@code line} and the subcommands it has now set up as {@link #of} sets up an app; returns {@code line}. */
    public static CommandLine configure(CommandLine line) {
        line.setCaseInsensitiveEnumValuesAllowed(true);
        setExitCodes(line);
        // picocli lets an Error escape execute(): wrapped, it reaches the handler below like any failure (a native
        // out-of-memory error explains itself and its fix; an unexpected one gets its stack trace there).
        CommandLine.IExecutionStrategy runLast = new CommandLine.RunLast();
        line.setExecutionStrategy(parseResult -> {
            try {
                return runLast.execute(parseResult);
            } catch (Error e) {
                throw new CommandLine.ExecutionException(parseResult.commandSpec().commandLine(),
                        String.valueOf(e.getMessage()), e);
            }
        });
        line.setExecutionExceptionHandler((failure, command, parseResult) -> {
            Throwable reported = failure instanceof CommandLine.ExecutionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            PrintWriter err = command.getErr();
            err.println(command.getCommandName() + ": " + reported.getMessage());
            if (!ExitCode.isExplained(reported)) {
                reported.printStackTrace(err);
            }
            err.flush();
            return ExitCode.of(reported).code();
        });
        return line;
    }

    private static void setExitCodes(CommandLine line) {
        line.getCommandSpec().exitCodeOnInvalidInput(ExitCode.BAD_OPTION.code());
        line.getCommandSpec().exitCodeOnSuccess(ExitCode.OK.code());
        line.getSubcommands().values().forEach(CommandLines::setExitCodes);
    }
}
