/**
 * The command line: {@code steps} (the fixed-batch check), {@code train} (the multi-seed comparison run) and
 * {@code compare}.
 */
package io.github.mdunet.reference.torch.cli;
