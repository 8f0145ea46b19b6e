/**
 * How much memory: byte sizes as JavaCPP reads them and people write them, and the process's peak resident memory;
 * imports nothing of the project, so that layers, native memory limits and benchmarks can all use it.
 */
package io.github.mdunet.core.memoryuse;
