package io.github.mdunet.zoo.features;

import io.github.mdunet.core.loss.FeatureExtractor;
import io.github.mdunet.core.loss.FeatureExtractorNames;
import java.util.Map;

/** The stable JSON name of this module's feature extractor: {@code vgg16} ({@link Vgg16Features}). */
public final class ZooFeatureExtractorNames implements FeatureExtractorNames {

    @Override
    public Map<String, Class<? extends FeatureExtractor>> types() {
        return Map.of("vgg16", Vgg16Features.class);
    }
}
