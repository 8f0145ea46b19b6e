package io.github.mdunet.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.mdunet.runtime.testing.TestJvm;
import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A child JVM's result line comes back with its log, or its whole output, or its lines while it runs; each way a child
 * fails is one error naming what ran; its classpath and environment are the ones asked for.
 */
class ChildJvmTest {

    private static final String VARIABLE = "MDUNET_CHILD_JVM_TEST";

    private static ChildJvm child(Duration timeout, String... arguments) {
        return new ChildJvm("the test child", List.of("-Xmx64m"), ChildJvmTestMain.class, List.of(arguments), timeout);
    }

    @Test
    @Timeout(120)
    void returnsTheResultLineAndTheLog() throws Exception {
        List<String> shown = new ArrayList<>();

        ChildJvm.Result result = child(Duration.ofMinutes(1), "result", "42").run("RESULT ", shown::add);

        assertThat(result.line()).isEqualTo("RESULT 42");
        assertThat(result.log()).isEqualTo("working on 42\n");
        assertThat(shown).containsExactly("working on 42");
    }

    @Test
    void theCommandIsThisJavaTheOptionsTheClasspathTheMainClassAndItsArguments() {
        List<String> command = child(Duration.ofMinutes(1), "result", "7").command();

        assertThat(command.get(0)).isEqualTo(ChildJvm.javaExecutable()).endsWith("java");
        assertThat(command.subList(1, 3)).containsExactly("-Xmx64m", "-cp");
        assertThat(command.get(3))
                .isEqualTo(String.join(File.pathSeparator, ChildClasspath.of(ChildJvmTestMain.class)));
        assertThat(command.subList(4, command.size())).containsExactly(ChildJvmTestMain.class.getName(), "result", "7");
    }

    @Test
    @Timeout(120)
    void anExplicitClasspathIsTheOneTheChildGets() throws Exception {
        ChildJvm child = child(Duration.ofMinutes(1), "result", "5").withClasspath(TestJvm.testClasspath());

        assertThat(child.command().get(3)).isEqualTo(String.join(File.pathSeparator, TestJvm.testClasspath()));
        assertThat(child.run("RESULT ").line()).isEqualTo("RESULT 5");
    }

    @Test
    @Timeout(120)
    void aNonZeroExitIsAnErrorWithTheStatusAndTheChildsOutput() {
        assertThatThrownBy(() -> child(Duration.ofMinutes(1), "fail").run("RESULT "))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the test child failed: exit status 3\n")
                .hasMessageContaining("child JVM: java -Xmx64m " + ChildJvmTestMain.class.getName() + " fail\n")
                .hasMessageEndingWith("its output:\ncannot go on\n");
    }

    @Test
    @Timeout(120)
    void noResultLineIsAnErrorNamingThePrefix() {
        assertThatThrownBy(() -> child(Duration.ofMinutes(1), "silent").run("RESULT "))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the test child failed: exit status 0, but no line starting with 'RESULT '")
                .hasMessageEndingWith("its output:\ndone, nothing to report\n");
    }

    @Test
    @Timeout(120)
    void aChildPastItsTimeoutIsStoppedAndReported() {
        assertThatThrownBy(() -> child(Duration.ofSeconds(2), "hang").run("RESULT "))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the test child failed: stopped after running longer than its timeout of PT2S");
    }

