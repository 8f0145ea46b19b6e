package io.github.mdunet.data.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.data.SegmentationDataset;
import io.github.mdunet.data.TestImages;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.SegmentationFolderConfig;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.synthetic.SyntheticShapes;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.learning.config.Adam;

class PairedDataSetIteratorTest {

    private static final int SIZE = 24;

    @TempDir
    static Path root;

    private static SegmentationDataset data;

    @BeforeAll
    static void writeShapes() {
        SegmentationFolderConfig config = SyntheticShapes.write(root.resolve("shapes"), 10, 32, 3);
        data = SegmentationDataset.open(config);
    }

    /**
     * {@code samples} 16x16 one-class shapes written to {@code folder} under the root and opened (validated) with
     * {@code policy}; then the images with the indices {@code broken} are overwritten with garbage, so that they
     * break after the validation pass.
     */
    private static SegmentationDataset openThenBreak(String folder, int samples, BadSamplePolicy policy,
                                                     int... broken) {
        Path directory = root.resolve(folder);
        SegmentationDataset dataset = SegmentationDataset.open(SyntheticShapes.write(directory, samples, 16, 1),
                policy);
        for (int index : broken) {
            TestImages.garbage(directory.resolve(String.format("images/shapes_%05d.png", index)));
        }
        return dataset;
    }

    private static PipelineConfig pipeline(int batch) {
        return new PipelineConfig(new ImageShape(3, SIZE, SIZE), InputNormalization.IMAGENET, LabelFormat.ONE_HOT,
                AugmentConfig.standard(), batch, true, 11, 2, 1);
    }

    private static List<DataSet> epoch(PairedDataSetIterator iterator) {
        List<DataSet> batches = new ArrayList<>();
        while (iterator.hasNext()) {
            batches.add(iterator.next());
        }
        return batches;
    }

    @Test
    void batchesHaveNchwFeaturesAndOneHotLabels() {
        try (PairedDataSetIterator iterator = data.trainIterator(pipeline(4))) {
            List<DataSet> batches = epoch(iterator);
            assertThat(batches).hasSize(3);
            assertThat(batches.get(0).getFeatures().shape()).containsExactly(4, 3, SIZE, SIZE);
            assertThat(batches.get(0).getLabels().shape()).containsExactly(4, SyntheticShapes.NUM_CLASSES, SIZE, SIZE);
            assertThat(batches.get(2).getFeatures().shape()).containsExactly(2, 3, SIZE, SIZE);
            assertThat(batches.get(0).getFeatures().dataType()).isEqualTo(DataType.FLOAT);
            for (DataSet batch : batches) {
                INDArray classSum = batch.getLabels().sum(1);
                assertThat(classSum.minNumber().doubleValue()).isEqualTo(1.0);
                assertThat(classSum.maxNumber().doubleValue()).isEqualTo(1.0);
            }
            assertThat(batches.get(0).getLabelsMaskArray()).as("no ignored values, no labels mask").isNull();
            assertThat(iterator.batch()).isEqualTo(4);
            assertThat(iterator.totalOutcomes()).isEqualTo(4);
            assertThat(iterator.asyncSupported()).isFalse();
        }
    }

