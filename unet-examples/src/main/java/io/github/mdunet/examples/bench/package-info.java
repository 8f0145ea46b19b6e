/**
 * Benchmarks and checks behind docs/BENCHMARKS.md, docs/SCALE-OUT.md and the modules' READMEs: training speed against
 * SGEMM and across native builds, training memory, the loading pipeline, scale-out, learnable synthetic data; with the
 * option mixins and scratch folders they share. Several measure in child JVMs, a fresh one per measured variant; the
 * others run in their own JVM.
 */
package io.github.mdunet.examples.bench;
