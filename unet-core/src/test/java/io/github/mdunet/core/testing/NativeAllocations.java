package io.github.mdunet.core.testing;

import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Counts the bytes of the ND4J arrays some work creates: the work runs in a workspace of size 0 that spills every
 * allocation and counts it. Arrays made with {@code scopeOutOfWorkspaces()} (a fake model's outputs) are not counted.
 */
public final class NativeAllocations {

    /** What some work returned and the bytes of the arrays it created. */
    public record Counted<T>(T result, long bytes) {
    }

    private NativeAllocations() {
    }

    /** The bytes of the arrays {@code work} creates. */
    public static long of(Runnable work) {
        return counted(() -> {
            work.run();
            return null;
        }).bytes();
    }

    /** What {@code work} returns and the bytes of the arrays it creates. */
    public static <T> Counted<T> counted(Supplier<T> work) {
        WorkspaceConfiguration spillEverything = WorkspaceConfiguration.builder().initialSize(0)
                .policyLearning(LearningPolicy.NONE).policyAllocation(AllocationPolicy.STRICT)
                .policySpill(SpillPolicy.EXTERNAL).build();
        try (MemoryWorkspace counting = Nd4j.getWorkspaceManager().getAndActivateWorkspace(spillEverything,
                "counted-allocations-" + Thread.currentThread().getId())) {
            T result = work.get();
            return new Counted<>(result, counting.getThisCycleAllocations());
        }
    }
}
