/** The U-Net's head: output activations (softmax, sigmoid, identity, sigmoid range, residual) and their losses. */
package io.github.mdunet.core.head;
