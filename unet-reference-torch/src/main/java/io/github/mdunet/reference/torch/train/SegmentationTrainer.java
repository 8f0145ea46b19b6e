package io.github.mdunet.reference.torch.train;

import io.github.mdunet.reference.torch.data.Augmentation;
import io.github.mdunet.reference.torch.data.SampleTransform;
import io.github.mdunet.reference.torch.data.SegmentationSet;
import io.github.mdunet.reference.torch.net.Mode;
import io.github.mdunet.reference.torch.net.Tensors;
import io.github.mdunet.reference.torch.net.TorchNetwork;
import io.github.mdunet.reference.torch.spec.ImageShape;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Recipe;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

/**
 * Trains one seed on an in-memory set and evaluates it on a held-out set. Per epoch the order is shuffled with a
 * {@link Random} seeded by the seed (which also draws the augmentation), batches of the recipe's size are taken in
 * that order (the last partial batch kept), and the learning rate is set before every step from the schedule over
 * epochs * ceil(n / batchSize) steps (or the recipe's totalSteps).
 *
 * @param log where each epoch's loss and time and each seed's evaluation are printed
 */
public record SegmentationTrainer(NetworkSpec spec, Recipe recipe, Augmentation augmentation, PrintStream log) {

    /** Refuses a network whose logits are not at the input's height and width, the size of the folder masks. */
    public SegmentationTrainer {
        ImageShape input = spec.input().shape();
        ImageShape logits = spec.shapes().get(spec.lossVertex().input());
        if (logits.height() != input.height() || logits.width() != input.width()) {
            throw new IllegalArgumentException("training on image folders needs logits at the input size "
                    + input.height() + " x " + input.width() + " but '" + spec.lossVertex().input() + "' is "
                    + logits.height() + " x " + logits.width());
        }
    }

    /** Trains from the given weights with this seed and evaluates on the held-out set. */
    public SeedResult run(long seed, InitialWeights init, SegmentationSet train, SegmentationSet heldout) {
        TorchNetwork network = TorchNetwork.create(spec);
        if (init instanceof InitialWeights.Given given) {
            network.load(given.arrays());
        } else {
            network.initialize(torch.make_generator_cpu(seed));
        }
        AdamOptimizer adam = new AdamOptimizer(network.trainable(), recipe.adam(), recipe.weightDecay());
        int samples = train.size();
        int batchSize = recipe.batchSize();
        long stepsPerEpoch = (samples + batchSize - 1) / batchSize;
        long totalSteps = recipe.totalSteps().orElse(stepsPerEpoch * recipe.epochs());
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>(IntStream.range(0, samples).boxed().toList());
        List<Double> losses = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        List<Double> cpuSeconds = new ArrayList<>();
        long step = 0;
        for (int epoch = 1; epoch <= recipe.epochs(); epoch++) {
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            Collections.shuffle(order, random);
            double lossSum = 0;
            for (int from = 0; from < samples; from += batchSize) {
                if (step >= totalSteps) {
                    throw new IllegalArgumentException("recipe totalSteps " + totalSteps + " is less than the "
                            + stepsPerEpoch * recipe.epochs() + " steps of " + recipe.epochs() + " epochs");
                }
                List<Integer> batch = order.subList(from, Math.min(samples, from + batchSize));
                lossSum += trainStep(network, adam, train, batch, random, recipe.learningRateAt(step, totalSteps))
                        * batch.size();
                step++;
            }
            double epochSeconds = (System.nanoTime() - start) / 1e9;
            double epochCpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            losses.add(lossSum / samples);
            seconds.add(epochSeconds);
            cpuSeconds.add(epochCpuSeconds);
            log.printf("seed %d epoch %d/%d train loss %.5f %.1f s (process CPU %.1f s)%n", seed, epoch,
                    recipe.epochs(), lossSum / samples, epochSeconds, epochCpuSeconds);
        }
        ConfusionMatrix confusion = evaluate(network, heldout);
        List<Double> perClass = new ArrayList<>();
        for (double iou : confusion.perClassIoU()) {
            perClass.add(iou);
        }
        log.printf("seed %d held-out mean IoU %.4f pixel accuracy %.4f%n", seed, confusion.meanIoU(),
                confusion.pixelAccuracy());
        return new SeedResult(seed, confusion.meanIoU(), perClass, confusion.pixelAccuracy(), losses, seconds,
                cpuSeconds);
    }

    /** CPU time of the whole process, native threads included; 0 where the JVM cannot tell. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }

    private double trainStep(TorchNetwork network, AdamOptimizer adam, SegmentationSet train, List<Integer> batch,
            Random random, double learningRate) {
        ImageShape shape = train.shape();
        int imageSize = shape.channels() * shape.height() * shape.width();
        int plane = shape.height() * shape.width();
        float[] x = new float[batch.size() * imageSize];
        long[] y = new long[batch.size() * plane];
        for (int i = 0; i < batch.size(); i++) {
            int sample = batch.get(i);
            SampleTransform.draw(augmentation, random, shape).apply(shape, train.images().get(sample),
                    train.masks().get(sample), x, i * imageSize, y, i * plane);
        }
        try (PointerScope scope = new PointerScope()) {
            Tensor images = Tensors.floats(shape.withBatch(batch.size()), x);
            Tensor labels = Tensors.longs(new long[] {batch.size(), shape.height(), shape.width()}, y);
            adam.zeroGrad();
            Tensor loss = network.loss(network.logits(images, Mode.TRAIN), labels);
            loss.backward();
            adam.step(learningRate);
            return loss.item_double();
        }
    }

    /** Confusion matrix over every held-out pixel, the network in eval mode. */
    public ConfusionMatrix evaluate(TorchNetwork network, SegmentationSet heldout) {
        ImageShape shape = heldout.shape();
        int imageSize = shape.channels() * shape.height() * shape.width();
        int plane = shape.height() * shape.width();
        ConfusionMatrix confusion = new ConfusionMatrix(spec.classes());
        for (int from = 0; from < heldout.size(); from += recipe.batchSize()) {
            int count = Math.min(recipe.batchSize(), heldout.size() - from);
            float[] x = new float[count * imageSize];
            long[] y = new long[count * plane];
            for (int i = 0; i < count; i++) {
                SampleTransform.IDENTITY.apply(shape, heldout.images().get(from + i), heldout.masks().get(from + i), x,
                        i * imageSize, y, i * plane);
            }
            try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
                Tensor logits = network.logits(Tensors.floats(shape.withBatch(count), x), Mode.EVAL);
                confusion.add(y, Tensors.toLongs(logits.argmax(new org.bytedeco.pytorch.LongOptional(1), false)));
            }
        }
        return confusion;
    }
}
