/** The {@code mdunet} command-line tool: one command whose subcommands are the apps. */
package io.github.mdunet.examples.cli;
