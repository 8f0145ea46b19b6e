/** Search results: the resumable CSV table, its console form and the score-against-memory chart. */
package io.github.mdunet.tuning.report;
