package io.github.mdunet.reference.torch.spec;

/** Element-wise activation functions, by their name in network.json. */
public enum Activation {
    RELU("relu"),
    IDENTITY("identity"),
    SIGMOID("sigmoid"),
    TANH("tanh");

    private final String jsonName;

    Activation(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    static Activation fromJson(String name, String context) {
        return JsonFields.byJsonName(values(), Activation::jsonName, name, context);
    }
}