    @Test
    @Timeout(120)
    void anInterruptWhileWaitingStopsTheChildAndIsThrownWithTheFlagSet() throws Exception {
        CompletableFuture<Long> pid = new CompletableFuture<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread waiting = new Thread(() -> {
            try {
                child(Duration.ofMinutes(10), "hang").run("RESULT ", line -> {
                    if (line.startsWith("hanging as process ")) {
                        pid.complete(Long.parseLong(line.substring("hanging as process ".length())));
                    }
                });
            } catch (Exception e) {
                thrown.set(e);
                interruptedAfter.set(Thread.currentThread().isInterrupted());
            }
        }, "waits for the hanging child");
        waiting.start();
        ProcessHandle child = ProcessHandle.of(pid.get(60, TimeUnit.SECONDS)).orElseThrow();
        try {
            waiting.interrupt();
            waiting.join(60_000);

            assertThat(child.onExit()).as("the child, after its caller was interrupted")
                    .succeedsWithin(Duration.ofSeconds(30));
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            assertThat(interruptedAfter).as("interrupt flag set again").isTrue();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    @Timeout(120)
    void theErrorOfALongRunKeepsItsStartAndTheCauseAtItsEnd() {
        assertThatThrownBy(() -> child(Duration.ofMinutes(1), "crash", "5000").run("RESULT "))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the test child failed: exit status 1\n")
                .hasMessageContaining("its output:\nline 1\nline 2\n")
                .hasMessageMatching("(?s).*\\nline \\d+\\n\\.\\.\\. \\d+ characters left out \\.\\.\\.\\n"
                        + "line \\d+\\n.*")
                .hasMessageContaining("line 5000\nException in thread \"main\" java.lang.IllegalStateException: "
                        + ChildJvmTestMain.CRASH_CAUSE)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(ChildOutput.LOG_LIMIT + 1_000));
    }

    @Test
    @Timeout(120)
    void outputIsAllThatTheChildPrintedBeyondTheLogLimit() throws Exception {
        String output = child(Duration.ofMinutes(1), "lines", "3000").output();

        assertThat(output.length()).isGreaterThan(ChildOutput.LOG_LIMIT);
        assertThat(output.lines()).hasSize(3000);
        assertThat(output).startsWith("line 1\nline 2\n").endsWith("line 3000\n");
    }

    @Test
    @Timeout(120)
    void outputOfAFailingChildIsTheSameError() {
        assertThatThrownBy(() -> child(Duration.ofMinutes(1), "fail").output())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the test child failed: exit status 3\n")
                .hasMessageEndingWith("its output:\ncannot go on\n");
        assertThatThrownBy(() -> child(Duration.ofSeconds(2), "hang").output())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the test child failed: stopped after running longer than its timeout of PT2S");
    }

    @Test
    @Timeout(120)
    void environmentVariablesAreSetAndRemoved() throws Exception {
        assumeThat(System.getenv("PATH")).as("an inherited variable to remove").isNotNull();

        assertThat(child(Duration.ofMinutes(1), "env", VARIABLE).withEnvironment(VARIABLE, "set").output())
                .isEqualTo(VARIABLE + "=set\n");
        assertThat(child(Duration.ofMinutes(1), "env", "PATH").withoutEnvironment("PATH").output())
                .isEqualTo("PATH=null\n");
        assertThat(child(Duration.ofMinutes(1), "env", VARIABLE).withEnvironment(VARIABLE, "set")
                .withoutEnvironment(VARIABLE).output()).as("the last change wins").isEqualTo(VARIABLE + "=null\n");
    }

    @Test
    @Timeout(120)
    void theErrorShowsTheChangesToTheEnvironment() {
        assertThatThrownBy(() -> child(Duration.ofMinutes(1), "fail").withoutEnvironment("PATH")
                .withEnvironment(VARIABLE, "set").output())
                .hasMessageContaining("child JVM: env -u PATH " + VARIABLE + "=set java -Xmx64m "
                        + ChildJvmTestMain.class.getName() + " fail\n");
    }

    @Test
    @Timeout(120)
    void startHandsOverEachLineWhileTheChildRuns() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        Process process = child(Duration.ofMinutes(1), "result", "3").start(lines::add);

        assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("working on 3");
        assertThat(lines.poll(60, TimeUnit.SECONDS)).isEqualTo("RESULT 3");
        assertThat(process.waitFor()).isZero();
    }

    @Test
    @Timeout(120)
    void aStartedChildPastItsTimeoutIsStopped() throws Exception {
        Process process = child(Duration.ofSeconds(2), "hang").start(line -> { });

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped after its timeout").isTrue();
        assertThat(process.exitValue()).isNotZero();
    }

    @Test
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> child(Duration.ZERO, "result", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive but was PT0S");
    }

    @Test
    void theClasspathMustHaveAnEntry() {
        assertThatThrownBy(() -> child(Duration.ofMinutes(1), "result", "1").withClasspath(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("classpath must have at least one entry but was empty");
    }

    @Test
    void aVariableCannotBeBothSetAndRemoved() {
        assertThatThrownBy(() -> new ChildJvm("the test child", List.of(), List.of("classes"), ChildJvmTestMain.class,
                List.of(), Map.of(VARIABLE, "set"), Set.of(VARIABLE), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("environment variable " + VARIABLE + " is both set and removed: give it in environment or"
                        + " in removedEnvironment");
    }
}
