/** Compares two .npz files key by key: the reference's expected.npz against the project's own output. */
package io.github.mdunet.reference.torch.compare;
