/** Fine-tuning a U-Net on a pretrained encoder: freeze, unfreeze, a lower learning rate for the encoder. */
package io.github.mdunet.zoo.training;
