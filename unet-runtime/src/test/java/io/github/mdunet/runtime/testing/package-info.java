/** Shared test support for child JVMs, also published as unet-runtime's test-jar for the other modules' tests. */
package io.github.mdunet.runtime.testing;
