/**
 * The validation pass over a dataset before training: every problem with the file it concerns and what was expected.
 */
package io.github.mdunet.data.validate;
