/** A search candidate's values and what became of it: the records the search writes and its reports read. */
package io.github.mdunet.tuning.candidate;
