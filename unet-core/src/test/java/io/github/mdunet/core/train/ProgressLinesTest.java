package io.github.mdunet.core.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import org.junit.jupiter.api.Test;

class ProgressLinesTest {

    @Test
    void eachRenderingIsALineOfItsOwnWithoutCarriageReturnsOrRepeats() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressLines lines = new ProgressLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        lines.accept("\repoch 1/2  50% [===   ] 2/4");
        lines.accept("epoch 1/2  50% [===   ] 2/4");
        lines.accept("epoch 1/2 100% [======] 4/4");
        lines.close();

        assertThat(bytes.toString(StandardCharsets.UTF_8)).isEqualTo(String.format(
                "epoch 1/2  50%% [===   ] 2/4%nepoch 1/2 100%% [======] 4/4%n"));
    }

    @Test
    void aBarDrawnThroughItEndsWithItsFinalStateOnALineAndNoCarriageReturn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("epoch 1/1").setInitialMax(3)
                .setConsumer(new ProgressLines(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .setUpdateIntervalMillis(ProgressLines.INTERVAL_MILLIS).build()) {
            bar.stepBy(3);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);

        assertThat(printed).doesNotContain("\r").contains("epoch 1/1 100%").contains("3/3").endsWith(
                System.lineSeparator());
        assertThat(printed.lines().filter(line -> line.contains("100%")).count()).isEqualTo(1);
    }
}
