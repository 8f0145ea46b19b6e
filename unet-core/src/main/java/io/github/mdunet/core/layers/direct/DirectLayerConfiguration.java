package io.github.mdunet.core.layers.direct;

/** A layer configuration of this package: how its messages name it, whatever DL4J base class it extends. */
interface DirectLayerConfiguration {

    /** DL4J's layer name; null until the graph builder names the layer. */
    String getLayerName();

    /** Layer type and name for messages, e.g. {@code DirectPixelShuffle 'dec1_up_shuffle'}. */
    default String describe() {
        String name = getLayerName();
        return getClass().getSimpleName() + (name == null ? "" : " '" + name + "'");
    }
}