    @Test
    void binaryLabelsForASigmoidHeadWithOneClass() throws Exception {
        Path binary = root.resolve("binary");
        for (int i = 0; i < 3; i++) {
            int[] values = new int[16 * 16];
            for (int p = 0; p < values.length; p++) {
                values[p] = (p + i) % 5 == 0 ? 255 : 0;
            }
            TestImages.solid(binary.resolve("images/b" + i + ".png"), 16, 16, 0x808080);
            TestImages.grey(binary.resolve("masks/b" + i + ".png"), 16, 16, values);
        }
        SegmentationDataset dataset = SegmentationDataset.open(SegmentationFolderConfig.of(binary, 2)
                .withEncoding(MaskEncoding.ValueMap.binary255()));
        assertThat(LabelFormat.forHead(new HeadActivation.Sigmoid(), 1)).isEqualTo(LabelFormat.BINARY);
        PipelineConfig config = new PipelineConfig(new ImageShape(3, 16, 16), InputNormalization.UNIT_RANGE,
                LabelFormat.BINARY, AugmentConfig.NONE, 3, false, 0, 0, 1);
        DataSet batch = dataset.trainIterator(config).next();
        assertThat(batch.getLabels().shape()).containsExactly(3, 1, 16, 16);
        assertThat(batch.getLabels().getDouble(0, 0, 0, 0)).isEqualTo(1.0);
        assertThat(batch.getLabels().getDouble(0, 0, 0, 1)).isEqualTo(0.0);
        assertThat(batch.getLabels().sumNumber().doubleValue())
                .isEqualTo(3 * 256 / 5 + 1, org.assertj.core.data.Offset.offset(2.0));
    }

