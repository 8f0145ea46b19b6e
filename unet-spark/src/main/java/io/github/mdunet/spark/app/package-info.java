/** The spark-submit entry point: training on a segmentation folder that every executor can read. */
package io.github.mdunet.spark.app;
