/**
 * Training in libtorch: Adam as torch.optim.Adam computes it, the fixed-batch step check and the multi-seed training
 * run.
 */
package io.github.mdunet.reference.torch.train;
