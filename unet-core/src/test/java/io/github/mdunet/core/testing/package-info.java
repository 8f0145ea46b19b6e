/** Shared test support: a base class for double-precision, single-thread tests. */
package io.github.mdunet.core.testing;
