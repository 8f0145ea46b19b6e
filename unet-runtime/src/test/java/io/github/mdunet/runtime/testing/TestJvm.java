package io.github.mdunet.runtime.testing;

import io.github.mdunet.runtime.process.ChildJvm;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the tests add to {@link ChildJvm}, the one launcher, for what only a JVM's start shows (flags read once, the
 * first load of ND4J): the test classpath, and a child's whole output without stack-trace frames to assert on.
 */
public final class TestJvm {

    private TestJvm() {
    }

    /** Surefire runs tests from a manifest-only jar; the real entries are in {@code surefire.test.class.path}. */
    public static List<String> testClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator)).filter(e -> !e.isBlank()).toList();
    }

    /**
     * Runs {@code child} to its end and returns its output without stack-trace frames ({@code \tat ...} lines); a
     * child that exits with a non-zero status or runs past its timeout is {@link ChildJvm}'s error, with its whole
     * output.
     */
    public static String run(ChildJvm child) throws IOException, InterruptedException {
        return child.output().lines().filter(l -> !l.startsWith("\tat ")).collect(Collectors.joining("\n"));
    }
}
