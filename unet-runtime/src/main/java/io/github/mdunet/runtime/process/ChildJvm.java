package io.github.mdunet.runtime.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A fresh JVM that runs one main class: this JVM's {@code java} executable, {@code jvmOptions}, {@code -cp} and the
 * {@code classpath}, the main class and its {@code arguments}, in this JVM's environment changed by
 * {@code environment} and {@code removedEnvironment}. Its standard error is merged into its output. Three ways to run
 * it, each with the child and its descendants stopped once it runs past {@code timeout}:
 * <ul>
 *   <li>{@link #run} waits for it and returns its result line and the rest of its output ({@link ChildOutput}),
 *       for a program that measures in a child;</li>
 *   <li>{@link #output()} waits for it and returns all of its output, for a test that checks many lines;</li>
 *   <li>{@link #start} returns it running and hands over each line, for a test that acts while it runs.</li>
 * </ul>
 * A child that {@link #run} or {@link #output()} waits for and that exits with a non-zero status, runs past the
 * timeout or (for {@link #run}) prints no result line is one {@link IllegalStateException} naming what was run, what
 * went wrong and the child's output. When the thread that waits is interrupted, the child and its descendants are
 * stopped and the {@link InterruptedException} is thrown with the thread's interrupt flag set again.
 *
 * @param description        what the child does, for the error message ("memory probe of ... at batch 8")
 * @param jvmOptions         the options before the classpath ({@code -Xmx4g}, {@code -Dname=value})
 * @param classpath          the child's classpath entries, at least one; the constructor without it takes the ones
 *                           that loaded {@code mainClass} ({@link ChildClasspath})
 * @param mainClass          the class whose {@code main} the child runs
 * @param arguments          the arguments of its {@code main}
 * @param environment        environment variables set in the child, over the ones it inherits from this JVM
 * @param removedEnvironment environment variables of this JVM that the child does not inherit
 * @param timeout            how long the child may run before it is stopped, a positive duration
 */
public record ChildJvm(String description, List<String> jvmOptions, List<String> classpath, Class<?> mainClass,
                       List<String> arguments, Map<String, String> environment, Set<String> removedEnvironment,
                       Duration timeout) {

    /**
     * What a child printed: its result line and the other lines ({@link ChildOutput#log}).
     *
     * @param line the last line that started with the result prefix, the prefix included
     * @param log  the other lines, at most {@value ChildOutput#LOG_LIMIT} characters of them: the first ones and the
     *             last ones, with a line saying how many characters were left out between ({@link ChildOutput#log})
     */
    public record Result(String line, String log) {
    }

    public ChildJvm {
        Objects.requireNonNull(description, "description");
        jvmOptions = List.copyOf(jvmOptions);
        classpath = List.copyOf(classpath);
        if (classpath.isEmpty()) {
            throw new IllegalArgumentException("classpath must have at least one entry but was empty");
        }
        Objects.requireNonNull(mainClass, "mainClass");
        arguments = List.copyOf(arguments);
        environment = Map.copyOf(environment);
        removedEnvironment = Set.copyOf(removedEnvironment);
        for (String name : removedEnvironment) {
            if (environment.containsKey(name)) {
                throw new IllegalArgumentException("environment variable " + name
                        + " is both set and removed: give it in environment or in removedEnvironment");
            }
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive but was " + timeout);
        }
    }

    /**
     * A child on the classpath that loaded {@code mainClass} ({@link ChildClasspath}), in this JVM's environment: a
     * main class of this program, run as it runs.
     */
    public ChildJvm(String description, List<String> jvmOptions, Class<?> mainClass, List<String> arguments,
                    Duration timeout) {
        this(description, jvmOptions, ChildClasspath.of(Objects.requireNonNull(mainClass, "mainClass")), mainClass,
                arguments, Map.of(), Set.of(), timeout);
    }

    /** This child on {@code classpath} instead. */
    public ChildJvm withClasspath(List<String> classpath) {
        return new ChildJvm(description, jvmOptions, classpath, mainClass, arguments, environment, removedEnvironment,
                timeout);
    }

    /** This child with the environment variable {@code name} set to {@code value}. */
    public ChildJvm withEnvironment(String name, String value) {
        Map<String, String> set = new HashMap<>(environment);
        set.put(name, value);
        Set<String> removed = new HashSet<>(removedEnvironment);
        removed.remove(name);
        return new ChildJvm(description, jvmOptions, classpath, mainClass, arguments, set, removed, timeout);
    }

    /** This child without the environment variable {@code name}, also when this JVM has it. */
    public ChildJvm withoutEnvironment(String name) {
        Map<String, String> set = new HashMap<>(environment);
        set.remove(name);
        Set<String> removed = new HashSet<>(removedEnvironment);
        removed.add(name);
        return new ChildJvm(description, jvmOptions, classpath, mainClass, arguments, set, removed, timeout);
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
        command.add(String.join(File.pathSeparator, classpath));
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
        ChildOutput output = runToEnd(process -> ChildOutput.read(process, resultPrefix, logLine));
        return new Result(output.result().orElseThrow(() -> failure("exit status 0, but no line starting with '"
                + resultPrefix + "'", output)), output.log());
    }

    /**
     * Runs the child to its end and returns all that it printed, line by line with a {@code \n} after each, for a
     * caller that checks many lines rather than one result line. It fails as {@link #run(String)} does, its whole
     * output in the message.
     */
    public String output() throws IOException, InterruptedException {
        return runToEnd(ChildOutput::readAll).log();
    }

    /**
     * Starts the child and returns it running, for a caller that acts while it runs (waits for a line, kills it at a
     * chosen moment): each line it prints goes to {@code outputLine} on a thread of its own. The caller waits for it
     * and reads its exit status; a child still running after {@code timeout} is stopped with its descendants.
     */
    public Process start(Consumer<String> outputLine) throws IOException {
        Process process = launch();
        // No result line, and no log kept here: the caller has every line.
        readOnItsOwnThread(process, running -> ChildOutput.read(running, line -> false, outputLine, 0));
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (process.isAlive()) {
                stop(process);
            }
        });
        return process;
    }

    /** How the output of a started child is read: on a thread of its own, to the end. */
    private interface OutputReader {
        ChildOutput read(Process process) throws IOException;
    }

    private ChildOutput runToEnd(OutputReader reader) throws IOException, InterruptedException {
        Process process = launch();
        FutureTask<ChildOutput> reading = readOnItsOwnThread(process, reader);
        boolean finished;
        ChildOutput output;
        try {
            finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                stop(process);
                process.waitFor();
            }
            output = outputOf(reading);
        } catch (InterruptedException e) {
            // Nothing would wait for the child any more, nor stop it at its timeout: it would run on to its own end.
            stop(process);
            Thread.currentThread().interrupt();
            throw e;
        }
        if (!finished) {
            throw failure("stopped after running longer than its timeout of " + timeout, output);
        }
        if (process.exitValue() != 0) {
            throw failure("exit status " + process.exitValue(), output);
        }
        return output;
    }

    private Process launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true);
        builder.environment().keySet().removeAll(removedEnvironment);
        builder.environment().putAll(environment);
        return builder.start();
    }

    private FutureTask<ChildOutput> readOnItsOwnThread(Process process, OutputReader reader) {
        FutureTask<ChildOutput> reading = new FutureTask<>(() -> reader.read(process));
        Thread thread = new Thread(reading, "child-jvm-output-" + mainClass.getSimpleName());
        thread.setDaemon(true);
        thread.start();
        return reading;
    }

    /** Stops the child and whatever it started, which could otherwise hold its output open. */
    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
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

    /** The one error of a failed child: what ran (with its changes to the environment), how it failed, its output. */
    private IllegalStateException failure(String how, ChildOutput output) {
        List<String> shown = new ArrayList<>();
        if (!environment.isEmpty() || !removedEnvironment.isEmpty()) {
            shown.add("env");
            new TreeSet<>(removedEnvironment).forEach(name -> shown.addAll(List.of("-u", name)));
            new TreeMap<>(environment).forEach((name, value) -> shown.add(name + "=" + value));
        }
        shown.add("java");
        shown.addAll(jvmOptions);
        shown.add(mainClass.getName());
        shown.addAll(arguments);
        return new IllegalStateException(description + " failed: " + how + "\nchild JVM: " + String.join(" ", shown)
                + "\nits output:\n" + output.log());
    }
}
