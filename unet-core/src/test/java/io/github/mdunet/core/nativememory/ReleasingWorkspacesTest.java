package io.github.mdunet.core.nativememory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.nativememory.ReleasingWorkspaces.Policy;
import io.github.mdunet.core.testing.SettingParsing;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's gradient and working-memory workspaces learn a block and keep it; registered first, the releasing ones keep
 * none. Each case runs on a thread of its own, as workspaces are per thread.
 */
class ReleasingWorkspacesTest {

    private static final int STEPS = 30;

    private static ComputationGraph graph() {
        return UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 2, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(2).build()).graph();
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(1);
        return new DataSet(Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16), Nd4j.rand(DataType.FLOAT, 2, 2, 16, 16));
    }

    /** The thread's workspaces of the registered ids by id, after {@link #STEPS} training steps: their kept bytes. */
    private static Map<String, Long> keptBytesAfterTraining(ComputationGraph graph) {
        DataSet batch = batch();
        for (int step = 0; step < STEPS; step++) {
            graph.fit(batch);
        }
        return keptBytes();
    }

    private static Map<String, Long> keptBytes() {
        List<String> ids = ReleasingWorkspaces.ids(Policy.ALL);
        return Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread().stream()
                .filter(workspace -> ids.contains(workspace.getId()))
                .collect(Collectors.toMap(MemoryWorkspace::getId, MemoryWorkspace::getCurrentSize));
    }

    private static <T> T onFreshThread(Callable<T> work) throws Exception {
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            return thread.submit(() -> {
                try {
                    return work.call();
                } finally {
                    Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
                }
            }).get();
        } finally {
            thread.shutdown();
        }
    }

    @Test
    void dl4jsWorkspacesKeepLearntBlocksWhereTheReleasingOnesKeepNone() throws Exception {
        ComputationGraph graph = graph();
        Map<String, Long> dl4j = onFreshThread(() -> {
            assertThat(ReleasingWorkspaces.applyToThisThread(Policy.DL4J)).isEmpty();
            assertThat(ReleasingWorkspaces.isAppliedToThisThread(Policy.GRADIENTS)).as("nothing registered").isFalse();
            return keptBytesAfterTraining(graph);
        });
        String firstGradients = ReleasingWorkspaces.ACTIVATION_GRADIENTS + 0;
        assertThat(dl4j).as("DL4J's ids, as the class registers them")
                .containsKeys(ReleasingWorkspaces.WORKING_MEMORY, firstGradients);
        assertThat(dl4j.get(ReleasingWorkspaces.WORKING_MEMORY)).as("learnt working memory").isPositive();
        assertThat(dl4j.get(firstGradients)).as("learnt gradients").isPositive();

        Map<String, Long> gradients = onFreshThread(() -> {
            assertThat(ReleasingWorkspaces.applyToThisThread(Policy.GRADIENTS))
                    .hasSize(ReleasingWorkspaces.POOL_SIZE).doesNotContain(ReleasingWorkspaces.WORKING_MEMORY);
            assertThat(ReleasingWorkspaces.applyToThisThread(Policy.GRADIENTS)).as("applied already").isEmpty();
            assertThat(ReleasingWorkspaces.isAppliedToThisThread(Policy.GRADIENTS)).isTrue();
            assertThat(ReleasingWorkspaces.isAppliedToThisThread(Policy.ALL)).as("working memory is DL4J's").isFalse();
            return keptBytesAfterTraining(graph);
        });
        assertThat(gradients.get(ReleasingWorkspaces.WORKING_MEMORY)).as("DL4J's, learnt").isPositive();
        assertThat(gradients).containsKey(firstGradients).allSatisfy((id, bytes) -> assertThat(bytes).as(id)
                .isEqualTo(id.equals(ReleasingWorkspaces.WORKING_MEMORY) ? bytes : 0L));

        Map<String, Long> all = onFreshThread(() -> {
            assertThat(ReleasingWorkspaces.applyToThisThread(Policy.ALL))
                    .hasSize(ReleasingWorkspaces.POOL_SIZE + 1).contains(ReleasingWorkspaces.WORKING_MEMORY);
            return keptBytesAfterTraining(graph);
        });
        assertThat(all).containsKeys(dl4j.keySet().toArray(String[]::new))
                .allSatisfy((id, bytes) -> assertThat(bytes).as(id).isZero());
    }

    /** Between steps, DL4J's learnt workspaces are destroyed and replaced, their blocks freed. */
    @Test
    void applyingBetweenStepsReplacesDl4jsWorkspaces() throws Exception {
        ComputationGraph graph = graph();
        onFreshThread(() -> {
            Map<String, Long> learnt = keptBytesAfterTraining(graph);
            List<String> learntIds = learnt.entrySet().stream().filter(entry -> entry.getValue() > 0)
                    .map(Map.Entry::getKey).toList();
            assertThat(learntIds).isNotEmpty();
            assertThat(ReleasingWorkspaces.applyToThisThread(Policy.ALL)).containsAll(learntIds);
            assertThat(keptBytes()).allSatisfy((id, bytes) -> assertThat(bytes).as(id).isZero());
            graph.fit(batch());
            assertThat(keptBytes()).allSatisfy((id, bytes) -> assertThat(bytes).as(id).isZero());
            return null;
        });
    }

    @Test
    void thePolicyIsReadFromItsPropertyAndABadValueIsNamed() {
        SettingParsing.assertReadsUnsetBlankAndAnyCase(Policy::parse, Policy.GRADIENTS,
                Map.of("dl4j", Policy.DL4J, "All", Policy.ALL));
        assertThatThrownBy(() -> Policy.parse("lean")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("-Dmdunet.workspaces must be 'gradients', 'all' or 'dl4j' but was 'lean';"
                        + " leave it unset for 'gradients'");
    }
}
