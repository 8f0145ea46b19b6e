/**
 * The validation pass over a dataset before training: it scans the folders, opens every file and reports every
 * problem at once, with the file it concerns and what was expected; what to do with bad samples.
 */
package io.github.mdunet.data.validate;
