package io.github.mdunet.core.nativememory;

import io.github.mdunet.core.checks.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's per-thread workspaces for a {@code ComputationGraph}'s activation gradients ({@code WS_LAYER_ACT_0},
 * {@code WS_LAYER_ACT_1}, ...: a pool, each opened for one vertex's gradients and closed when they are consumed) and
 * for its layers' working memory ({@code WS_LAYER_WORKING_MEM}), made to free their arrays when they close.
 *
 * <p>DL4J configures them to learn: a workspace allocates each array apart ("spilled", freed when it closes) until it
 * has been opened a set number of times, then allocates one block of the largest size it saw and keeps it for good.
 * The gradient pool's workspaces reach that count at different steps, so a run's memory grows over its first dozen
 * steps or more and ends above what its first steps took, which is what the memory calibration measures: on the
 * seed's ResNet50 U-Net on DL4J's stock layers at 256 x 256, batch 8, the peak rose from 8.29 GiB at step 1 to
 * 8.68 GiB at step 13.
 * {@link #applyToThisThread()} registers the ids first on the calling thread with a configuration that never finishes
 * learning, so their arrays stay spilled: allocated when asked, freed when the workspace closes, as PyTorch frees a
 * tensor after its last use. {@link Policy#GRADIENTS} (the default) does it for the gradient pool: the same network
 * stays at its first steps' 8.32 GiB, at the same speed. {@link Policy#ALL} also for the working memory, whose learnt
 * block (1.15 GiB there) is the largest any layer needs, held through every layer: 7.29 GiB, for steps 16% to 19%
 * slower (each layer's working arrays are mapped afresh). docs/BENCHMARKS.md has the runs. The forward pass's
 * activations ({@code WS_ALL_LAYERS_ACT}), which all live until the backward pass ends, keep DL4J's configuration.
 *
 * <p>{@code -D}{@value #PROPERTY} picks the policy: {@code gradients} (or no value), {@code all} or {@code dl4j}.
 * Workspaces are per thread: the project's trainers, its search, its Spark workers and its memory probe apply it on
 * each thread that fits a graph; a caller of {@code graph.fit(...)} on a thread of its own calls
 * {@link #applyToThisThread()} there first ({@link #isAppliedToThisThread} checks it).
 *
 * <p>Prediction ({@code output()}, which keeps each layer's activations in the same pool) keeps DL4J's workspaces:
 * on the seed's network at 256 x 256, batch 8, its learnt blocks stop growing after about 8 forward passes, at a peak
 * 0.24 GiB (23%) above the released pool's, and save 10% to 12% of each pass's time.
 */
public final class ReleasingWorkspaces {

    /** {@code gradients} (the default), {@code all} or {@code dl4j}. */
    public static final String PROPERTY = "mdunet.workspaces";
    /** The prefix of {@code ComputationGraph}'s activation-gradient workspaces, numbered from 0. */
    static final String ACTIVATION_GRADIENTS = "WS_LAYER_ACT_";
    /** {@code ComputationGraph}'s workspace for its layers' working memory. */
    static final String WORKING_MEMORY = "WS_LAYER_WORKING_MEM";
    /** How many activation-gradient workspaces are registered: far more than a U-Net's backward pass holds open. */
    static final int POOL_SIZE = 64;

    /** Learns "over time" for longer than any run: its arrays are never moved into a kept block. */
    static final WorkspaceConfiguration RELEASING = WorkspaceConfiguration.builder()
            .initialSize(0)
            .policyLearning(LearningPolicy.OVER_TIME)
            .cyclesBeforeInitialization(Integer.MAX_VALUE)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .build();

    private ReleasingWorkspaces() {
    }

    /** Which of the calling thread's workspaces free their arrays when they close. */
    public enum Policy {
        /** The activation gradients' pool: no learnt blocks, the memory of the first steps for the whole run. */
        GRADIENTS,
        /** The gradients' pool and the layers' working memory: the least memory, slower steps. */
        ALL,
        /** DL4J's own configuration: learnt blocks, kept for the rest of the run. */
        DL4J;

        /** The policy named by {@code value} ({@code null} or blank: {@link #GRADIENTS}), in any case. */
        public static Policy parse(String value) {
            return Checks.propertyChoice(PROPERTY, value, GRADIENTS, "leave it unset for 'gradients' (the"
                    + " activation gradients' pool frees its arrays), 'all' also frees the layers' working memory (the"
                    + " least memory, slower steps), 'dl4j' keeps DL4J's learnt blocks");
        }

        /** The policy of this JVM's {@code -D}{@value #PROPERTY}. */
        public static Policy fromSystemProperty() {
            return parse(System.getProperty(PROPERTY));
        }
    }

    /**
     * Applies {@link Policy#fromSystemProperty()} to the calling thread's workspaces, before or between training
     * steps (never inside one): each id the policy names gets the releasing configuration, a workspace of DL4J's that
     * an earlier step made (and its learnt block) destroyed first. Cheap once applied.
     *
     * @return the ids whose workspace it registered (empty when they all had it already, or for {@link Policy#DL4J})
     * @throws IllegalStateException when one of them is open: the thread is inside a training step
     */
    public static List<String> applyToThisThread() {
        return applyToThisThread(Policy.fromSystemProperty());
    }

    /** As {@link #applyToThisThread()} with {@code policy} in place of the system property's. */
    public static List<String> applyToThisThread(Policy policy) {
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        List<String> registered = new ArrayList<>();
        for (String id : ids(policy)) {
            if (manager.checkIfWorkspaceExists(id)) {
                MemoryWorkspace existing = manager.getWorkspaceForCurrentThread(id);
                if (RELEASING.equals(existing.getWorkspaceConfiguration())) {
                    continue;
                }
                if (existing.isScopeActive()) {
                    throw new IllegalStateException("workspace " + id + " is open: apply the releasing workspaces"
                            + " before or between training steps, not inside one");
                }
                manager.destroyWorkspace(existing);
            }
            manager.getWorkspaceForCurrentThread(RELEASING, id);
            registered.add(id);
        }
        return registered;
    }

    /**
     * Whether the calling thread has each workspace {@code policy} names registered with the releasing configuration
     * (always for {@link Policy#DL4J}, which names none): a check for a caller that fits a graph on a thread it does
     * not own.
     */
    public static boolean isAppliedToThisThread(Policy policy) {
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        return ids(policy).stream().allMatch(id -> manager.checkIfWorkspaceExists(id)
                && RELEASING.equals(manager.getWorkspaceForCurrentThread(id).getWorkspaceConfiguration()));
    }

    /** The ids {@code policy} registers: the pool of activation gradients', and the working memory's for ALL. */
    static List<String> ids(Policy policy) {
        return switch (policy) {
            case GRADIENTS -> gradientPool();
            case ALL -> Stream.concat(Stream.of(WORKING_MEMORY), gradientPool().stream()).toList();
            case DL4J -> List.of();
        };
    }

    private static List<String> gradientPool() {
        return IntStream.range(0, POOL_SIZE).mapToObj(i -> ACTIVATION_GRADIENTS + i).toList();
    }
}
