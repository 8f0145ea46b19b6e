package io.github.mdunet.runtime.process;

/**
 * The child of {@link ChildJvmTest}: its first argument says how it ends. {@code result}: a log line, then
 * {@code RESULT <second argument>}, exit 0; {@code fail}: a line on standard error, exit 3; {@code silent}: a log line
 * and no result, exit 0; {@code hang}: sleeps until it is stopped; {@code env}: prints {@code NAME=value} of the
 * environment variable named by the second argument ({@code null} when it has none); {@code lines}: prints as many
 * numbered lines as the second argument says.
 */
public final class ChildJvmTestMain {

    private ChildJvmTestMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        switch (args[0]) {
            case "result" -> {
                System.out.println("working on " + args[1]);
                System.out.println("RESULT " + args[1]);
            }
            case "fail" -> {
                System.err.println("cannot go on");
                System.exit(3);
            }
            case "silent" -> System.out.println("done, nothing to report");
            case "hang" -> Thread.sleep(600_000);
            case "env" -> System.out.println(args[1] + "=" + System.getenv(args[1]));
            case "lines" -> {
                for (int i = 1; i <= Integer.parseInt(args[1]); i++) {
                    System.out.println("line " + i);
                }
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
