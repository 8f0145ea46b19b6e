package io.github.mdunet.reference.torch.train;

import io.github.mdunet.reference.torch.net.Mode;
import io.github.mdunet.reference.torch.net.Tensors;
import io.github.mdunet.reference.torch.net.TorchNetwork;
import io.github.mdunet.reference.torch.npy.NpyArray;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import io.github.mdunet.reference.torch.spec.Recipe;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

/**
 * The tiny-case check: K training steps on fixed batches from given weights, recording what the project's trainer
 * must reproduce. The result holds, in this order: {@code step<k>.loss} and {@code step<k>.lr} ([1] each, k = 1..K),
 * {@code grad1.<vertex>.<param>} (gradients of the mean loss at step 1), every parameter and BatchNorm running
 * statistic after the last step, {@code adam.<vertex>.<param>.m/.v}, and {@code eval.logits} (eval mode, step1.x,
 * after the last step).
 */
public final class StepsRun {

    private StepsRun() {
    }

    /**
     * @param steps K, at least 1
     * @return the arrays of expected.npz
     */
    public static Map<String, NpyArray> run(NetworkSpec spec, Map<String, NpyArray> initialParameters,
            Map<String, NpyArray> batches, Recipe recipe, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1 but was " + steps);
        }
        long totalSteps = recipe.totalSteps().orElse(steps);
        if (totalSteps < steps) {
            throw new IllegalArgumentException("recipe totalSteps " + totalSteps + " is less than the " + steps
                    + " steps asked for");
        }
        TorchNetwork network = TorchNetwork.create(spec);
        network.load(initialParameters);
        AdamOptimizer adam = new AdamOptimizer(network.trainable(), recipe.adam(), recipe.weightDecay());

        Map<String, NpyArray> losses = new LinkedHashMap<>();
        Map<String, NpyArray> firstGradients = new LinkedHashMap<>();
        for (int step = 1; step <= steps; step++) {
            Batches.Batch batch = Batches.get(batches, step, spec.input().shape(), spec.classes());
            double learningRate = recipe.learningRateAt(step - 1, totalSteps);
            try (PointerScope scope = new PointerScope()) {
                Tensor x = Tensors.floats(batch.xShape(), batch.x());
                Tensor y = Tensors.longs(batch.yShape(), batch.y());
                adam.zeroGrad();
                Tensor loss = network.loss(network.logits(x, Mode.TRAIN), y);
                loss.backward();
                if (step == 1) {
                    network.trainable().forEach((key, parameter) ->
                            firstGradients.put("grad1." + key, Tensors.toNpy(parameter.grad())));
                }
                adam.step(learningRate);
                losses.put("step" + step + ".loss", NpyArray.scalar(loss.item_float()));
                losses.put("step" + step + ".lr", NpyArray.scalar((float) learningRate));
            }
        }

        Map<String, NpyArray> out = new LinkedHashMap<>(losses);
        out.putAll(firstGradients);
        out.putAll(network.export());
        out.putAll(adam.exportState());
        Batches.Batch first = Batches.get(batches, 1, spec.input().shape(), spec.classes());
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            out.put("eval.logits", Tensors.toNpy(network.logits(Tensors.floats(first.xShape(), first.x()), Mode.EVAL)));
        }
        return out;
    }
}
