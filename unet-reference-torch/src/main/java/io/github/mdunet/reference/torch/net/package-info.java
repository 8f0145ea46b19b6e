/** The exported network interpreted in libtorch: explicit parameter tensors, functional ops and autograd. */
package io.github.mdunet.reference.torch.net;
