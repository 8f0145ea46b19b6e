/** Encoders (backbones) and the contract by which they declare their skip feature maps to the decoder. */
package io.github.mdunet.core.encoder;
