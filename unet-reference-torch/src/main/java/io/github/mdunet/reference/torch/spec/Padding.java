package io.github.mdunet.reference.torch.spec;

/** Convolution padding: {@code same} pads (k - 1) / 2 zeros on every side (odd k only), {@code valid} pads none. */
public enum Padding {
    SAME("same"),
    VALID("valid");

    private final String jsonName;

    Padding(String jsonName) {
        this.jsonName = jsonName;
    }

    public String jsonName() {
        return jsonName;
    }

    /** Zeros added on each side for this kernel size. */
    public int perSide(int kernel) {
        return this == SAME ? (kernel - 1) / 2 : 0;
    }

    static Padding fromJson(String name, String context) {
        return JsonFields.byJsonName(values(), Padding::jsonName, name, context);
    }
}
