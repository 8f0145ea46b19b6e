package io.github.mdunet.core.loss;

import io.github.mdunet.core.naming.StableTypeNameResolver;
import io.github.mdunet.core.naming.StableTypeNames;

/** Writes a {@link FeatureExtractor}'s type as its registered stable name, else its class name; reads either back. */
public final class FeatureExtractorTypeResolver extends StableTypeNameResolver<FeatureExtractor> {

    /** The feature extractors' names, from every {@link FeatureExtractorNames} on the class path. */
    public static final StableTypeNames<FeatureExtractor> NAMES =
            new StableTypeNames<>(FeatureExtractor.class, FeatureExtractorNames.class, "feature extractor");

    public FeatureExtractorTypeResolver() {
        super(NAMES);
    }
}
