package io.github.mdunet.reference.torch.spec;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads network.json (format 1) into a {@link NetworkSpec}; see the module README for the format. */
public final class NetworkJson {

    /** Jackson as configured for the exchange files: comments allowed, since hand-written fixtures use them. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private static final List<String> TYPES = List.of(Conv2dVertex.TYPE, BatchNormVertex.TYPE, ActivationVertex.TYPE,
            ConvBnActVertex.TYPE, MaxPoolVertex.TYPE, PixelShuffleConvVertex.TYPE, BlurVertex.TYPE, ConcatVertex.TYPE,
            ResizeBilinearVertex.TYPE, SoftmaxCrossEntropyVertex.TYPE);

    private NetworkJson() {
    }

    public static NetworkSpec read(Path file) throws IOException {
        return JsonFields.readFile(file, NetworkJson::parse);
    }

    public static NetworkSpec parse(String json) throws IOException {
        JsonFields root = new JsonFields(MAPPER.readTree(json), "network.json");
        int format = root.integer("format");
        if (format != NetworkSpec.FORMAT) {
            throw new IllegalArgumentException("network.json format " + format + " is not supported; this reader"
                    + " understands format " + NetworkSpec.FORMAT);
        }
        JsonFields inputFields = root.object("input");
        InputSpec input = new InputSpec(inputFields.string("name"), new ImageShape(inputFields.integer("channels"),
                inputFields.integer("height"), inputFields.integer("width")));
        inputFields.rejectUnknown();

        JsonFields norm = root.object("inputNormalization");
        InputNormalization normalization = new InputNormalization(
                norm.choice("channelOrder", ChannelOrder.values(), Enum::name),
                norm.number("scale"), norm.numbers("mean"), norm.numbers("std"));
        norm.rejectUnknown();

        int classes = root.integer("classes");
        JsonNode vertexArray = root.require("vertices");
        if (!vertexArray.isArray()) {
            throw new IllegalArgumentException("network.json: field 'vertices' must be an array");
        }
        List<VertexSpec> vertices = new ArrayList<>();
        int index = 0;
        for (JsonNode node : vertexArray) {
            vertices.add(parseVertex(node, index++));
        }
        String output = root.string("output");
        root.rejectUnknown();
        return new NetworkSpec(format, input, normalization, classes, vertices, output);
    }

    private static VertexSpec parseVertex(JsonNode node, int index) {
        JsonFields probe = new JsonFields(node, "vertices[" + index + "]");
        String name = probe.string("name");
        String type = probe.string("type");
        JsonFields f = new JsonFields(node, "vertex '" + name + "' (" + type + ")");
        f.string("name");
        f.string("type");
        List<String> inputs = f.strings("inputs");
        VertexSpec vertex = switch (type) {
            case Conv2dVertex.TYPE -> conv2d(f, name, single(f, inputs));
            case BatchNormVertex.TYPE -> new BatchNormVertex(name, single(f, inputs), f.integer("channels"),
                    f.number("eps"), f.number("momentum"));
            case ActivationVertex.TYPE -> new ActivationVertex(name, single(f, inputs), activation(f, "function"));
            case ConvBnActVertex.TYPE -> {
                Conv2dVertex conv = conv2d(f, name, single(f, inputs));
                yield new ConvBnActVertex(conv, new BatchNormVertex(name, name, conv.outChannels(), f.number("eps"),
                        f.number("momentum")), activation(f, "activation"));
            }
            case MaxPoolVertex.TYPE -> new MaxPoolVertex(name, single(f, inputs), f.integer("kernel"),
                    f.integer("stride"));
            case PixelShuffleConvVertex.TYPE -> pixelShuffle(f, name, single(f, inputs));
            case BlurVertex.TYPE -> new BlurVertex(name, single(f, inputs));
            case ConcatVertex.TYPE -> new ConcatVertex(name, inputs,
                    f.has("activation") ? activation(f, "activation") : Activation.IDENTITY);
            case ResizeBilinearVertex.TYPE -> new ResizeBilinearVertex(name, single(f, inputs), f.integer("height"),
                    f.integer("width"));
            case SoftmaxCrossEntropyVertex.TYPE -> new SoftmaxCrossEntropyVertex(name, single(f, inputs));
            default -> throw new IllegalArgumentException(f.context() + ": unknown type '" + type + "'; the types"
                    + " understood are " + TYPES);
        };
        f.rejectUnknown();
        return vertex;
    }

    private static Activation activation(JsonFields f, String field) {
        return f.choice(field, Activation.values(), JsonFields::lowerCase);
    }

    private static Conv2dVertex conv2d(JsonFields f, String name, String input) {
        return new Conv2dVertex(name, input, f.integer("inChannels"), f.integer("outChannels"), f.integer("kernel"),
                f.integer("stride", 1), f.choice("padding", Padding.values(), JsonFields::lowerCase), f.bool("bias"),
                f.choice("init", InitScheme.values(), JsonFields::lowerCase));
    }

    private static PixelShuffleConvVertex pixelShuffle(JsonFields f, String name, String input) {
        if (!f.bool("bias", true)) {
            throw new IllegalArgumentException(f.context() + ": the convolution of a pixelshuffle_conv always has a"
                    + " bias; 'bias': false is not supported");
        }
        return new PixelShuffleConvVertex(name, input, f.integer("inChannels"), f.integer("outChannels"),
                f.integer("factor"), f.integer("kernel"), f.bool("blur"),
                activation(f, "activation"),
                f.choice("init", InitScheme.values(), JsonFields::lowerCase));
    }

    private static String single(JsonFields f, List<String> inputs) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(f.context() + ": takes exactly 1 input but 'inputs' is " + inputs);
        }
        return inputs.get(0);
    }
}
