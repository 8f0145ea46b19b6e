/** Several devices on one machine: data-parallel training (ParallelWrapper) and parallel tiled prediction. */
package io.github.mdunet.parallel;
