/** Shared test support, also published as unet-data's test-jar for the other modules' tests: small shapes data. */
package io.github.mdunet.data.testing;
