/** A U-Net trained on a Spark cluster with dl4j-spark: samples as paths, decoded on the executors. */
package io.github.mdunet.spark;
