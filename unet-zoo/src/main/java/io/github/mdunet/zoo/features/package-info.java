/** Frozen zoo networks as feature extractors for the feature (perceptual) loss. */
package io.github.mdunet.zoo.features;
