/** Shared test support, also published as unet-runtime's test-jar for the other modules' tests: child JVMs. */
package io.github.mdunet.runtime.testing;
