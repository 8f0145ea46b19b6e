/** The U-Net model: building it from a configuration, predicting, saving and loading with its configuration. */
package io.github.mdunet.core.model;