    /** A batch that no Java array holds is refused when the iterator is made, naming the batch size that fits. */
    @Test
    void aBatchLargerThanAJavaArrayIsRefusedWithTheLargestBatchThatFits() {
        SampleSource huge = new SampleSource() {
            @Override
            public int size() {
                return 40;
            }

            @Override
            public ImageShape featureShape() {
                return new ImageShape(3, 8192, 8192);
            }

            @Override
            public ImageShape labelShape() {
                return new ImageShape(2, 8192, 8192);
            }

            @Override
            public void load(int index, SplittableRandom random, SampleSlot slot) {
                throw new AssertionError("no sample is loaded before the batch size is checked");
            }

            @Override
            public String describe(int index) {
                return "huge " + index;
            }
        };
        assertThatThrownBy(() -> new PairedDataSetIterator(huge, pipeline(16), BadSamplePolicy.FAIL, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PipelineConfig.batchSize 16 of features 3x8192x8192 is 3,221,225,472"
                        + " values, more than one Java array holds (2,147,483,639); use a batch size of at most 10");
    }

    /** A microscope's folder: 16-bit grey images and 16-bit label maps train as 8-bit ones, every level kept. */
    @Test
    void sixteenBitImagesAndMasksReachTheBatchesAtFullPrecision() {
        Path folder = root.resolve("sixteen-bit");
        for (int i = 0; i < 2; i++) {
            TestImages.grey16(folder.resolve("images/s" + i + ".png"), 8, 8, 1000 + i);
            TestImages.grey16(folder.resolve("masks/s" + i + ".png"), 8, 8, 1 + i);
        }
        SegmentationDataset dataset = SegmentationDataset.open(SegmentationFolderConfig.of(folder, 3)
                .withImageChannels(1));
        PipelineConfig config = new PipelineConfig(new ImageShape(1, 8, 8), InputNormalization.UNIT_RANGE,
                LabelFormat.ONE_HOT, AugmentConfig.NONE, 2, false, 0, 0, 1);

        DataSet batch = dataset.trainIterator(config).next();
        assertThat(batch.getFeatures().getDouble(0, 0, 3, 3)).isCloseTo(1000 / 257.0 / 255.0,
                org.assertj.core.data.Offset.offset(1e-7));
        assertThat(batch.getFeatures().getDouble(1, 0, 3, 3)).as("one level up, not rounded away")
                .isCloseTo(1001 / 257.0 / 255.0, org.assertj.core.data.Offset.offset(1e-7));
        assertThat(batch.getLabels().getDouble(0, 1, 0, 0)).isEqualTo(1.0);
        assertThat(batch.getLabels().getDouble(1, 2, 0, 0)).isEqualTo(1.0);
    }

    @Test
    void ignoredMaskValuesHaveNoClassAndZeroInTheLabelsMask() {
        Path folder = root.resolve("ignored");
        for (int i = 0; i < 3; i++) {
            int[] values = new int[16 * 16];
            for (int p = 0; p < values.length; p++) {
                values[p] = p % 4 == 0 ? 255 : (p / 16 + i) % 2;
            }
            TestImages.solid(folder.resolve("images/v" + i + ".png"), 16, 16, 0x808080);
            TestImages.grey(folder.resolve("masks/v" + i + ".png"), 16, 16, values);
        }
        SegmentationDataset dataset = SegmentationDataset.open(SegmentationFolderConfig.of(folder, 2)
                .withEncoding(new MaskEncoding.ClassIds(Set.of(255))));
        PipelineConfig plain = new PipelineConfig(new ImageShape(3, 16, 16), InputNormalization.UNIT_RANGE,
                LabelFormat.ONE_HOT, AugmentConfig.NONE, 3, false, 0, 0, 1);
        DataSet batch = dataset.trainIterator(plain).next();
        INDArray mask = batch.getLabelsMaskArray();
        assertThat(mask.shape()).containsExactly(3, 1, 16, 16);
        assertThat(mask.get(all(), all(), all(), point(0)).maxNumber().doubleValue())
                .as("the ignored first column").isEqualTo(0.0);
        assertThat(mask.sumNumber().doubleValue()).as("every fourth column ignored").isEqualTo(3 * 16 * 12);
        assertThat(batch.getLabels().sum(true, 1)).as("one class exactly where the mask counts").isEqualTo(mask);

        // Through random crops, rotations and flips, mask and labels stay one nearest-neighbour draw.
        PipelineConfig augmented = new PipelineConfig(new ImageShape(3, 12, 12), InputNormalization.UNIT_RANGE,
                LabelFormat.ONE_HOT, AugmentConfig.standard(), 3, true, 5, 0, 1);
        DataSet drawn = dataset.trainIterator(augmented).next();
        assertThat(drawn.getLabels().sum(true, 1)).isEqualTo(drawn.getLabelsMaskArray());
        assertThat(drawn.getLabelsMaskArray().sumNumber().doubleValue()).isLessThan(3 * 12 * 12);
    }

    @Test
    void sameSeedGivesTheSameBatchesWithOrWithoutPrefetchThreads() {
        PairedDataSetIterator threaded = data.trainIterator(pipeline(3).withPrefetch(3, 2));
        PairedDataSetIterator inline = data.trainIterator(pipeline(3).withPrefetch(0, 1));
        for (int e = 0; e < 2; e++) {
            List<DataSet> a = epoch(threaded);
            List<DataSet> b = epoch(inline);
            assertThat(a).hasSameSizeAs(b);
            for (int i = 0; i < a.size(); i++) {
                assertThat(a.get(i).getFeatures()).isEqualTo(b.get(i).getFeatures());
                assertThat(a.get(i).getLabels()).isEqualTo(b.get(i).getLabels());
            }
            threaded.reset();
            inline.reset();
        }
        threaded.close();
    }

    @Test
    void eachEpochIsANewPermutationAndSetEpochReplaysIt() {
        PairedDataSetIterator iterator = data.trainIterator(pipeline(4));
        Set<String> orders = new HashSet<>();
        for (int e = 0; e < 4; e++) {
            int[] order = iterator.orderOf(e);
            assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
            orders.add(java.util.Arrays.toString(order));
        }
        assertThat(orders).hasSize(4);
        assertThat(data.trainIterator(pipeline(4).withShuffle(false)).orderOf(3))
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);

        DataSet first = iterator.next();
        iterator.reset();
        assertThat(iterator.epoch()).isEqualTo(1);
        DataSet secondEpoch = iterator.next();
        assertThat(secondEpoch.getFeatures()).isNotEqualTo(first.getFeatures());
        iterator.setEpoch(0);
        assertThat(iterator.next().getFeatures()).isEqualTo(first.getFeatures());
        iterator.close();
    }

