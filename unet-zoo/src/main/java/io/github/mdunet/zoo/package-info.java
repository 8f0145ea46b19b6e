/** DL4J zoo models and users' own graphs as U-Net encoders, with pretrained weights and freezing. */
package io.github.mdunet.zoo;
