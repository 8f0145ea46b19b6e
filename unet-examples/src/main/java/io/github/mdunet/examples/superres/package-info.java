/** Image-to-image apps: super-resolution training, the upsampler experiment, whole-image prediction. */
package io.github.mdunet.examples.superres;
