/** Super-resolution data: patches of photographs and their area-downscaled, bicubic-upscaled inputs. */
package io.github.mdunet.data.superres;
