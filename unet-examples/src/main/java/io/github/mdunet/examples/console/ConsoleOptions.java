package io.github.mdunet.examples.console;

import picocli.CommandLine.Option;

/**
 * The {@code --verbose} option of every app, a picocli mixin. It is read from the raw arguments by
 * {@link QuietConsole#configure} before the command line is parsed; the field is here for the usage and the parser.
 */
public final class ConsoleOptions {

    /** Listed after the app's own options where the app keeps its declaration order ({@code sortOptions = false}). */
    @Option(names = QuietConsole.VERBOSE, order = Integer.MAX_VALUE, description = "Show the libraries' INFO logging"
            + " and SameDiff's op lines (hidden by default).")
    boolean verbose;
}
