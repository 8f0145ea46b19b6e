package io.github.mdunet.reference.torch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.github.mdunet.reference.torch.net.Mode;
import io.github.mdunet.reference.torch.net.Tensors;
import io.github.mdunet.reference.torch.net.TorchNetwork;
import io.github.mdunet.reference.torch.npy.NpyArray;
import io.github.mdunet.reference.torch.npy.Npz;
import io.github.mdunet.reference.torch.spec.NetworkJson;
import io.github.mdunet.reference.torch.spec.NetworkSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code steps} mode end to end on a hand-made exchange folder (tiny network, 3 steps of 2 images). */
class StepsCommandTest {

    static void copyResource(String name, Path target) throws IOException {
        try (InputStream in = StepsCommandTest.class.getResourceAsStream("/" + name)) {
            Files.copy(in, target);
        }
    }

    /** Writes network.json, init.npz, batches.npz (K = 3, N = 2) and recipe.json into dir. */
    static NetworkSpec writeExchangeFolder(Path dir) throws IOException {
        copyResource("tiny-network.json", dir.resolve("network.json"));
        copyResource("recipe.json", dir.resolve("recipe.json"));
        NetworkSpec spec = NetworkJson.read(dir.resolve("network.json"));
        TorchNetwork network = TorchNetwork.create(spec);
        network.initialize(torch.make_generator_cpu(42));
        Npz.write(network.export(), dir.resolve("init.npz"));
        Random random = new Random(42);
        Map<String, NpyArray> batches = new LinkedHashMap<>();
        for (int step = 1; step <= 3; step++) {
            float[] x = new float[2 * 3 * 16 * 16];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            int[] y = new int[2 * 16 * 16];
            for (int i = 0; i < y.length; i++) {
                y[i] = x[i] > 0.5f ? 1 : x[i] < -0.5f ? 2 : 0;
            }
            batches.put("step" + step + ".x", NpyArray.ofFloats(new long[] {2, 3, 16, 16}, x));
            batches.put("step" + step + ".y", NpyArray.ofInts(new long[] {2, 16, 16}, y));
        }
        Npz.write(batches, dir.resolve("batches.npz"));
        return spec;
    }

    @Test
    void threeStepsWriteEveryExpectedKey(@TempDir Path dir) throws IOException {
        NetworkSpec spec = writeExchangeFolder(dir);
        Path out = dir.resolve("expected.npz");

        int code = ReferenceMain.execute("steps", "--network", dir.resolve("network.json").toString(),
                "--params", dir.resolve("init.npz").toString(), "--batches", dir.resolve("batches.npz").toString(),
                "--recipe", dir.resolve("recipe.json").toString(), "--steps", "3", "--out", out.toString());

        assertThat(code).isZero();
        Map<String, NpyArray> expected = Npz.read(out);
        for (int step = 1; step <= 3; step++) {
            float loss = expected.get("step" + step + ".loss").toFloats()[0];
            assertThat(Float.isFinite(loss)).isTrue();
            assertThat(expected.get("step" + step + ".lr").shape()).containsExactly(1);
        }
        // totalSteps = K = 3: p = 0, 0.5, 1.
        assertThat(expected.get("step1.lr").toFloats()[0]).isCloseTo(1e-2f / 25, offset(1e-9f));
        assertThat(expected.get("step3.lr").toFloats()[0]).isCloseTo(1e-2f / 1e5f, offset(1e-12f));
        spec.parameters().forEach(parameter -> {
            assertThat(expected).containsKey(parameter.key());
            assertThat(expected.get(parameter.key()).shape()).containsExactly(parameter.shape());
            if (parameter.trainable()) {
                assertThat(expected).containsKeys("grad1." + parameter.key(), "adam." + parameter.key() + ".m",
                        "adam." + parameter.key() + ".v");
            } else {
                assertThat(expected).doesNotContainKeys("grad1." + parameter.key(), "adam." + parameter.key() + ".m");
            }
        });
        assertThat(expected.get("eval.logits").shape()).containsExactly(2, 3, 16, 16);
        assertThat(expected.get("enc_bn.mean")).isNotEqualTo(Npz.read(dir.resolve("init.npz")).get("enc_bn.mean"));
    }

    @Test
    void theFirstLossAndGradientAreThoseOfTheGivenWeights(@TempDir Path dir) throws IOException {
        NetworkSpec spec = writeExchangeFolder(dir);
        Path out = dir.resolve("expected.npz");
        ReferenceMain.execute("steps", "--network", dir.resolve("network.json").toString(),
                "--params", dir.resolve("init.npz").toString(), "--batches", dir.resolve("batches.npz").toString(),
                "--recipe", dir.resolve("recipe.json").toString(), "--steps", "1", "--out", out.toString());
        Map<String, NpyArray> expected = Npz.read(out);
        Map<String, NpyArray> batches = Npz.read(dir.resolve("batches.npz"));

        TorchNetwork network = TorchNetwork.create(spec);
        network.load(Npz.read(dir.resolve("init.npz")));
        try (PointerScope scope = new PointerScope()) {
            var loss = network.loss(network.logits(Tensors.fromNpy(batches.get("step1.x")), Mode.TRAIN),
                    Tensors.longs(new long[] {2, 16, 16}, batches.get("step1.y").toLongs()));
            loss.backward();

            assertThat(expected.get("step1.loss").toFloats()[0]).isCloseTo(loss.item_float(), offset(1e-6f));
            float[] grad = Tensors.toFloats(network.tensor("head_conv.W").grad());
            float[] written = expected.get("grad1.head_conv.W").toFloats();
            for (int i = 0; i < grad.length; i++) {
                assertThat(written[i]).isCloseTo(grad[i], offset(1e-6f));
            }
        }
        try (PointerScope scope = new PointerScope(); NoGradGuard noGrad = new NoGradGuard()) {
            // One Adam step moves every weight by about lr (sign of the gradient) at step 1.
            float[] before = Npz.read(dir.resolve("init.npz")).get("head_conv.W").toFloats();
            float[] after = expected.get("head_conv.W").toFloats();
            for (int i = 0; i < before.length; i++) {
                assertThat(Math.abs(after[i] - before[i])).isCloseTo(1e-2f / 25, offset(1e-5f));
            }
        }
    }
}
