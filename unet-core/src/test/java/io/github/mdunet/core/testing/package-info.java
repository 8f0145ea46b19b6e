/**
 * Shared test support, also published as unet-core's test-jar for the other modules' tests: a base class for
 * double-precision, single-thread tests, tiny loss graphs, a numerical loss gradient, and an encoder with misleading
 * vertex names.
 */
package io.github.mdunet.core.testing;
