/** The loading-speed benchmark (a main, not a test). */
package io.github.mdunet.data.bench;
