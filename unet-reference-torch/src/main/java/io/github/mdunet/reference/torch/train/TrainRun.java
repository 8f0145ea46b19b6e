package io.github.mdunet.reference.torch.train;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.mdunet.reference.torch.data.Augmentation;
import io.github.mdunet.reference.torch.data.SegmentationSet;
import io.github.mdunet.reference.torch.net.TorchRuntime;
import io.github.mdunet.reference.torch.spec.NetworkJson;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Recipe;
import io.github.mdunet.reference.torch.spec.RecipeJson;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains every seed and gathers results.json: per seed {seed, meanIoU, perClassIoU[], pixelAccuracy,
 * trainLossPerEpoch[], secondsPerEpoch[], cpuSecondsPerEpoch[]}, the mean and sample standard deviation of meanIoU over
 * the seeds, and the provenance (recipe, augmentation, init, torch version, threads). A missing value (an IoU of a
 * class absent from labels and predictions, the deviation of a single seed) is written as null.
 */
public final class TrainRun {

    private TrainRun() {
    }

    public static ObjectNode run(NetworkSpec spec, Recipe recipe, SegmentationSet train, SegmentationSet heldout,
            List<Long> seeds, Augmentation augmentation, InitialWeights init, PrintStream log) {
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("give at least one seed");
        }
        SegmentationTrainer trainer = new SegmentationTrainer(spec, recipe, augmentation, log);
        List<SeedResult> results = new ArrayList<>();
        for (long seed : seeds) {
            results.add(trainer.run(seed, init, train, heldout));
        }
        return toJson(results, recipe, augmentation, init, train.size(), heldout.size());
    }

    static ObjectNode toJson(List<SeedResult> results, Recipe recipe, Augmentation augmentation, InitialWeights init,
            int trainImages, int heldoutImages) {
        ObjectNode root = NetworkJson.MAPPER.createObjectNode();
        ArrayNode seeds = root.putArray("seeds");
        double[] meanIoUs = new double[results.size()];
        for (int i = 0; i < results.size(); i++) {
            SeedResult result = results.get(i);
            meanIoUs[i] = result.meanIoU();
            ObjectNode node = seeds.addObject();
            node.put("seed", result.seed());
            putNumber(node, "meanIoU", result.meanIoU());
            ArrayNode perClass = node.putArray("perClassIoU");
            result.perClassIoU().forEach(value -> addNumber(perClass, value));
            putNumber(node, "pixelAccuracy", result.pixelAccuracy());
            ArrayNode losses = node.putArray("trainLossPerEpoch");
            result.trainLossPerEpoch().forEach(value -> addNumber(losses, value));
            ArrayNode seconds = node.putArray("secondsPerEpoch");
            result.secondsPerEpoch().forEach(value -> addNumber(seconds, value));
            ArrayNode cpuSeconds = node.putArray("cpuSecondsPerEpoch");
            result.cpuSecondsPerEpoch().forEach(value -> addNumber(cpuSeconds, value));
        }
        ObjectNode summary = root.putObject("meanIoU");
        summary.put("seeds", results.size());
        putNumber(summary, "mean", mean(meanIoUs));
        putNumber(summary, "sampleStd", sampleStd(meanIoUs));
        root.set("recipe", RecipeJson.toJson(recipe));
        root.put("augment", augmentation.cliName());
        root.put("init", init.describe());
        root.put("trainImages", trainImages);
        root.put("heldoutImages", heldoutImages);
        root.put("torchVersion", TorchRuntime.torchVersion());
        root.put("presetsVersion", TorchRuntime.presetsVersion());
        root.put("threads", TorchRuntime.threads());
        return root;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** Standard deviation with n - 1 in the denominator; NaN for fewer than 2 values. */
    static double sampleStd(double[] values) {
        if (values.length < 2) {
            return Double.NaN;
        }
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / (values.length - 1));
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static void addNumber(ArrayNode array, double value) {
        if (Double.isFinite(value)) {
            array.add(value);
        } else {
            array.addNull();
        }
    }
}
