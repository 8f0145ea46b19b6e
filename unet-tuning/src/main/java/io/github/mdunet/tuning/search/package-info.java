/**
 * Arbiter search over the decoder's width (mid scale, channel reduction, upsampling, attention) under a memory budget.
 */
package io.github.mdunet.tuning.search;
