/**
 * How much memory: byte sizes as JavaCPP reads them and people write them, and the process's peak resident memory;
 * imports nothing of the project, so that the direct layers, native memory limits, the memory probe and benchmarks
 * can all use it.
 */
package io.github.mdunet.core.memoryuse;
