package io.github.mdunet.examples;

import io.github.mdunet.app.AppCommand;
import io.github.mdunet.app.CommandLines;
import io.github.mdunet.app.OptionChecks;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.zoo.ParameterTable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Prints {@link ParameterTable}'s Markdown table: the parameters of every zoo encoder and of its U-Nets, at
 * 3 x 512 x 512 or at {@code HEIGHT WIDTH} given as the two arguments. Nothing is allocated and ND4J's native code is
 * not needed, so it runs in seconds.
 */
@Command(name = "print-parameter-table", mixinStandardHelpOptions = true,
        description = "Prints the parameters of every zoo encoder and of its U-Nets at 3 x HEIGHT x WIDTH, as a"
                + " Markdown table. Allocates nothing.")
public final class PrintParameterTable extends AppCommand {

    /** The side of the input when no size is given: the seed's 512 x 512. */
    private static final int DEFAULT_SIDE = 512;

    @Parameters(index = "0", arity = "0..1", paramLabel = "HEIGHT", description = "Input height; with WIDTH.")
    int height = DEFAULT_SIDE;

    @Parameters(index = "1", arity = "0..1", paramLabel = "WIDTH", description = "Input width.")
    int width = DEFAULT_SIDE;

    public static void main(String[] args) {
        CommandLines.run(args, () -> CommandLines.of(new PrintParameterTable()));
    }

    @Override
    public Integer call() {
        if (commandLine().getParseResult().matchedPositionals().size() == 1) {
            throw usage("give HEIGHT and WIDTH, or neither for " + DEFAULT_SIDE + " x " + DEFAULT_SIDE + ", but only"
                    + " HEIGHT " + height + " was given");
        }
        OptionChecks.atLeast(commandLine(), "HEIGHT", height, 1);
        OptionChecks.atLeast(commandLine(), "WIDTH", width, 1);
        System.out.println(ParameterTable.table(new ImageShape(3, height, width)));
        return 0;
    }
}
