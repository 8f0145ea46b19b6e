package io.github.mdunet.app.console;

import picocli.CommandLine.Option;

/**
 * The {@code --verbose} option of every app, a picocli mixin. It is read from the raw arguments by
 * {@link QuietConsole#configure} before the command line is parsed; the field is here for the usage and the parser.
 */
public final class ConsoleOptions {

    /**
     * Listed last where the app keeps its declaration order ({@code sortOptions = false}): picocli's default order is
     * -1, and it compares orders by subtraction, so a value near {@code Integer.MAX_VALUE} would overflow.
     */
    @Option(names = QuietConsole.VERBOSE, order = 1000, description = "Show the libraries' INFO logging"
            + " and SameDiff's op lines (hidden by default).")
    boolean verbose;
}
