package io.github.mdunet.reference.torch.spec;

/**
 * Weight initialisations; network.json names each by its constant's name in lower case ({@code he_normal}).
 * Biases always start at zero.
 * <ul>
 *   <li>{@code he_normal}: N(0, sqrt(2 / fanIn)), fanIn = in * k * k.</li>
 *   <li>{@code xavier_normal}: N(0, sqrt(2 / (fanIn + fanOut))), fanOut = out * k * k.</li>
 *   <li>{@code icnr_he_normal} (pixel-shuffle convolutions only): a base kernel [out, in, k, k] drawn with
 *       he_normal, copied to each of the r * r sub-pixel filters: W[c * r * r + s] = base[c].</li>
 * </ul>
 */
public enum InitScheme {
    HE_NORMAL,
    XAVIER_NORMAL,
    ICNR_HE_NORMAL
}
