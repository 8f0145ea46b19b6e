/** Child JVMs: one launcher for the programs' measuring children and the tests' fresh JVMs, with one timeout. */
package io.github.mdunet.runtime.process;
