package io.github.mdunet.app;

import io.github.mdunet.app.console.ConsoleOptions;
import picocli.CommandLine.Mixin;

/**
 * An app whose {@code main} runs through {@link CommandLines#runMain}, which hides the libraries' console chatter
 * unless {@code --verbose} asks for it: the app's command with that option.
 */
public abstract class ConsoleAppCommand extends AppCommand {

    /** Never read here: {@link CommandLines#runMain} reads {@code --verbose} from the raw arguments first. */
    @Mixin
    private ConsoleOptions console = new ConsoleOptions();
}
