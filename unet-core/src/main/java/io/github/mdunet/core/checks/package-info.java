/**
 * The checks of settings shared by every package and module: one wording for each kind of failure; imports nothing of
 * the project.
 */
package io.github.mdunet.core.checks;
