/**
 * Shared test support, also published as unet-core's test-jar for the other modules' tests: a base class for
 * double-precision, single-thread tests, tiny loss graphs, a numerical loss gradient, an encoder with misleading
 * vertex names, a tiny in-memory segmentation task (bright shapes on noise), a listener recording the epoch events,
 * the parsing every {@code -D} setting shares and the package-cycle check.
 */
package io.github.mdunet.core.testing;
