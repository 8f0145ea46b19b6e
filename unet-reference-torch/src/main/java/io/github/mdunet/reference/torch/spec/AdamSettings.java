package io.github.mdunet.reference.torch.spec;

/** Adam's constants, as in torch.optim.Adam. */
public record AdamSettings(double beta1, double beta2, double epsilon) {

    public AdamSettings {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("adam.beta1 and adam.beta2 must be in [0, 1) but were " + beta1
                    + " and " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("adam.epsilon must be > 0 but was " + epsilon);
        }
    }
}
