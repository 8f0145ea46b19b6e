/** The tuning module's command-line entry point ({@link io.github.mdunet.tuning.SearchMain}). */
package io.github.mdunet.tuning;
