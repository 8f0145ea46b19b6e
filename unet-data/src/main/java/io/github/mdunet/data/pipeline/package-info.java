/**
 * DL4J DataSetIterators over paired samples: batching, per-epoch shuffling, deterministic per seed, background
 * prefetch.
 */
package io.github.mdunet.data.pipeline;
