package io.github.mdunet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.examples.CommandLineErrorsTest.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The parameter table's app prints the table at the size its two arguments give. */
class PrintParameterTableTest {

    @Test
    @Timeout(300)
    void printsTheTableAtTheGivenSize() {
        Run run = CommandLineErrorsTest.run(new PrintParameterTable(), "256", "256");

        assertThat(run.exitCode()).as(run.all()).isZero();
        assertThat(run.out()).startsWith("| backbone | skips (stride: channels) | encoder | U-Net NONE 2.0 |");
    }
}
