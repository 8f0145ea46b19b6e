/**
 * The image shape and the conv-norm-activation blocks that encoders and the decoder share; imports no other package of
 * the core but the layers and the checks.
 */
package io.github.mdunet.core.blocks;
