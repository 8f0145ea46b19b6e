package io.github.mdunet.examples.bench;

/** The argument reading of the benchmarks that take plain {@code --name value} pairs rather than a picocli command. */
final class PlainArgs {

    private PlainArgs() {
    }

    /** The integer after the first {@code name} in {@code args}, else {@code fallback}. */
    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
