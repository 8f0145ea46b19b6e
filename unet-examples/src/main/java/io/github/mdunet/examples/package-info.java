/** Runnable apps: each class with a {@code main} runs from the IDE or from one Maven command. */
package io.github.mdunet.examples;
