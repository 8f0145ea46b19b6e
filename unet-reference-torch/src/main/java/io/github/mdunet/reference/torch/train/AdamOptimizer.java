package io.github.mdunet.reference.torch.train;

import io.github.mdunet.reference.torch.net.Tensors;
import io.github.mdunet.reference.torch.npy.NpyArray;
import io.github.mdunet.reference.torch.spec.AdamSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/**
 * Adam written out with tensor ops, exactly as torch.optim.Adam's single-tensor path computes it (PyTorch 2.x):
 * <pre>
 *   g = grad + weightDecay * p                      (only when weightDecay != 0; L2, not AdamW)
 *   m.lerp_(g, 1 - beta1)
 *   v.mul_(beta2).addcmul_(g, g, 1 - beta2)
 *   denom = v.sqrt() / sqrt(1 - beta2^t) + eps
 *   p.addcdiv_(m, denom, -lr / (1 - beta1^t))
 * </pre>
 * Written out rather than using libtorch's {@code torch::optim::Adam} because the Java presets give no access to
 * that optimizer's per-parameter state, and the step check exports m and v. A test holds this class to
 * {@code torch::optim::Adam}'s parameter updates.
 */
public final class AdamOptimizer {

    private final Map<String, Tensor> parameters;
    private final Map<String, Tensor> expAvg = new LinkedHashMap<>();
    private final Map<String, Tensor> expAvgSq = new LinkedHashMap<>();
    private final AdamSettings settings;
    private final double weightDecay;
    private long steps;

    /** Adam over these parameters (leaf tensors with requires_grad), with zero moments. */
    public AdamOptimizer(Map<String, Tensor> parameters, AdamSettings settings, double weightDecay) {
        this.parameters = new LinkedHashMap<>(parameters);
        this.settings = settings;
        this.weightDecay = weightDecay;
        TensorOptions float32 = new TensorOptions(torch.ScalarType.Float);
        parameters.forEach((key, parameter) -> {
            expAvg.put(key, Tensors.keep(torch.zeros(Tensors.shape(parameter), float32)));
            expAvgSq.put(key, Tensors.keep(torch.zeros(Tensors.shape(parameter), float32)));
        });
    }

    /** Zeroes the gradients (the same effect on the next step as PyTorch's zero_grad(set_to_none=True)). */
    public void zeroGrad() {
        try (PointerScope scope = new PointerScope()) {
            for (Tensor parameter : parameters.values()) {
                Tensor grad = parameter.grad();
                if (grad.defined()) {
                    grad.zero_();
                }
            }
        }
    }

    /** One update with this learning rate; parameters without a gradient are left alone. */
    public void step(double learningRate) {
        steps++;
        double biasCorrection1 = 1 - Math.pow(settings.beta1(), steps);
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(settings.beta2(), steps));
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> entry : parameters.entrySet()) {
                Tensor parameter = entry.getValue();
                Tensor grad = parameter.grad();
                if (!grad.defined()) {
                    continue;
                }
                if (weightDecay != 0) {
                    grad = grad.add(parameter, new Scalar(weightDecay));
                }
                expAvg.get(entry.getKey()).lerp_(grad, new Scalar(1 - settings.beta1()));
                expAvgSq.get(entry.getKey()).mul_(new Scalar(settings.beta2()))
                        .addcmul_(grad, grad, new Scalar(1 - settings.beta2()));
                Tensor denom = expAvgSq.get(entry.getKey()).sqrt().div_(new Scalar(biasCorrection2Sqrt))
                        .add_(new Scalar(settings.epsilon()));
                parameter.addcdiv_(expAvg.get(entry.getKey()), denom, new Scalar(-learningRate / biasCorrection1));
            }
        }
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    /** The moments as {@code adam.<key>.m} (exp_avg) and {@code adam.<key>.v} (exp_avg_sq). */
    public Map<String, NpyArray> exportState() {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        for (String key : parameters.keySet()) {
            out.put("adam." + key + ".m", Tensors.toNpy(expAvg.get(key)));
            out.put("adam." + key + ".v", Tensors.toNpy(expAvgSq.get(key)));
        }
        return out;
    }
}
