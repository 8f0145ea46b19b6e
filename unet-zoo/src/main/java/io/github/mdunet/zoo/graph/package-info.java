/** Copying a DL4J graph configuration into a U-Net, and finding its skip feature maps from its activation types. */
package io.github.mdunet.zoo.graph;
