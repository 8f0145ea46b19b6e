/** Statistics of a dataset's label masks: pixels per class, and the class weights they give. */
package io.github.mdunet.data.stats;
