package io.github.mdunet.examples;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.zoo.ParameterTable;

/**
 * Prints {@link ParameterTable}'s Markdown table: the parameters of every zoo encoder and of its U-Nets, at
 * 3 x 512 x 512 or at {@code height width} given as the two arguments. Nothing is allocated and ND4J's native code is
 * not needed, so it runs in seconds.
 */
public final class PrintParameterTable {

    private PrintParameterTable() {
    }

    public static void main(String[] args) {
        ImageShape input = args.length == 2
                ? new ImageShape(3, Integer.parseInt(args[0]), Integer.parseInt(args[1])) : new ImageShape(3, 512, 512);
        System.out.println(ParameterTable.table(input));
    }
}
