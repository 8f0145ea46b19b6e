package io.github.mdunet.examples.report;

import io.github.mdunet.core.train.EpochRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a run's time went, the report's timing section. A resumed run's history holds the epochs of the processes
 * before it too, while its wall time is this process's: only this process's epochs are split out of that time, the
 * earlier ones are shown apart.
 *
 * @param history       every finished epoch of the run, those of earlier processes first
 * @param earlierEpochs how many of them earlier processes finished: the epoch a {@code --resume} run continued
 *                      after, 0 for a run this process started
 * @param runSeconds    this process's wall time, data checks and evaluation included
 */
record RunTiming(List<EpochRecord> history, int earlierEpochs, double runSeconds) {

    RunTiming {
        history = List.copyOf(history);
        if (earlierEpochs < 0 || earlierEpochs > history.size()) {
            throw new IllegalArgumentException("earlierEpochs must be in [0, " + history.size()
                    + "] (the history's epochs) but was " + earlierEpochs);
        }
    }

    /** Label to value, in the order shown. */
    Map<String, String> rows() {
        List<EpochRecord> earlier = history.subList(0, earlierEpochs);
        List<EpochRecord> own = history.subList(earlierEpochs, history.size());
        double ownSeconds = seconds(own);
        Map<String, String> timing = new LinkedHashMap<>();
        timing.put("whole run", duration(runSeconds)
                + (earlier.isEmpty() ? "" : " (this process, resumed after epoch " + earlierEpochs + ")"));
        timing.put("training and validation", duration(ownSeconds) + " over " + own.size() + " epoch(s)");
        timing.put("mean epoch", duration(seconds(history) / history.size()));
        timing.put("data checks, evaluation and report", duration(Math.max(0, runSeconds - ownSeconds)));
        if (!earlier.isEmpty()) {
            timing.put("earlier runs (resumed)", duration(seconds(earlier)) + " over epochs 1 to " + earlierEpochs);
        }
        return timing;
    }

    private static double seconds(List<EpochRecord> epochs) {
        return epochs.stream().mapToDouble(EpochRecord::seconds).sum();
    }

    static String duration(double seconds) {
        Duration d = Duration.ofMillis(Math.round(seconds * 1000));
        return d.toMinutes() > 0 ? String.format(Locale.ROOT, "%d min %d s", d.toMinutes(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
