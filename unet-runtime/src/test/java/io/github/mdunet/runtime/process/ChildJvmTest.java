package io.github.mdunet.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A child JVM's result line comes back with its log; each way a child fails is one error naming what ran. */
class ChildJvmTest {

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
        assertThat(command.subList(4, command.size())).containsExactly(ChildJvmTestMain.class.getName(), "result", "7");
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
    void aTimeoutMustBePositive() {
        assertThatThrownBy(() -> child(Duration.ZERO, "result", "1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("timeout must be positive but was PT0S");
    }
}
