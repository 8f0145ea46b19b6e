/** DL4J layers that call libnd4j's ops (oneDNN, cuDNN) directly, with hand-written backward passes: no SameDiff. */
package io.github.mdunet.core.layers.direct;
