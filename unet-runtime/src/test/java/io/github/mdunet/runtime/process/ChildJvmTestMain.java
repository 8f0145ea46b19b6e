package io.github.mdunet.runtime.process;

/**
 * The child of {@link ChildJvmTest}: its first argument says how it ends. {@code result}: a log line, then
 * {@code RESULT <second argument>}, exit 0; {@code fail}: a line on standard error, exit 3; {@code silent}: a log line
 * and no result, exit 0; {@code hang}: prints {@code hanging as process <its pid>} and sleeps until it is stopped;
 * {@code env}: prints {@code NAME=value} of the environment variable named by the second argument ({@code null} when it
 * has none); {@code lines}: prints as many numbered lines as the second argument says; {@code crash}: as many numbered
 * lines, then dies of an exception whose message is {@link #CRASH_CAUSE}, its stack trace on standard error.
 */
public final class ChildJvmTestMain {

    /** The message of the exception that {@code crash} dies of. */
    static final String CRASH_CAUSE = "the distinctive cause of this crash";

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
            case "hang" -> {
                System.out.println("hanging as process " + ProcessHandle.current().pid());
                Thread.sleep(600_000);
            }
            case "env" -> System.out.println(args[1] + "=" + System.getenv(args[1]));
            case "lines" -> {
                for (int i = 1; i <= Integer.parseInt(args[1]); i++) {
                    System.out.println("line " + i);
                }
            }
            case "crash" -> {
                for (int i = 1; i <= Integer.parseInt(args[1]); i++) {
                    System.out.println("line " + i);
                }
                throw new IllegalStateException(CRASH_CAUSE);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
