package io.github.mdunet.app;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * An app's command: a {@link Callable} whose result is the exit status ({@link ExitCode}), and the command line picocli
 * runs it in, which its option errors name ({@link #usage}). Its help shows each option's default value (picocli's
 * {@code showDefaultValues}, which subclasses inherit), so no option's description repeats it.
 */
@Command(showDefaultValues = true)
public abstract class AppCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    /** The command as picocli parsed it (its name, options and values); {@code null} before a command line is made. */
    protected final CommandSpec spec() {
        return spec;
    }

    /** The command line this app runs in, whose error stream shows a message and the usage. */
    protected final CommandLine commandLine() {
        return spec != null ? spec.commandLine() : new CommandLine(this);
    }

    /** An option error ({@link ExitCode#BAD_OPTION}): {@code message}, which names the option, then the usage. */
    protected final CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(commandLine(), message);
    }
}