    /**
     * A part of the list (a Spark partition) given its samples' list indices gets, sample for sample, the augmentation
     * the whole list's iterator gives them in that epoch; without the indices the part's first sample would get the
     * list's first sample's draws. The whole list's epoch order is available without an iterator.
     */
    @Test
    void aPartOfTheListGetsTheWholeListsDrawsForItsSamples() {
        PipelineConfig inOrder = pipeline(2).withShuffle(false).withPrefetch(0, 1);
        PairedDataSetIterator whole = data.trainIterator(inOrder);
        whole.setEpoch(1);
        List<INDArray> wholeRows = rows(epoch(whole));
        List<SamplePair> part = data.training().subList(6, 10);
        SegmentationSource source = new SegmentationSource(part, new MaskEncoding.ClassIds(),
                SyntheticShapes.NUM_CLASSES, 16, inOrder);
        PairedDataSetIterator partIterator = new PairedDataSetIterator(source, inOrder, BadSamplePolicy.FAIL,
                new int[] {6, 7, 8, 9});
        partIterator.setEpoch(1);
        assertThat(rows(epoch(partIterator))).containsExactlyElementsOf(wholeRows.subList(6, 10));
        PairedDataSetIterator unindexed = new PairedDataSetIterator(source, inOrder, BadSamplePolicy.FAIL);
        unindexed.setEpoch(1);
        assertThat(rows(epoch(unindexed)).get(0)).isNotEqualTo(wholeRows.get(6));

        assertThat(PairedDataSetIterator.epochOrder(pipeline(4), 3, 10))
                .containsExactly(data.trainIterator(pipeline(4)).orderOf(3));
        assertThatThrownBy(() -> new PairedDataSetIterator(source, inOrder, BadSamplePolicy.FAIL, new int[] {6, 7}))
                .hasMessage("PairedDataSetIterator.listIndices needs one index per sample of the source (4) but"
                        + " has 2");
    }

    /** Each sample's features of {@code batches}, in order. */
    private static List<INDArray> rows(List<DataSet> batches) {
        List<INDArray> rows = new ArrayList<>();
        for (DataSet batch : batches) {
            for (int i = 0; i < batch.numExamples(); i++) {
                rows.add(batch.getFeatures().get(point(i), all(), all(), all()).dup());
            }
        }
        return rows;
    }

    @Test
    void validationBatchesAreUnaugmentedAndStable() {
        PipelineConfig evaluation = pipeline(5).withAugment(AugmentConfig.NONE).withShuffle(false);
        PairedDataSetIterator iterator = data.trainIterator(evaluation);
        INDArray first = iterator.next().getFeatures();
        iterator.reset();
        assertThat(iterator.next().getFeatures()).isEqualTo(first);
        iterator.close();
    }

