/** Benchmarks that start their own child JVMs to compare native builds and settings. */
package io.github.mdunet.examples.bench;
