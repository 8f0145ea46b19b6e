package io.github.mdunet.runtime.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A fresh JVM for the tests of what only a JVM's start shows (flags read once, the first load of ND4J): this JVM's
 * {@code java} on the test classpath (or a changed copy of it), run to its end, its whole output returned. The
 * programs' own child JVMs (with a result line) are unet-tuning's {@code ChildJvm}.
 */
public final class TestJvm {

    private TestJvm() {
    }

    /** Surefire runs tests from a manifest-only jar; the real entries are in {@code surefire.test.class.path}. */
    public static List<String> testClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
    }

    /** {@code java <jvmFlags> -cp <classpath> <main> <arguments>}, with this JVM's {@code java}. */
    public static List<String> command(List<String> jvmFlags, List<String> classpath, Class<?> main,
                                       String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath));
        command.add(main.getName());
        command.addAll(List.of(arguments));
        return command;
    }

    /**
     * Starts {@code child} (its error output merged into its output), reads its output to the end and asserts that
     * it finished within {@code timeout} with exit status 0; {@code what} names the run in the failure messages.
     *
     * @return the output without stack-trace frames ({@code \tat ...} lines)
     */
    public static String run(ProcessBuilder child, Object what, Duration timeout)
            throws IOException, InterruptedException {
        Process process = child.redirectErrorStream(true).start();
        CompletableFuture<String> reading = CompletableFuture.supplyAsync(() -> {
            try (var in = process.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = reading.join();
        assertThat(finished).as("child JVM of %s finished within %s; output:%n%s", what, timeout, output).isTrue();
        assertThat(process.exitValue()).as("exit status of %s; output:%n%s", what, output).isZero();
        return output.lines().filter(l -> !l.startsWith("\tat ")).collect(Collectors.joining("\n"));
    }
}
