package io.github.mdunet.core.loss;

import io.github.mdunet.core.naming.TypeNames;

/**
 * The stable names under which {@link FeatureExtractor} types are saved in a configuration's JSON
 * ({@code "type": "vgg16"}). A module registers its extractors' names with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.github.mdunet.core.loss.FeatureExtractorNames}); an extractor without a registered name
 * (a user's own) is saved under its class name, as every extractor was before format 5.
 */
public interface FeatureExtractorNames extends TypeNames<FeatureExtractor> {
}
