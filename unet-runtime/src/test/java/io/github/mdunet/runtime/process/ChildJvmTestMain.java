package io.github.mdunet.runtime.process;

/**
 * The child of {@link ChildJvmTest}: its first argument says how it ends. {@code result}: a log line, then
 * {@code RESULT <second argument>}, exit 0; {@code fail}: a line on standard error, exit 3; {@code silent}: a log line
 * and no result, exit 0; {@code hang}: sleeps until it is stopped.
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
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
