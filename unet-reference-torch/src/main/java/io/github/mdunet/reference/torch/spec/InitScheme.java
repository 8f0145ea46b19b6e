package io.github.mdunet.reference.torch.spec;

/**
 * Weight initialisations, by their name in network.json. Biases always start at zero.
 * <ul>
 *   <li>{@code he_normal}: N(0, sqrt(2 / fanIn)), fanIn = in * k * k.</li>
 *   <li>{@code xavier_normal}: N(0, sqrt(2 / (fanIn + fanOut))), fanOut = out * k * k.</li>
 *   <li>{@code icnr_he_normal} (pixel-shuffle convolutions only): a base kernel [out, in, k, k] drawn with
 *       he_normal, copied to each of the r * r sub-pixel filters: W[c * r * r + s] = base[c].</li>
 * </ul>
 */
public enum InitScheme {
    HE_NORMAL("he_normal"),
    XAVIER_NORMAL("xavier_normal"),
    ICNR_HE_NORMAL("icnr_he_normal");

    private final String jsonName;

    InitScheme(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    static InitScheme fromJson(String name, String context) {
        return JsonFields.byJsonName(values(), InitScheme::jsonName, name, context);
    }
}
