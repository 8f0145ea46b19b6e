/** Shared test support: a base class for double-precision, single-thread tests, and tiny loss graphs. */
package io.github.mdunet.core.testing;
