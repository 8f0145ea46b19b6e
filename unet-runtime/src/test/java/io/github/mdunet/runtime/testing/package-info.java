/**
 * Shared test support for child JVMs and saved system properties, also published as unet-runtime's test-jar for the
 * other modules' tests.
 */
package io.github.mdunet.runtime.testing;
