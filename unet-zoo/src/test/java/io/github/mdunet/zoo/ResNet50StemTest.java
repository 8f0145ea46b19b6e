package io.github.mdunet.zoo;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.encoder.ImageShape;
import io.github.mdunet.core.graph.EncoderProbe;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.zoo.model.ResNet50;
import org.junit.jupiter.api.Test;

/** The two DL4J zoo quirks that the encoder neutralises: ResNet50's 55-pixel stem and the height/width swap. */
class ResNet50StemTest {

    private static InputType.InputTypeConvolutional typeOf(ComputationGraphConfiguration conf, String vertex,
                                                             InputType input) {
        Map<String, InputType> types = conf.getLayerActivationTypes(input);
        return (InputType.InputTypeConvolutional) types.get(vertex);
    }

    @Test
    void theZooStemTruncates224To55AndTheEncoderGives56() {
        InputType input = InputType.convolutional(224, 224, 3);
        assertThat(typeOf(ZooBackbone.RESNET50.zooConfiguration(3), "stem-maxpool1", input).getHeight())
                .isEqualTo(55);
        EncoderProbe probe = EncoderProbe.probe(ZooEncoder.random(ZooBackbone.RESNET50), new ImageShape(3, 224, 224),
                new NeuralNetConfiguration.Builder(), "input");
        assertThat(probe.shapes().get("stem-maxpool1")).isEqualTo(new ImageShape(64, 56, 56));
        assertThat(probe.shapes().get("res2c_branch")).isEqualTo(new ImageShape(256, 28, 28));
        assertThat(probe.shapes().get("res5c_branch")).isEqualTo(new ImageShape(2048, 4, 4));
    }

    @Test
    void theZooSwapsHeightAndWidthButTheEncoderDoesNot() {
        var zoo = ResNet50.builder().numClasses(2).inputShape(new int[] {3, 96, 160}).build().graphBuilder();
        InputType.InputTypeConvolutional zooInput =
                (InputType.InputTypeConvolutional) zoo.getNetworkInputTypes().get(0);
        assertThat(zooInput.getHeight()).as("DL4J's zoo reads inputShape {c, h, w} as {c, w, h}").isEqualTo(160);

        EncoderProbe probe = EncoderProbe.probe(ZooEncoder.random(ZooBackbone.RESNET50), new ImageShape(3, 96, 160),
                new NeuralNetConfiguration.Builder(), "input");
        assertThat(probe.shapes().get("stem-act1")).isEqualTo(new ImageShape(64, 48, 80));
        assertThat(probe.shapes().get("stem-maxpool1")).isEqualTo(new ImageShape(64, 24, 40));
        assertThat(probe.shapes().get("res4f_branch")).isEqualTo(new ImageShape(1024, 3, 5));
    }
}
