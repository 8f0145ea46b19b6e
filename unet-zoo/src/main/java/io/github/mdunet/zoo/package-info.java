/**
 * DL4J zoo models and users' own graphs as U-Net encoders: the backbones' declarations, the encoder records with the
 * {@code Weights} they start from, their stable JSON names; loading the weights is {@code pretrained}'s, freezing
 * {@code training}'s.
 */
package io.github.mdunet.zoo;
