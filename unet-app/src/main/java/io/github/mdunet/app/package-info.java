/** What every command-line app shares: its command base, option checks, exit statuses and how its main runs. */
package io.github.mdunet.app;
