package io.github.mdunet.core.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * One configuration value of a custom layer, vertex or loss under its field's name (the value may be null). A layer
 * lists its settings once; that list gives its {@code equals}, {@code hashCode} and, through {@link #describe}, its
 * {@code toString}.
 *
 * @param name  the field's name, as the layer's JSON writes it
 * @param value the field's value; arrays are given as lists, so that equal settings compare equal
 */
public record LayerSetting(String name, Object value) {

    /** {@code Type(name=value, ...)}: e.g. {@code PixelShuffle(layerName=up1, upscaleFactor=2)}. */
    public static String describe(String type, List<LayerSetting> settings) {
        StringBuilder text = new StringBuilder(type).append('(');
        for (int i = 0; i < settings.size(); i++) {
            text.append(i == 0 ? "" : ", ").append(settings.get(i).name()).append('=').append(settings.get(i).value());
        }
        return text.append(')').toString();
    }

    /** {@link #describe} of {@code type} with the layer's name first, then {@code settings}. */
    public static String describe(String type, String layerName, List<LayerSetting> settings) {
        List<LayerSetting> all = new ArrayList<>(settings.size() + 1);
        all.add(new LayerSetting("layerName", layerName));
        all.addAll(settings);
        return describe(type, all);
    }
}
