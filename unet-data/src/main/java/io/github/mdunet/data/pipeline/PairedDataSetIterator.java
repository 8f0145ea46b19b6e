package io.github.mdunet.data.pipeline;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.train.BatchCount;
import io.github.mdunet.core.train.DataIdentity;
import io.github.mdunet.core.train.EpochOrdered;
import io.github.mdunet.data.folder.Problem;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.ImageFiles;
import io.github.mdunet.data.validate.BadSamplePolicy;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A DL4J {@link DataSetIterator} over a {@link SampleSource}: features {@code [N, C, H, W]} and labels
 * {@code [N, K, H', W']}, float, {@code N = batch()} except possibly for the last batch of an epoch; for a source
 * that {@link SampleSource#masksLabels() masks labels} also the labels mask {@code [N, 1, H', W']} (1 counts, 0 is
 * ignored by DL4J's loss layers, this project's losses and the validation metrics).
 *
 * <p>Deterministic: the sample order of epoch {@code e} and the augmentation of each sample depend only on the
 * seed, {@code e} and the sample's index, never on threads or timing. The iterator starts in epoch 0 and each
 * {@link #reset()} moves to the next epoch (a new order when shuffling); {@link #setEpoch} jumps to one. A source that
 * is one part of a longer list (a Spark partition) can be given each sample's index in that list
 * ({@link #PairedDataSetIterator(SampleSource, PipelineConfig, BadSamplePolicy, int[])}): its samples then get the
 * draws the whole list's iterator gives them.
 *
 * <p>Batches are prepared {@code prefetchBatches} ahead on {@code workers} daemon threads, so it reports
 * {@link #asyncSupported()} {@code false} and DL4J does not wrap it in another prefetching iterator. A file that
 * fails while loading (one that broke after the validation pass) surfaces from {@link #next()} as a
 * {@link BadFileException} naming it under {@link BadSamplePolicy#FAIL}; under {@link BadSamplePolicy#SKIP} it is
 * logged, listed by {@link #skipped()}, left out from then on, and its place in the batch taken by another sample drawn
 * from the seed (so batches keep their size and the epoch its batch count). {@link #close()} stops the threads.
 */
public final class PairedDataSetIterator implements DataSetIterator, BatchCount, EpochOrdered, DataIdentity,
        AutoCloseable {

    private static final long serialVersionUID = 1L;
    private static final AtomicInteger THREAD_COUNTER = new AtomicInteger();
    private static final Logger LOG = LoggerFactory.getLogger(PairedDataSetIterator.class);

    private final transient SampleSource source;
    private final PipelineConfig config;
    private final BadSamplePolicy policy;
    /** Each sample's index in the whole list, which keys its draws; null when the source is the whole list. */
    private final int[] listIndices;
    private final transient Map<Integer, Problem> skipped = new ConcurrentSkipListMap<>();
    private final int numBatches;
    private final transient Deque<Future<DataSet>> pending = new ArrayDeque<>();
    private transient ExecutorService executor;
    private DataSetPreProcessor preProcessor;
    private int epoch;
    private int[] order;
    private int nextBatch;
    private int submitted;

    /** Batches of {@code source}; a sample that fails to load fails the batch ({@link BadSamplePolicy#FAIL}). */
    public PairedDataSetIterator(SampleSource source, PipelineConfig config) {
        this(source, config, BadSamplePolicy.FAIL);
    }

    /** Batches of {@code source}; a sample that fails to load is handled as {@code policy} says. */
    public PairedDataSetIterator(SampleSource source, PipelineConfig config, BadSamplePolicy policy) {
        this(source, config, policy, null);
    }

    /**
     * Batches of {@code source}, one part of a longer list of samples (e.g. a Spark partition): sample {@code i} is
     * sample {@code listIndices[i]} of that list, and its augmentation draws (and those of a sample that replaces it
     * under {@link BadSamplePolicy#SKIP}) are the ones the whole list's iterator draws for that index, so that
     * splitting the list changes no sample's augmentation. The batches follow the source's order, shuffled as
     * {@code config} says (from the seed and the epoch, over the part's own positions): to decode a part in the
     * order of the whole list's epoch ({@link #epochOrder}), order the source so and pass a config without shuffle.
     *
     * @param listIndices each sample's index in the whole list, one per sample of {@code source}, each >= 0; null
     *                    when the source is the whole list
     */
    public PairedDataSetIterator(SampleSource source, PipelineConfig config, BadSamplePolicy policy,
                                 int[] listIndices) {
        if (source.size() == 0) {
            throw new IllegalArgumentException("PairedDataSetIterator needs at least one sample"
                    + " but the source is empty");
        }
        if (policy == null) {
            throw new IllegalArgumentException("PairedDataSetIterator.policy must be set (BadSamplePolicy.FAIL or"
                    + " SKIP)");
        }
        if (listIndices != null) {
            if (listIndices.length != source.size()) {
                throw new IllegalArgumentException("PairedDataSetIterator.listIndices needs one index per sample of"
                        + " the source (" + source.size() + ") but has " + listIndices.length);
            }
            for (int i = 0; i < listIndices.length; i++) {
                if (listIndices[i] < 0) {
                    throw new IllegalArgumentException("PairedDataSetIterator.listIndices[" + i + "] must be >= 0"
                            + " but was " + listIndices[i] + " (" + source.describe(i) + ")");
                }
            }
        }
        requireBatchFits("features", source.featureShape(), config.batchSize());
        requireBatchFits("labels", source.labelShape(), config.batchSize());
        this.source = source;
        this.config = config;
        this.policy = policy;
        this.listIndices = listIndices == null ? null : listIndices.clone();
        this.numBatches = (source.size() + config.batchSize() - 1) / config.batchSize();
        startEpoch(0);
    }

    /**
     * Refuses, when the iterator is made, a batch of {@code shape} that would not fit the one Java array it is built
     * in: rather than a negative array size on a prefetch thread at the first batch.
     */
    private static void requireBatchFits(String what, ImageShape shape, int batchSize) {
        long sample = (long) shape.channels() * shape.height() * shape.width();
        if (sample * batchSize > ImageFiles.ARRAY_LIMIT_VALUES) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "PipelineConfig.batchSize %d of %s %s is"
                    + " %,d values, more than one Java array holds (%,d); use a batch size of at most %d or smaller"
                    + " crops", batchSize, what, shape, sample * batchSize, ImageFiles.ARRAY_LIMIT_VALUES,
                    ImageFiles.ARRAY_LIMIT_VALUES / sample));
        }
    }

    /** The epoch whose batches {@link #next()} returns. */
    public synchronized int epoch() {
        return epoch;
    }

    /** Restarts at the beginning of {@code epoch} (its order and augmentation draws). */
    public synchronized void setEpoch(int value) {
        Checks.atLeast("epoch", value, 0);
        startEpoch(value);
    }

    /** Restarts at epoch {@code epoch - 1}, so that the {@link #reset()} a fitter starts an epoch with begins it. */
    @Override
    public synchronized void beforeEpoch(int epoch) {
        Checks.atLeast("epoch", epoch, 1);
        startEpoch(epoch - 1);
    }

    /** Number of samples per epoch. */
    public int numSamples() {
        return source.size();
    }

    /** Number of batches per epoch. */
    public int numBatches() {
        return numBatches;
    }

    /** {@link #numBatches()}: the trainer's schedule needs it without reading an epoch of images. */
    @Override
    public int batchesPerEpoch() {
        return numBatches();
    }

    public SampleSource source() {
        return source;
    }

    public PipelineConfig config() {
        return config;
    }

    /** The samples left out while loading under {@link BadSamplePolicy#SKIP}, by sample index, each once. */
    public List<Problem> skipped() {
        return List.copyOf(skipped.values());
    }

    /**
     * The samples (their files' names and sizes, as a hash; for a part of a list, its list indices) and everything
     * that makes batches of them: how their images are read ({@link SampleSource#imageReading()}, when not at their
     * own depth), shape, normalisation, labels (and the source's
     * {@link SampleSource#targetEncoding() target encoding}), augmentation, batch size, shuffling and seed. Not the
     * prefetching, which changes no batch.
     */
    @Override
    public String dataIdentity() {
        CRC32C samples = new CRC32C();
        for (int i = 0; i < source.size(); i++) {
            samples.update((source.identity(i) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String encoding = source.targetEncoding().isEmpty() ? "" : " from " + source.targetEncoding();
        String reading = source.imageReading().isEmpty() ? "" : ", " + source.imageReading();
        String part = "";
        if (listIndices != null) {
            CRC32C indices = new CRC32C();
            indices.update(Arrays.toString(listIndices).getBytes(StandardCharsets.UTF_8));
            part = String.format(Locale.ROOT, " at list indices [%08x]", indices.getValue());
        }
        return String.format(Locale.ROOT, "%d samples [%08x]%s%s, %s, %s, labels %s%s, augment %s, batch %d, %s,"
                        + " seed %d", source.size(), samples.getValue(), part, reading, config.output(),
                config.normalization(), config.labels(), encoding, config.augment(), config.batchSize(),
                config.shuffle() ? "shuffled" : "in order", config.seed());
    }

    /** The sample indices of epoch {@code e} in the order they are batched. */
    public int[] orderOf(int e) {
        return epochOrder(config, e, source.size());
    }

    /**
     * The indices {@code 0 .. size - 1} of a list of {@code size} samples in the order an iterator over the whole list
     * with {@code config} batches them in epoch {@code e}: shuffled from the seed and {@code e} when
     * {@code config.shuffle()}, in list order otherwise.
     */
    public static int[] epochOrder(PipelineConfig config, int e, int size) {
        Checks.atLeast("size", size, 0);
        int[] indices = new int[size];
        for (int i = 0; i < size; i++) {
            indices[i] = i;
        }
        if (config.shuffle()) {
            SplittableRandom random = new SplittableRandom(mix(config.seed(), e, -1));
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = indices[i];
                indices[i] = indices[j];
                indices[j] = swap;
            }
        }
        return indices;
    }

    /** The random source of sample {@code index}'s augmentation in epoch {@code e}. */
    public static SplittableRandom sampleRandom(long seed, int e, int index) {
        return new SplittableRandom(mix(seed, e, index));
    }

    private static long mix(long seed, int e, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + (e + 1L) * 0xC2B2AE3D27D4EB4FL + (index + 2L) * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Sample {@code index}'s index in the whole list. */
    private int listIndex(int index) {
        return listIndices == null ? index : listIndices[index];
    }

    private void startEpoch(int e) {
        cancelPending();
        epoch = e;
        order = orderOf(e);
        nextBatch = 0;
        submitted = 0;
    }

    private void cancelPending() {
        for (Future<DataSet> future : pending) {
            future.cancel(true);
        }
        pending.clear();
    }

    private DataSet build(int e, int[] epochOrder, int batchIndex) {
        int from = batchIndex * config.batchSize();
        int count = Math.min(config.batchSize(), epochOrder.length - from);
        ImageShape f = source.featureShape();
        ImageShape l = source.labelShape();
        int featureLength = f.channels() * f.height() * f.width();
        int labelLength = l.channels() * l.height() * l.width();
        int maskLength = l.height() * l.width();
        float[] features = new float[count * featureLength];
        float[] labels = new float[count * labelLength];
        float[] labelsMask = source.masksLabels() ? new float[count * maskLength] : null;
        for (int i = 0; i < count; i++) {
            loadSample(e, epochOrder[from + i], new SampleSlot(features, i * featureLength, labels, i * labelLength,
                    labelsMask, i * maskLength), featureLength, labelLength);
        }
        return new DataSet(
                Nd4j.create(features, new long[] {count, f.channels(), f.height(), f.width()}, 'c'),
                Nd4j.create(labels, new long[] {count, l.channels(), l.height(), l.width()}, 'c'),
                null,
                labelsMask == null ? null : Nd4j.create(labelsMask, new long[] {count, 1, l.height(), l.width()}, 'c'));
    }

    /**
     * Loads sample {@code index} into {@code slot}; under {@link BadSamplePolicy#SKIP} a sample that fails is
     * recorded and replaced by one of the source's drawn from the seed, the epoch and {@code index}'s list index among
     * those not skipped. A read
     * that fails because its batch was cancelled (the thread interrupted) ends the batch and counts no file as bad.
     */
    private void loadSample(int e, int index, SampleSlot slot, int featureLength, int labelLength) {
        SplittableRandom replacements = null;
        int candidate = index;
        while (true) {
            if (!skipped.containsKey(candidate)) {
                try {
                    source.load(candidate, sampleRandom(config.seed(), e, listIndex(candidate)), slot);
                    return;
                } catch (BadFileException failure) {
                    if (Thread.currentThread().isInterrupted()) {
                        // The batch was cancelled (reset, setEpoch, close) mid-read: the file is not bad, the read
                        // was cut short, and nobody waits for this batch.
                        throw new CancellationException("batch of epoch " + e + " cancelled while reading "
                                + failure.file());
                    }
                    if (policy == BadSamplePolicy.FAIL) {
                        throw failure;
                    }
                    // One-hot labels are written by setting ones: clear what the failed load may have written.
                    Arrays.fill(slot.features(), slot.featureOffset(), slot.featureOffset() + featureLength, 0f);
                    Arrays.fill(slot.labels(), slot.labelOffset(), slot.labelOffset() + labelLength, 0f);
                    skip(candidate, failure);
                }
            }
            if (skipped.size() >= source.size()) {
                throw new DatasetValidationException("every one of the " + source.size() + " samples failed to load"
                        + " (BadSamplePolicy.SKIP leaves out bad samples, but none is left)", skipped());
            }
            if (replacements == null) {
                replacements = new SplittableRandom(mix(config.seed(), e, listIndex(index)) ^ 0x5DEECE66DL);
            }
            candidate = replacements.nextInt(source.size());
        }
    }

    private void skip(int index, BadFileException failure) {
        Problem problem = Problem.error(failure.file(), failure.problem() + " (failed while loading, after the"
                + " validation pass: left out from now on)");
        if (skipped.putIfAbsent(index, problem) == null) {
            LOG.warn("skipped: {}", problem);
        }
    }

    private void fill() {
        if (config.prefetchBatches() == 0) {
            return;
        }
        if (executor == null) {
            executor = Executors.newFixedThreadPool(config.workers(), runnable -> {
                Thread thread = new Thread(runnable, "unet-data-prefetch-" + THREAD_COUNTER.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        while (submitted < numBatches && submitted - nextBatch < config.prefetchBatches()) {
            int e = epoch;
            int[] epochOrder = order;
            int batchIndex = submitted;
            pending.addLast(executor.submit(() -> build(e, epochOrder, batchIndex)));
            submitted++;
        }
    }

    @Override
    public synchronized boolean hasNext() {
        boolean more = nextBatch < numBatches;
        if (more) {
            fill();
        }
        return more;
    }

    @Override
    public synchronized DataSet next() {
        if (nextBatch >= numBatches) {
            throw new NoSuchElementException("epoch " + epoch + " has " + numBatches + " batches; call reset()");
        }
        Future<DataSet> prefetched = null;
        if (config.prefetchBatches() > 0) {
            fill();
            prefetched = pending.removeFirst();
        }
        // Counted before it is awaited: a batch that fails is passed, and the next call answers the batch after it.
        int index = nextBatch++;
        DataSet batch = prefetched == null ? build(epoch, order, index) : await(prefetched);
        fill();
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        return batch;
    }

    private static DataSet await(Future<DataSet> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a prefetched batch", e);
        } catch (CancellationException e) {
            throw new IllegalStateException("prefetched batch was cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                runtime.addSuppressed(new IllegalStateException("thrown on a prefetch thread"));
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Not supported: the batch size is fixed by the configuration. */
    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("next(int): the batch size is fixed at " + config.batchSize()
                + "; build the iterator with PipelineConfig.withBatchSize(" + num + ")");
    }

    @Override
    public int inputColumns() {
        ImageShape f = source.featureShape();
        return f.channels() * f.height() * f.width();
    }

    @Override
    public int totalOutcomes() {
        return source.labelShape().channels();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    /** Moves to the next epoch. */
    @Override
    public synchronized void reset() {
        startEpoch(epoch + 1);
    }

    @Override
    public int batch() {
        return config.batchSize();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor value) {
        this.preProcessor = value;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    /** The same batches as a {@link MultiDataSetIterator} (one input, one output). */
    public MultiDataSetIterator asMultiDataSetIterator() {
        return new MultiDataSetIteratorAdapter(this);
    }

    /** Stops the prefetch threads and drops prepared batches; using the iterator again starts new threads. */
    @Override
    public synchronized void close() {
        cancelPending();
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
        submitted = nextBatch;
    }
}
