/** The decoder's channel plan: how wide the mid block and each up block are for a given encoder. */
package io.github.mdunet.core.decoder;
