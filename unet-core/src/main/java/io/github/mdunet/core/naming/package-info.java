/** Stable JSON names for saved types that modules extend (encoders, feature extractors), and their resolver. */
package io.github.mdunet.core.naming;
