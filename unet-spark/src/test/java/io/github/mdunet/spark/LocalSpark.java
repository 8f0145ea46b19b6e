package io.github.mdunet.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** A Spark context in this JVM with 2 executor threads, configured as the docs tell a cluster job to be. */
final class LocalSpark {

    private LocalSpark() {
    }

    static SparkConf conf() {
        return new SparkConf()
                .setMaster("local[2]")
                .setAppName("unet-spark-test")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    static JavaSparkContext start() {
        return new JavaSparkContext(conf());
    }
}
