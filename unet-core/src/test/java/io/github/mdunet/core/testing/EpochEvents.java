package io.github.mdunet.core.testing;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;

/**
 * Records what a training run tells its listeners of epochs: the epoch events with the epoch each step is reported in,
 * in order (e.g. {@code [start, 0, 0, end]}), and the epochs of each worker's (by thread name) steps.
 */
public final class EpochEvents extends BaseTrainingListener {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Map<String, List<Integer>> epochsByWorker = new ConcurrentSkipListMap<>();

    @Override
    public void onEpochStart(Model model) {
        events.add("start");
    }

    @Override
    public void onEpochEnd(Model model) {
        events.add("end");
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
        events.add(String.valueOf(epoch));
        epochsByWorker.computeIfAbsent(Thread.currentThread().getName(), worker -> new CopyOnWriteArrayList<>())
                .add(epoch);
    }

    /** The epoch events and each step's epoch, in the order they came. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** The epoch events alone, {@code start} and {@code end}, in order. */
    public List<String> startsAndEnds() {
        return events.stream().filter(event -> event.equals("start") || event.equals("end")).toList();
    }

    /** The epoch of each worker's steps in order, by the worker thread's name. */
    public Map<String, List<Integer>> epochsByWorker() {
        return epochsByWorker;
    }
}
