/**
 * Training and inference memory of a U-Net configuration, estimated before anything is allocated, and its calibration.
 */
package io.github.mdunet.tuning.memory;
