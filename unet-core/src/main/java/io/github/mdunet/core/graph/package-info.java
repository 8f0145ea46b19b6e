/** Assembles the U-Net's ComputationGraph from an encoder, a channel plan and the configured blocks. */
package io.github.mdunet.core.graph;
