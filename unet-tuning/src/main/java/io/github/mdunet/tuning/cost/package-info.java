/** The arithmetic work of a U-Net, counted from its configuration before anything is allocated. */
package io.github.mdunet.tuning.cost;
