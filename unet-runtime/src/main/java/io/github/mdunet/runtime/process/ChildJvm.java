package io.github.mdunet.runtime.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fresh JVM that runs one main class of this program and prints one result line: this JVM's {@code java}
 * executable, {@code jvmOptions}, the classpath that loaded {@code mainClass} ({@link ChildClasspath}), the main class
 * and its {@code arguments}. {@link #run} waits for it at most {@code timeout} and returns its result line and the
 * rest of its output (standard error merged in, {@link ChildOutput}); a child that exits with a non-zero status, runs
 * past the timeout or prints no result line is one {@link IllegalStateException} naming what was run, what went wrong
 * and the child's output.
 *
 * @param description what the child does, for the error message ("memory probe of ... at batch 8")
 * @param jvmOptions  the options before the classpath ({@code -Xmx4g}, {@code -Dname=value})
 * @param mainClass   the class whose {@code main} the child runs
 * @param arguments   the arguments of its {@code main}
 * @param timeout     how long the child may run before it is stopped, a positive duration
 */
public record ChildJvm(String description, List<String> jvmOptions, Class<?> mainClass, List<String> arguments,
                       Duration timeout) {

    /**
     * What a child printed: its result line and the other lines ({@link ChildOutput#log}).
     *
     * @param line the last line that started with the result prefix, the prefix included
     * @param log  the other lines, the first {@value ChildOutput#LOG_LIMIT} characters of them
     */
    public record Result(String line, String log) {
    }

    public ChildJvm {
        Objects.requireNonNull(description, "description");
        jvmOptions = List.copyOf(jvmOptions);
        Objects.requireNonNull(mainClass, "mainClass");
        arguments = List.copyOf(arguments);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
    }

    /** The {@code java} executable of the JVM this code runs in. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The whole command: java, the JVM options, {@code -cp} and the classpath, the main class, its arguments. */
    public List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(ChildClasspath.of(mainClass));
        command.add(mainClass.getName());
        command.addAll(arguments);
        return command;
    }

    /** Runs the child to its end and returns its last line that starts with {@code resultPrefix}. */
    public Result run(String resultPrefix) throws IOException, InterruptedException {
        return run(resultPrefix, line -> { });
    }

    /**
     * As {@link #run(String)}, and hands each other line to {@code logLine} as the child prints it (on a thread of its
     * own), for a caller that shows the child's progress.
     */
    public Result run(String resultPrefix, Consumer<String> logLine) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command()).redirectErrorStream(true).start();
        FutureTask<ChildOutput> reading = new FutureTask<>(() -> ChildOutput.read(process, resultPrefix, logLine));
        Thread reader = new Thread(reading, "child-jvm-output-" + mainClass.getSimpleName());
        reader.setDaemon(true);
        reader.start();
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        ChildOutput output = outputOf(reading);
        if (!finished) {
            throw failure("stopped after running longer than its timeout of " + timeout, output);
        }
        if (process.exitValue() != 0) {
            throw failure("exit status " + process.exitValue(), output);
        }
        return new Result(output.result().orElseThrow(() -> failure("exit status 0, but no line starting with '"
                + resultPrefix + "'", output)), output.log());
    }

    private static ChildOutput outputOf(FutureTask<ChildOutput> reading) throws IOException, InterruptedException {
        try {
            return reading.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("reading a child JVM's output failed", e.getCause());
        }
    }

    /** The one error of a failed child: what ran, how it failed, then its output. */
    private IllegalStateException failure(String how, ChildOutput output) {
        List<String> shown = new ArrayList<>(List.of("java"));
        shown.addAll(jvmOptions);
        shown.add(mainClass.getName());
        shown.addAll(arguments);
        return new IllegalStateException(description + " failed: " + how + "\nchild JVM: " + String.join(" ", shown)
                + "\nits output:\n" + output.log());
    }
}
