/** The apps' console: library noise kept out of it by default, brought back by {@code --verbose}. */
package io.github.mdunet.app.console;
