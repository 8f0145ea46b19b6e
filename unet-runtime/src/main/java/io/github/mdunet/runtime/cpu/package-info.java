/** CPU speed: picks the oneDNN build of nd4j-native for this CPU and switches DL4J's oneDNN layer helpers on. */
package io.github.mdunet.runtime.cpu;
