package io.github.mdunet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.augment.AugmentPreset;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.data.testing.SmallShapes;
import io.github.mdunet.data.validate.BadSamplePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** An executor's decoding of its partition, without Spark: the batches, and a file that broke after validation. */
class DecodePartitionTest {

    @TempDir
    Path directory;

    private static ExecutorPipeline pipeline(BadSamplePolicy badSamples) {
        return ExecutorPipeline.of(PipelineConfig.training(SmallShapes.model(), 2, 3)
                .withAugment(AugmentPreset.NONE.config()), new MaskEncoding.ClassIds(), SyntheticShapes.NUM_CLASSES,
                16, badSamples);
    }

    /** {@code samples} with their indices in the list. */
    static List<ListedSample> listed(List<SampleRef> samples) {
        return IntStream.range(0, samples.size()).mapToObj(i -> new ListedSample(i, samples.get(i))).toList();
    }

    /**
     * {@code --skip-bad-files} reaches the executors: a broken file is left out there as train-folder leaves it, its
     * place in the batch refilled. Each epoch's partition is decoded afresh (by whichever executor gets it), so the
     * file is tried, and left out, again in the next epoch, as docs/SCALE-OUT.md says.
     */
    @Test
    void aFileThatBreaksAfterValidationIsSkippedOrFailsAsThePolicySays() throws IOException {
        SegmentationDataset dataset = SmallShapes.dataset(directory.resolve("data"), 8);
        List<SampleRef> samples = SampleRef.of(dataset.training());
        Files.write(dataset.training().get(1).input(), new byte[] {1, 2, 3});

        for (int epoch = 1; epoch <= 2; epoch++) {
            List<DataSet> batches = new ArrayList<>();
            Iterator<DataSet> decoded = new DecodePartition(pipeline(BadSamplePolicy.SKIP), epoch, true)
                    .call(listed(samples).iterator());
            decoded.forEachRemaining(batches::add);
            assertThat(batches.stream().mapToInt(DataSet::numExamples).sum()).as("epoch %d: the broken sample's"
                    + " place refilled", epoch).isEqualTo(samples.size());
        }

        Iterator<DataSet> failing = new DecodePartition(pipeline(BadSamplePolicy.FAIL), 1, true)
                .call(listed(samples).iterator());
        assertThatThrownBy(() -> failing.forEachRemaining(batch -> { }))
                .isInstanceOf(BadFileException.class)
                .hasMessageContaining(dataset.training().get(1).input().getFileName().toString());
    }
}
