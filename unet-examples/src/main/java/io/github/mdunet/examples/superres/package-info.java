/**
 * Image-to-image apps: super-resolution training and evaluation, the upsampler experiment, prediction of whole images.
 */
package io.github.mdunet.examples.superres;
