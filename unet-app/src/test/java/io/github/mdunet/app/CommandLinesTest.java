package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.train.TrainingDivergedException;
import io.github.mdunet.data.folder.Problem;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Each kind of failure gets its exit status; only an unexpected one gets a stack trace. */
class CommandLinesTest {

    /** An app that fails as it is told. */
    @CommandLine.Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        private final Throwable failure;

        Failing(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            if (failure instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failure;
        }
    }

    private record Outcome(int exit, String err) {
    }

    private static Outcome run(Throwable failure) {
        StringWriter err = new StringWriter();
        int exit = CommandLines.of(new Failing(failure)).setErr(new PrintWriter(err, true)).execute();
        return new Outcome(exit, err.toString());
    }

    @Test
    void badDataIsItsMessageAndStatusThree() {
        Outcome outcome = run(new DatasetValidationException("dataset d", List.of(Problem.error(Path.of("masks/a.png"),
                "class id 7 outside 0..2"))));
        assertThat(outcome.exit()).isEqualTo(ExitCode.BAD_DATA.code()).isEqualTo(3);
        assertThat(outcome.err()).startsWith("failing: dataset d: 1 error(s)").contains("masks/a.png: class id 7")
                .doesNotContain("\tat ");
    }

    @Test
    void anExplainedFailureIsItsMessageAndStatusOne() {
        Outcome outcome = run(new TrainingDivergedException("training loss became NaN at epoch 3"));
        assertThat(outcome.exit()).isEqualTo(ExitCode.FAILED.code()).isEqualTo(1);
        assertThat(outcome.err()).isEqualTo("failing: training loss became NaN at epoch 3" + System.lineSeparator());
    }

    @Test
    void anUnexpectedFailureAlsoPrintsItsStackTraceAndAnErrorDoesNotEscape() {
        Outcome bug = run(new IllegalStateException("a bug"));
        assertThat(bug.exit()).isEqualTo(1);
        assertThat(bug.err()).startsWith("failing: a bug").contains("\tat ");
        Outcome error = run(new OutOfMemoryError("Java heap space"));
        assertThat(error.exit()).isEqualTo(1);
        assertThat(error.err()).startsWith("failing: Java heap space").contains("\tat ");
    }

    @Test
    void aBadOptionIsItsMessageAndTheUsageWithStatusTwo() {
        StringWriter err = new StringWriter();
        int exit = CommandLines.of(new Failing(null)).setErr(new PrintWriter(err, true)).execute("--no-such-option");
        assertThat(exit).isEqualTo(ExitCode.BAD_OPTION.code()).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-option'").contains("Usage: failing");
    }
}
