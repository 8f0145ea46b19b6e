package io.github.mdunet.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.train.LearningRateSchedule;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ScheduleOptionTest {

    @Command(name = "app")
    static final class App {
        @Mixin
        ScheduleOption schedule = new ScheduleOption();
    }

    private static LearningRateSchedule parsed(String... args) {
        App app = new App();
        new CommandLine(app).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return app.schedule.schedule();
    }

    @Test
    void eachChoiceIsItsScheduleAndOneCycleTheDefault() {
        assertThat(parsed()).isEqualTo(LearningRateSchedule.OneCycle.fastai());
        assertThat(parsed("--schedule", "flat_cos")).isEqualTo(LearningRateSchedule.FlatCosine.fastai());
        assertThat(parsed("--schedule", "cosine")).isEqualTo(new LearningRateSchedule.Cosine(1e-5));
        assertThat(parsed("--schedule", "constant")).isEqualTo(new LearningRateSchedule.Constant());
    }
}
