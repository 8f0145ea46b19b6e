/** DL4J's training UI (UIServer and StatsListener) for a training run, served on a local port while it runs. */
package io.github.mdunet.examples.dashboard;
