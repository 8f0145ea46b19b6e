/** Training: epochs with validation, learning-rate schedules, checkpoints, early stopping and resumption. */
package io.github.mdunet.core.train;
