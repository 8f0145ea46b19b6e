/** Finding, verifying and copying pretrained zoo weights into a U-Net's encoder. */
package io.github.mdunet.zoo.pretrained;
