/**
 * Learning parity with a PyTorch reference: the network, weights, batches and recipe exported as files, and the
 * side-by-side benchmark.
 */
package io.github.mdunet.examples.parity;
