/** NumPy .npy (format 1.0/2.0) and .npz files, read and written with the JDK alone: the exchange format for tensors. */
package io.github.mdunet.reference.torch.npy;