    /**
     * Trained on random crops at scale 0.75-1.25 ({@link AugmentConfig#standard()}), a model is validated on the
     * centre window of each image's own pixels, not on the whole image squeezed into its input; the evaluation
     * pipeline still resizes the whole image.
     */
    @Test
    void validationAfterRandomCropsIsTheCentreWindowAtNativeScale() {
        int width = 2 * SIZE + 8;
        int height = SIZE + 6;
        int[] rgb = new int[width * height];
        int[] window = new int[SIZE * SIZE];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                rgb[y * width + x] = (x * 3) << 16 | (y * 5) << 8 | (x + y) % 7 * 30;
            }
        }
        int ox = (width - SIZE) / 2;
        int oy = (height - SIZE) / 2;
        for (int y = 0; y < SIZE; y++) {
            System.arraycopy(rgb, (oy + y) * width + ox, window, y * SIZE, SIZE);
        }
        Path wide = root.resolve("wide");
        TestImages.rgb(wide.resolve("images/a.png"), width, height, rgb);
        TestImages.greyFill(wide.resolve("masks/a.png"), width, height, 1);
        TestImages.rgb(wide.resolve("val/images/b.png"), width, height, rgb);
        TestImages.greyFill(wide.resolve("val/masks/b.png"), width, height, 1);
        Path cut = root.resolve("window");
        TestImages.rgb(cut.resolve("images/b.png"), SIZE, SIZE, window);
        TestImages.greyFill(cut.resolve("masks/b.png"), SIZE, SIZE, 1);
        SegmentationDataset dataset = SegmentationDataset.open(SegmentationFolderConfig.of(wide, 2)
                .withSplit(new Split.ByFolder(wide.resolve("val/images"), wide.resolve("val/masks"))));
        SegmentationDataset windowOnly = SegmentationDataset.open(SegmentationFolderConfig.of(cut, 2));

        try (PairedDataSetIterator validation = dataset.validationIterator(pipeline(1));
             PairedDataSetIterator expected = windowOnly.trainIterator(pipeline(1).withAugment(AugmentConfig.NONE));
             PairedDataSetIterator squeezed = dataset.validationIterator(
                     pipeline(1).withAugment(AugmentConfig.NONE))) {
            INDArray centre = validation.next().getFeatures();
            assertThat(centre).isEqualTo(expected.next().getFeatures());
            assertThat(squeezed.next().getFeatures()).isNotEqualTo(centre);
        }
    }

    @Test
    void pureRedLandsInChannelZeroForRgbAndTwoForBgr() {
        Path red = root.resolve("red");
        TestImages.solid(red.resolve("images/r.png"), 8, 8, 0xFF0000);
        TestImages.greyFill(red.resolve("masks/r.png"), 8, 8, 0);
        SegmentationDataset dataset = SegmentationDataset.open(SegmentationFolderConfig.of(red, 2));
        PipelineConfig rgb = new PipelineConfig(new ImageShape(3, 8, 8), InputNormalization.UNIT_RANGE,
                LabelFormat.ONE_HOT, AugmentConfig.NONE, 1, false, 0, 0, 1);
        INDArray rgbFeatures = dataset.trainIterator(rgb).next().getFeatures();
        assertThat(rgbFeatures.getDouble(0, 0, 3, 3)).isEqualTo(1.0);
        assertThat(rgbFeatures.getDouble(0, 2, 3, 3)).isEqualTo(0.0);
        INDArray bgrFeatures = dataset.trainIterator(rgb.withNormalization(new InputNormalization(ChannelOrder.BGR,
                1.0 / 255, List.of(0.0), List.of(1.0)))).next().getFeatures();
        assertThat(bgrFeatures.getDouble(0, 0, 3, 3)).isEqualTo(0.0);
        assertThat(bgrFeatures.getDouble(0, 2, 3, 3)).isEqualTo(1.0);
    }

    @Test
    void aFileBrokenAfterValidationIsNamedByNext() throws Exception {
        SegmentationDataset dataset = openThenBreak("broken", 2, BadSamplePolicy.FAIL, 1);
        PairedDataSetIterator iterator = dataset.trainIterator(pipeline(2).withShuffle(false));
        assertThatThrownBy(iterator::next).isInstanceOf(BadFileException.class)
                .hasMessageContaining("shapes_00001.png: not a readable image");
        iterator.close();
    }

    /**
     * Resetting cancels the batches decoded ahead, which interrupts their threads mid-read; under SKIP those reads
     * once counted as bad files, until every sample of a good folder was left out (the trainer's emptiness check on
     * the validation iterator, a hasNext and a reset, was enough).
     */
    @Test
    void cancellingPrefetchedBatchesLeavesNoGoodFileOut() throws InterruptedException {
        SegmentationDataset dataset = SegmentationDataset.open(SyntheticShapes.write(root.resolve("cancelled"), 24,
                192, 5), BadSamplePolicy.SKIP);
        PipelineConfig config = new PipelineConfig(new ImageShape(3, 96, 96), InputNormalization.UNIT_RANGE,
                LabelFormat.ONE_HOT, AugmentConfig.NONE, 4, false, 1, 3, 1);
        try (PairedDataSetIterator iterator = dataset.iterator(dataset.training(), config)) {
            for (int round = 0; round < 6; round++) {
                iterator.hasNext();
                Thread.sleep(round * 3L);
                iterator.reset();
            }
            int samples = epoch(iterator).stream().mapToInt(DataSet::numExamples).sum();

            assertThat(iterator.skipped()).isEmpty();
            assertThat(samples).isEqualTo(dataset.training().size());
        }
    }

    /** The trainer's positioning: after beforeEpoch(e), the reset an epoch starts with begins epoch e. */
    @Test
    void beforeEpochMakesTheNextResetStartThatEpoch() {
        try (PairedDataSetIterator iterator = data.iterator(data.training(), pipeline(2))) {
            iterator.beforeEpoch(3);
            iterator.reset();
            assertThat(iterator.epoch()).isEqualTo(3);
            DataSet third = iterator.next();
            iterator.setEpoch(3);
            assertThat(iterator.next().getFeatures()).as("epoch 3's first batch").isEqualTo(third.getFeatures());
        }
    }

    /**
     * Under FAIL a broken file fails its batch; a caller that catches it and goes on gets the batches after it, in
     * order, and at the end the clear "call reset()" message. Before, every later batch came one call late.
     */
    @Test
    void afterAFailedBatchTheNextCallAnswersTheBatchAfterIt() {
        SegmentationDataset dataset = openThenBreak("fail-then-go-on", 6, BadSamplePolicy.FAIL, 0);
        PipelineConfig plain = new PipelineConfig(new ImageShape(3, 16, 16), InputNormalization.UNIT_RANGE,
                LabelFormat.ONE_HOT, AugmentConfig.NONE, 2, false, 1, 2, 1);
        try (PairedDataSetIterator iterator = dataset.iterator(dataset.training(), plain)) {
            assertThatThrownBy(iterator::next).isInstanceOf(BadFileException.class);
            DataSet second = iterator.next();
            DataSet third = iterator.next();
            assertThat(iterator.hasNext()).isFalse();
            assertThatThrownBy(iterator::next).hasMessageContaining("has 3 batches; call reset()");

            iterator.setEpoch(iterator.epoch());
            assertThatThrownBy(iterator::next).isInstanceOf(BadFileException.class);
            assertThat(iterator.next().getFeatures()).isEqualTo(second.getFeatures());
            assertThat(iterator.next().getFeatures()).isEqualTo(third.getFeatures());
        }
    }

    /** Opened with SKIP, a file that breaks after validation is left out, not the end of training. */
    @Test
    void aFileBrokenAfterValidationIsSkippedUnderTheSkipPolicy() {
        SegmentationDataset dataset = openThenBreak("broken-skip", 6, BadSamplePolicy.SKIP, 1);
        try (PairedDataSetIterator iterator = dataset.trainIterator(pipeline(2))) {
            for (int e = 0; e < 2; e++) {
                List<DataSet> batches = epoch(iterator);
                assertThat(batches).hasSize(3).allSatisfy(batch -> assertThat(batch.numExamples()).isEqualTo(2));
                assertThat(batches).allSatisfy(batch -> assertThat(batch.getLabels().sumNumber().intValue())
                        .as("one class per pixel").isEqualTo(2 * SIZE * SIZE));
                iterator.reset();
            }
            assertThat(iterator.skipped()).singleElement().satisfies(problem -> assertThat(problem.toString())
                    .startsWith("images/shapes_00001.png: not a readable image")
                    .endsWith("(failed while loading, after the validation pass: left out from now on)"));
        }
        try (PairedDataSetIterator failing = SegmentationDataset.open(SyntheticShapes.write(
                root.resolve("broken-fail"), 2, 16, 1), BadSamplePolicy.FAIL).trainIterator(pipeline(2))) {
            TestImages.garbage(root.resolve("broken-fail/images/shapes_00000.png"));
            assertThatThrownBy(failing::next).isInstanceOf(BadFileException.class);
        }
    }

    @Test
    void whenEverySampleBreaksTheSkipPolicyStopsWithTheList() {
        SegmentationDataset dataset = openThenBreak("all-broken", 2, BadSamplePolicy.SKIP, 0, 1);
        try (PairedDataSetIterator iterator = dataset.trainIterator(pipeline(2))) {
            assertThatThrownBy(iterator::next).isInstanceOf(DatasetValidationException.class)
                    .hasMessageContaining("every one of the 2 samples failed to load")
                    .hasMessageContaining("shapes_00000.png").hasMessageContaining("shapes_00001.png");
        }
    }

    /** What a resumed training run compares: the same files (also moved) and pipeline, or not. */
    @Test
    void theDataIdentityChangesWithTheFilesAndThePipelineButNotWithTheFolder() throws Exception {
        Path first = root.resolve("identity/a");
        SyntheticShapes.write(first, 4, 16, 1);
        String identity = SegmentationDataset.open(SegmentationFolderConfig.of(first, SyntheticShapes.NUM_CLASSES))
                .trainIterator(pipeline(2)).dataIdentity();
        assertThat(identity).startsWith("4 samples [").contains("batch 2, shuffled, seed 11");

        Path moved = root.resolve("identity/b");
        java.nio.file.Files.move(first, moved);
        SegmentationDataset atNewPlace = SegmentationDataset.open(SegmentationFolderConfig.of(moved,
                SyntheticShapes.NUM_CLASSES));
        assertThat(atNewPlace.trainIterator(pipeline(2)).dataIdentity()).isEqualTo(identity);
        assertThat(atNewPlace.trainIterator(pipeline(4)).dataIdentity()).isNotEqualTo(identity);
        assertThat(atNewPlace.trainIterator(pipeline(2).withSeed(12)).dataIdentity()).isNotEqualTo(identity);
        String ignoring = SegmentationDataset.open(SegmentationFolderConfig.of(moved, SyntheticShapes.NUM_CLASSES)
                .withEncoding(new MaskEncoding.ClassIds(Set.of(255)))).trainIterator(pipeline(2)).dataIdentity();
        assertThat(ignoring).as("the masks read otherwise").isNotEqualTo(identity)
                .contains("labels ONE_HOT from masks ClassIds{ignored [255]}");

        TestImages.solid(moved.resolve("images/shapes_00002.png"), 20, 20, 0x123456);
        TestImages.greyFill(moved.resolve("masks/shapes_00002.png"), 20, 20, 0);
        assertThat(SegmentationDataset.open(SegmentationFolderConfig.of(moved, SyntheticShapes.NUM_CLASSES))
                .trainIterator(pipeline(2)).dataIdentity()).startsWith("4 samples [").isNotEqualTo(identity);
    }

    @Test
    void trainsADl4jGraphThroughFitAndTheMultiDataSetAdapter() {
        UNetConfig model = UNetConfig.builder()
                .encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(3, SIZE, SIZE))
                .numClasses(SyntheticShapes.NUM_CLASSES)
                .upsample(new UpsampleMode.Transposed())
                .updater(new Adam(1e-3))
                .build();
        UNet unet = UNet.build(model);
        PipelineConfig config = PipelineConfig.training(model, 5, 1);
        assertThat(config.normalization()).isEqualTo(model.encoder().inputNormalization());
        assertThat(config.labels()).isEqualTo(LabelFormat.ONE_HOT);
        PairedDataSetIterator iterator = data.trainIterator(config);
        unet.graph().fit(iterator, 2);
        assertThat(iterator.epoch()).isGreaterThanOrEqualTo(1);
        MultiDataSetIterator multi = iterator.asMultiDataSetIterator();
        multi.reset();
        MultiDataSet batch = multi.next();
        assertThat(batch.getLabels(0).shape()).containsExactly(5, 4, SIZE, SIZE);
        unet.graph().fit(multi);
        assertThat(Double.isFinite(unet.graph().score())).isTrue();
        iterator.close();
    }
}
