/** Test support for the modules after unet-core: picks the oneDNN build before tests load ND4J. */
package io.github.mdunet.testsupport;
