/** The command line: {@code steps} (the fixed-batch check) and {@code train} (the multi-seed comparison run). */
package io.github.mdunet.reference.torch.cli;
