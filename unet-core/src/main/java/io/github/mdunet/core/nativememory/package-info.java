/** Native memory: JavaCPP's limits raised for the apps, and a clear error when a step or a prediction hits them. */
package io.github.mdunet.core.nativememory;
