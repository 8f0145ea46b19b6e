package io.github.mdunet.core.train;

import io.github.mdunet.core.model.UNet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaBelief;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * Refuses updaters with a learning-rate schedule of their own (DL4J's {@code ISchedule}, e.g.
 * {@code new Adam(new StepSchedule(...))}). {@link Trainer} sets every step's rate as its
 * {@link TrainingConfig#schedule()}'s factor of each parameter's fixed rate, and {@link LearningRateFinder} sweeps
 * it: either would replace the updater's schedule by its rate at iteration 0 for the whole run, while the saved
 * configuration kept the schedule. One schedule, the trainer's, recorded in the run's state and compared on resume,
 * rather than two multiplied together, of which one would count iterations across runs and resumes by itself.
 */
final class UpdaterSchedules {

    /** ND4J's updaters with a learning rate, each of which holds its schedule in a field of its own. */
    private static final List<Nd4jSchedule> ND4J_TYPES = List.of(
            Nd4jSchedule.of(Adam.class, Adam::getLearningRateSchedule),
            Nd4jSchedule.of(AdaMax.class, AdaMax::getLearningRateSchedule),
            Nd4jSchedule.of(AMSGrad.class, AMSGrad::getLearningRateSchedule),
            Nd4jSchedule.of(Nadam.class, Nadam::getLearningRateSchedule),
            Nd4jSchedule.of(AdaBelief.class, AdaBelief::getLearningRateSchedule),
            Nd4jSchedule.of(Nesterovs.class, Nesterovs::getLearningRateSchedule),
            Nd4jSchedule.of(RmsProp.class, RmsProp::getLearningRateSchedule),
            Nd4jSchedule.of(AdaGrad.class, AdaGrad::getLearningRateSchedule),
            Nd4jSchedule.of(Sgd.class, Sgd::getLearningRateSchedule));
    /** Iterations and epochs at which an updater of another type must have its rate at (0, 0) to count as fixed. */
    private static final int[][] PROBES = {{1, 0}, {0, 1}, {10, 1}, {1000, 10}, {100_000, 100}};

    private UpdaterSchedules() {
    }

    /**
     * Refuses {@code unet} when its configured updater, or a layer's updater in its graph, has a learning-rate
     * schedule; {@code rateSetter} says who sets the rates instead, e.g. {@code "the Trainer sets ..."}.
     *
     * @throws IllegalArgumentException naming the updater, its schedule and the fix
     */
    static void requireFixedRates(UNet unet, String rateSetter) {
        IUpdater configured = unet.config().updater();
        Optional<String> schedule = scheduleOf(configured);
        if (schedule.isPresent()) {
            throw refusal("UNetConfig.updater " + configured.getClass().getSimpleName(), configured, schedule.get(),
                    rateSetter);
        }
        requireFixedRates(unet.graph(), rateSetter);
    }

    /**
     * Refuses {@code graph} when a layer's updater has a learning-rate schedule.
     *
     * @throws IllegalArgumentException naming the layer, the parameter, the updater, its schedule and the fix
     */
    static void requireFixedRates(ComputationGraph graph, String rateSetter) {
        for (Layer layer : graph.getLayers()) {
            var conf = layer.conf().getLayer();
            for (String param : layer.paramTable().keySet()) {
                IUpdater updater = conf.getUpdaterByParam(param);
                Optional<String> schedule = scheduleOf(updater);
                if (schedule.isPresent()) {
                    throw refusal("the updater " + updater.getClass().getSimpleName() + " of layer '"
                            + conf.getLayerName() + "' (parameter " + param + ")", updater, schedule.get(), rateSetter);
                }
            }
        }
    }

    /**
     * The learning-rate schedule of {@code updater}, described, if it has one: ND4J's updaters name theirs; an
     * updater of another type counts as scheduled when its rate at some iteration or epoch differs from its first.
     */
    static Optional<String> scheduleOf(IUpdater updater) {
        if (updater == null || !updater.hasLearningRate()) {
            return Optional.empty();
        }
        for (Nd4jSchedule type : ND4J_TYPES) {
            if (type.type().isInstance(updater)) {
                return Optional.ofNullable(type.read().apply(updater)).map(ISchedule::toString);
            }
        }
        double first = updater.getLearningRate(0, 0);
        for (int[] probe : PROBES) {
            double rate = updater.getLearningRate(probe[0], probe[1]);
            if (Double.compare(rate, first) != 0) {
                return Optional.of(String.format(Locale.ROOT, "a rate that moves (%s at iteration 0, epoch 0; %s at"
                        + " iteration %d, epoch %d)", first, rate, probe[0], probe[1]));
            }
        }
        return Optional.empty();
    }

    /**
     * How one of ND4J's updater types (subclasses included) gives its schedule, null when it has none.
     *
     * @param type the updater type
     * @param read its schedule's getter, for an updater of {@code type}
     */
    private record Nd4jSchedule(Class<? extends IUpdater> type, Function<IUpdater, ISchedule> read) {

        static <T extends IUpdater> Nd4jSchedule of(Class<T> type, Function<T, ISchedule> getter) {
            return new Nd4jSchedule(type, updater -> getter.apply(type.cast(updater)));
        }
    }

    private static IllegalArgumentException refusal(String subject, IUpdater updater, String schedule,
                                                    String rateSetter) {
        double first = updater.getLearningRate(0, 0);
        return new IllegalArgumentException(subject + " has a learning-rate schedule of its own, " + schedule + ", but "
                + rateSetter + ": the updater's schedule would be replaced by its first rate, " + first + ", for the"
                + " whole run, while the saved configuration kept it. Give the updater a fixed rate (e.g. new "
                + updater.getClass().getSimpleName() + "(" + first + ")) and say how it moves with the Trainer's"
                + " TrainingConfig.schedule (TrainingConfig.withSchedule: LearningRateSchedule.OneCycle, the"
                + " default, FlatCosine, Cosine or Constant; a factor of the fixed rate over the run). Nothing was"
                + " trained or saved.");
    }
}
