/** Optimisers with PyTorch's semantics for DL4J's updater framework. */
package io.github.mdunet.core.optim;
